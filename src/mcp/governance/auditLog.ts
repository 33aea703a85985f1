import { closeSync, constants, fstatSync, openSync, writeSync } from 'node:fs';
import { silentLogger, type Logger } from '../../log';
import type { Scope } from '../../scopes';

/**
 * How a write or delete call ended. `asked`: a 2026-07-28 request answered with the confirmation
 * to ask (`input_required`); its retry, if the client makes one, is recorded on its own.
 */
export type AuditOutcome = 'run' | 'declined' | 'refused' | 'failed' | 'asked';

/**
 * One audit record. Names and short codes only: never a token, an API key or the call's
 * payload (configurations, SQL, messages).
 */
export interface AuditEntry {
  /** When the call arrived (ISO 8601). */
  time: string;
  /** `token:<8-hex fingerprint>` of the credential, or `none`. */
  account: string;
  /** Whose credential it is: the introspection answer's `sub` or `username`, or the editor session's account; absent for an API key. */
  user?: string;
  tool: string;
  scope: Scope;
  environment?: string;
  resource?: string;
  outcome: AuditOutcome;
  /** A short code saying why (`read-only`, `declined`, `confirmed`, `no-elicitation`, …). */
  reason?: string;
  durationMs: number;
}

/** Where JSON lines go besides the log (the standalone server's LENSES_AUDIT_LOG file). */
export interface AuditSink {
  append(line: string): void;
}

const MAX_NAME_CHARS = 200;

/**
 * Bidirectional-text controls (U+202A–U+202E embeddings and overrides, U+2066–U+2069
 * isolates, U+200E/U+200F marks, U+061C the Arabic letter mark): they make a name display
 * in another order than it is written ("Trojan Source"), so a reader could see another name.
 */
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;

/** A name from a tool argument or a credential, as recorded: bidi controls dropped, at most MAX_NAME_CHARS. */
function recordedName(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const clean = value.replace(BIDI_CONTROLS, '');
  return clean.length > MAX_NAME_CHARS ? `${clean.slice(0, MAX_NAME_CHARS)}…` : clean;
}

/**
 * A free field of the text line, quoted and escaped as a JSON string: a space, a quote, a
 * slash or a line break in a name cannot make the line read as another record. JSON leaves
 * U+2028/U+2029 raw, which some viewers break lines at, so they are escaped too.
 */
function quoted(value: string): string {
  return JSON.stringify(value)
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * The audit trail of write and delete calls: one log line each, and one JSON line to the sink
 * when there is one. In the log line every name a client or credential chose (environment,
 * resource, user) is quoted, e.g.
 * `Audit: delete_kafka_connector on "prod"/"orders-sink" by "alice" (token:1a2b3c4d): run (confirmed) in 12 ms`.
 */
export class AuditLog {
  constructor(
    private readonly logger: Logger = silentLogger,
    private readonly sink?: AuditSink,
  ) {}

  record(entry: AuditEntry): void {
    const clean: AuditEntry = {
      ...entry,
      user: recordedName(entry.user),
      environment: recordedName(entry.environment),
      resource: recordedName(entry.resource),
    };
    const target = clean.environment === undefined && clean.resource === undefined ? '-' : `${quote(clean.environment)}/${quote(clean.resource)}`;
    const who = clean.user === undefined ? clean.account : `${quoted(clean.user)} (${clean.account})`;
    this.logger.info(`Audit: ${clean.tool} on ${target} by ${who}: ${clean.outcome}${clean.reason ? ` (${clean.reason})` : ''} in ${clean.durationMs} ms`);
    this.sink?.append(JSON.stringify(clean));
  }
}

/** A quoted name, or `-` when there is none. */
function quote(value: string | undefined): string {
  return value === undefined ? '-' : quoted(value);
}

/** Opened for appending, created 0600, never through a symbolic link. */
const APPEND_FLAGS = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW;

/** A file the audit trail must not be written to; the message names the file and the fix. */
export class AuditFileError extends Error {
  override readonly name = 'AuditFileError';
}

/** Opens `path` for one append: a symbolic link, a non-file or a file others may write is refused. */
function openAuditFile(path: string): number {
  let fd: number;
  try {
    fd = openSync(path, APPEND_FLAGS, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP')
      throw new AuditFileError(`${path} is a symbolic link; set LENSES_AUDIT_LOG to the real file's path`, { cause: error });
    throw error;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new AuditFileError(`${path} is not a regular file; set LENSES_AUDIT_LOG to a file`);
    // Anyone else who can write the file can add, blur or remove records. (Windows has no such
    // mode bits: every file reads as 0666 there, and its ACLs are the operator's to set.)
    if (process.platform !== 'win32' && (stat.mode & 0o022) !== 0) {
      const mode = (stat.mode & 0o777).toString(8).padStart(3, '0');
      throw new AuditFileError(`${path} is writable by group or others (mode ${mode}); run chmod 600 ${path}, then start again`);
    }
    return fd;
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

/**
 * Appends JSON lines to `path`, created with mode 0600. The file is checked at start-up (a
 * symbolic link, or a file group or others may write, is refused with an `AuditFileError`)
 * and opened again for each line without following links, so a file renamed away by log
 * rotation is started afresh, and a link put in its place is refused. Writes are synchronous:
 * write calls are few, and a line is on disk before the tool answers.
 */
export function fileAuditSink(path: string, logger: Logger = silentLogger): AuditSink {
  closeSync(openAuditFile(path));
  return {
    append(line) {
      let fd: number | undefined;
      try {
        fd = openSync(path, APPEND_FLAGS, 0o600);
        writeSync(fd, `${line}\n`);
      } catch (error) {
        logger.error(`Could not append to the audit log ${path}: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        if (fd !== undefined) closeSync(fd);
      }
    },
  };
}
