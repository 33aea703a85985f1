import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditLog, fixedGovernance, type AuditEntry } from '../../../src/mcp/governance';
import { startMcpHttpServer } from '../../../src/mcp/http/httpServer';
import { obtainTokens, type RunningHq } from '../../../hq-emulator/testing';
import { RecordingLogger } from '../../support/recordingLogger';
import { connectClient, emulatorAuthenticator, resultText } from './harness';
import { bundledBinAndHq, runBin } from './standaloneProcess';

const ADVERTISED = 'https://mcp.example.test';

describe('RS-27 the audit trail of the standalone server', function () {
  this.timeout(30_000);
  const runningHq = bundledBinAndHq();
  let hq: RunningHq;
  let folder: string;
  before(() => {
    folder = mkdtempSync(join(tmpdir(), 'lenses-audit-trail-'));
  });
  beforeEach(() => {
    hq = runningHq();
  });
  after(() => rmSync(folder, { recursive: true, force: true }));

  it('RS-27 the bin refuses to start on a group- or world-writable audit file or a symbolic link, with one line naming the file and the fix', async () => {
    const loose = join(folder, 'loose.jsonl');
    writeFileSync(loose, '');
    chmodSync(loose, 0o666);
    const link = join(folder, 'link.jsonl');
    symlinkSync(join(folder, 'target.jsonl'), link);
    for (const [path, fix] of [
      [loose, `is writable by group or others (mode 666); run chmod 600 ${loose}, then start again`],
      [link, "is a symbolic link; set LENSES_AUDIT_LOG to the real file's path"],
    ]) {
      const run = await runBin([], { LENSES_URL: hq.url, LENSES_API_KEY: hq.apiKey, LENSES_AUDIT_LOG: path });
      assert.equal(run.code, 1);
      assert.equal(run.stderr, `lenses-mcp: LENSES_AUDIT_LOG cannot be opened for appending: ${path} ${fix}\n`);
    }
  });

  it("RS-27 in OAuth mode each record names the token's user (introspection) besides its fingerprint", async () => {
    const logger = new RecordingLogger();
    const json: AuditEntry[] = [];
    const mcp = await startMcpHttpServer({
      host: '127.0.0.1',
      port: 0,
      lensesUrl: hq.url,
      advertisedUrl: ADVERTISED,
      authenticator: emulatorAuthenticator(hq, ADVERTISED),
      governance: fixedGovernance(undefined, { audit: new AuditLog(logger, { append: (line) => json.push(JSON.parse(line) as AuditEntry) }) }),
    });
    try {
      const token = (await obtainTokens(hq, { username: 'alice', scopes: ['read', 'write'], resource: `${ADVERTISED}/mcp` })).accessToken;
      const client = await connectClient(mcp.url, token);
      const created = await client.callTool({
        name: 'create_topic',
        arguments: { environment: 'dev', topic_name: 'audited by alice', partitions: 1, replication: 1 },
      });
      await client.close();
      assert.equal(json.length, 1, resultText(created));
      assert.deepEqual([json[0].tool, json[0].user, json[0].environment, json[0].resource], ['create_topic', 'alice', 'dev', 'audited by alice']);
      assert.match(json[0].account, /^token:[0-9a-f]{8}$/);
      const line = logger.lines.find((candidate) => candidate.startsWith('Audit: '));
      assert.match(line ?? '', /^Audit: create_topic on "dev"\/"audited by alice" by "alice" \(token:[0-9a-f]{8}\): (run|failed)/);
      assert.ok(!JSON.stringify(json).includes(token));
    } finally {
      await mcp.close();
    }
  });
});
