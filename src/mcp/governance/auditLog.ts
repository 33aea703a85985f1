import { appendFileSync, closeSync, openSync } from 'node:fs';
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

/** Names come from tool arguments: one line each, bounded, no control characters (no forged log lines). */
function safeName(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  // eslint-disable-next-line no-control-regex -- control characters are exactly what a forged log line would use
  const clean = value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '?');
  return clean.length > MAX_NAME_CHARS ? `${clean.slice(0, MAX_NAME_CHARS)}…` : clean;
}

/** The audit trail of write and delete calls: one log line each, and one JSON line to the sink when there is one. */
export class AuditLog {
  constructor(
    private readonly logger: Logger = silentLogger,
    private readonly sink?: AuditSink,
  ) {}

  record(entry: AuditEntry): void {
    const clean: AuditEntry = { ...entry, environment: safeName(entry.environment), resource: safeName(entry.resource) };
    const target = [clean.environment, clean.resource].filter(Boolean).join('/') || '-';
    this.logger.info(
      `Audit: ${clean.tool} on ${target} by ${clean.account}: ${clean.outcome}${clean.reason ? ` (${clean.reason})` : ''} in ${clean.durationMs} ms`,
    );
    this.sink?.append(JSON.stringify(clean));
  }
}

/**
 * Appends JSON lines to `path` (created with mode 0600). Opening it once at start-up makes
 * a bad path a start-up error. Writes are synchronous: write calls are few, and a line is
 * on disk before the tool answers, even if the process is stopped right after.
 */
export function fileAuditSink(path: string, logger: Logger = silentLogger): AuditSink {
  closeSync(openSync(path, 'a', 0o600));
  return {
    append(line) {
      try {
        appendFileSync(path, `${line}\n`, { mode: 0o600 });
      } catch (error) {
        logger.error(`Could not append to the audit log ${path}: ${error instanceof Error ? error.message : String(error)}`);
      }
    },
  };
}
