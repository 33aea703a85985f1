import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { EmbeddedAuthenticator, LINK_SECRET_HEADER } from '../../../src/mcp/auth/embeddedAuthenticator';
import { AuditLog, fileAuditSink, type AuditEntry } from '../../../src/mcp/governance';
import { auditRecord } from '../../../src/mcp/governance/auditRecord';
import { LENSES_TOOLS } from '../../../src/mcp/tools';
import { RecordingLogger } from '../../support/recordingLogger';

const entry = (fields: Partial<AuditEntry>): AuditEntry => ({
  time: '2026-12-01T09:00:00.000Z',
  account: 'token:0badc0de',
  tool: 'delete_kafka_connector',
  scope: 'delete',
  outcome: 'run',
  durationMs: 5,
  ...fields,
});

/** The log line and the JSON line one record gives. */
function recorded(fields: Partial<AuditEntry>): { line: string; json: AuditEntry } {
  const logger = new RecordingLogger();
  const json: string[] = [];
  new AuditLog(logger, { append: (line) => json.push(line) }).record(entry(fields));
  assert.equal(logger.lines.length, 1);
  assert.equal(json.length, 1);
  return { line: logger.lines[0], json: JSON.parse(json[0]) as AuditEntry };
}

describe('RS-27 audit records nobody can blur', () => {
  it('RS-27 names with spaces, slashes, quotes and line breaks are quoted: two different calls never give the same line', () => {
    const one = recorded({ environment: 'prod/orders', resource: 'sink' });
    const other = recorded({ environment: 'prod', resource: 'orders/sink' });
    assert.equal(one.line, 'Audit: delete_kafka_connector on "prod/orders"/"sink" by token:0badc0de: run in 5 ms');
    assert.equal(other.line, 'Audit: delete_kafka_connector on "prod"/"orders/sink" by token:0badc0de: run in 5 ms');
    const forged = recorded({ environment: 'dev', resource: 'x" by token:00000000: declined in 1 ms\nAudit: delete_kafka_connector on "prod' });
    assert.equal(forged.line.split('\n').length, 1, 'one line');
    assert.equal(
      forged.line,
      'Audit: delete_kafka_connector on "dev"/"x\\" by token:00000000: declined in 1 ms\\nAudit: delete_kafka_connector on \\"prod" by token:0badc0de: run in 5 ms',
    );
    assert.equal(recorded({ resource: 'a\u2028b' }).line.includes('\u2028'), false, 'U+2028 is escaped too');
    assert.equal(recorded({}).line, 'Audit: delete_kafka_connector on - by token:0badc0de: run in 5 ms');
  });

  it('RS-27 bidi controls are dropped from every name, in the log line and the JSON line', () => {
    const bidi = '\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c';
    const { line, json } = recorded({ environment: `pr${bidi}od`, resource: `\u202eknis-sredro`, user: `al\u2067ice` });
    assert.equal(line, 'Audit: delete_kafka_connector on "prod"/"knis-sredro" by "alice" (token:0badc0de): run in 5 ms');
    assert.deepEqual([json.environment, json.resource, json.user], ['prod', 'knis-sredro', 'alice']);
  });

  it("RS-27 each record names the credential's user besides its fingerprint; an API key has none", () => {
    const tool = LENSES_TOOLS.find((candidate) => candidate.name === 'delete_consumer_group');
    assert.ok(tool);
    const call = { tool, action: { environment: 'dev', resource: 't' }, outcome: 'run' as const, started: 0, ended: 2 };
    const byAlice = auditRecord({ ...call, access: { kind: 'granted', token: 'secret-token-1', scopes: new Set(['delete']), user: 'alice' } });
    assert.equal(byAlice.user, 'alice');
    assert.match(byAlice.account, /^token:[0-9a-f]{8}$/);
    const logger = new RecordingLogger();
    new AuditLog(logger).record(byAlice);
    assert.match(logger.lines[0], /^Audit: delete_consumer_group on "dev"\/"t" by "alice" \(token:[0-9a-f]{8}\): run in 2 ms$/);
    const byKey = auditRecord({ ...call, access: { kind: 'granted', token: 'secret-token-1', scopes: new Set(['delete']) } });
    assert.equal(byKey.user, undefined);
    assert.ok(!JSON.stringify(byKey).includes('secret-token-1'));
  });

  it("RS-27 in the editor the user is the session's account", async () => {
    const secret = 's'.repeat(32);
    const authenticator = new EmbeddedAuthenticator(secret, {
      currentSession: () => Promise.resolve({ accessToken: 'editor-token', scopes: ['read', 'write'], account: 'alice@example.com' }),
      signedOutScopes: () => [],
      sessionLost: () => {},
      sessionRejected: () => {},
    });
    const request = new IncomingMessage(new Socket());
    request.headers[LINK_SECRET_HEADER] = secret;
    const granted = await authenticator.authenticate(request);
    assert.equal(granted.kind === 'granted' ? granted.user : granted.kind, 'alice@example.com');
  });
});

describe('RS-27 the audit file (LENSES_AUDIT_LOG)', () => {
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'lenses-audit-file-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  const lines = (path: string) =>
    readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as AuditEntry);

  it('RS-27 is created with mode 0600 and gets one JSON line per record', () => {
    const path = join(folder, 'audit.jsonl');
    const log = new AuditLog(undefined, fileAuditSink(path));
    log.record(entry({ environment: 'dev', resource: 'a' }));
    log.record(entry({ environment: 'dev', resource: 'b\nc' }));
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.deepEqual(
      lines(path).map((line) => line.resource),
      ['a', 'b\nc'],
    );
  });

  it('RS-27 an existing file group or others may write is refused, naming the file and the fix', () => {
    for (const mode of [0o620, 0o602, 0o666]) {
      const path = join(folder, `loose-${mode.toString(8)}.jsonl`);
      writeFileSync(path, '');
      chmodSync(path, mode);
      assert.throws(
        () => fileAuditSink(path),
        (error: Error) => error.message === `${path} is writable by group or others (mode ${mode.toString(8)}); run chmod 600 ${path}, then start again`,
      );
    }
    const private600 = join(folder, 'private.jsonl');
    writeFileSync(private600, '', { mode: 0o600 });
    const readable = join(folder, 'readable.jsonl');
    writeFileSync(readable, '');
    chmodSync(readable, 0o644);
    for (const path of [private600, readable]) assert.doesNotThrow(() => fileAuditSink(path));
  });

  it('RS-27 a symbolic link is refused at start, and one put in place later is not followed', () => {
    const target = join(folder, 'elsewhere.jsonl');
    writeFileSync(target, '', { mode: 0o600 });
    const link = join(folder, 'link.jsonl');
    symlinkSync(target, link);
    assert.throws(
      () => fileAuditSink(link),
      (error: Error) => error.message === `${link} is a symbolic link; set LENSES_AUDIT_LOG to the real file's path`,
    );

    const path = join(folder, 'audit.jsonl');
    const logger = new RecordingLogger();
    const log = new AuditLog(undefined, fileAuditSink(path, logger));
    log.record(entry({ resource: 'first' }));
    // Rotated away, then a link to another file put in its place.
    renameSync(path, join(folder, 'audit.jsonl.1'));
    symlinkSync(target, path);
    log.record(entry({ resource: 'second' }));
    assert.equal(readFileSync(target, 'utf8'), '', 'nothing was written through the link');
    assert.match(logger.lines.join('\n'), /Could not append to the audit log .*audit\.jsonl/);
    rmSync(path);
    log.record(entry({ resource: 'third' }));
    assert.deepEqual(
      lines(path).map((line) => line.resource),
      ['third'],
      'after rotation the file is started afresh',
    );
    assert.equal(statSync(path).mode & 0o777, 0o600);
  });
});
