// Issue 23: a client (a script, a CI check) writes its requests to lenses-mcp and closes stdin
// at once; the server still answers what it read, then exits 0.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bundledBinAndHq, buildBin } from './standaloneProcess';

interface PipedRun {
  code: number | null;
  /** The JSON-RPC messages the bin wrote to stdout, by id. */
  answers: Map<number, { result?: { content?: Array<{ text?: string }>; isError?: boolean }; error?: unknown }>;
  stderr: string;
  ms: number;
}

/** `printf '<messages>' | lenses-mcp`: writes every message, closes stdin, reads stdout until the bin exits. */
async function pipeToBin(messages: object[], env: Record<string, string>): Promise<PipedRun> {
  const bin = await buildBin();
  const started = Date.now();
  const child = spawn(process.execPath, [bin], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.stdin.end(messages.map((message) => `${JSON.stringify(message)}\n`).join(''));
  const code = await exited;
  const answers: PipedRun['answers'] = new Map();
  for (const line of stdout.split('\n').filter((text) => text.trim())) {
    const message = JSON.parse(line) as { id?: number };
    if (typeof message.id === 'number') answers.set(message.id, message as never);
  }
  return { code, answers, stderr, ms: Date.now() - started };
}

const initialize = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'printf', version: '1' } },
};
const initialized = { jsonrpc: '2.0', method: 'notifications/initialized' };
const call = (id: number, name: string, args: object) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } });

describe('lenses-mcp over stdio when the client closes its input right after the last request (issue 23)', function () {
  this.timeout(30_000);
  const hq = bundledBinAndHq();

  it('answers every request it read, tool calls that need HQ included, then exits 0', async () => {
    for (let run = 0; run < 3; run += 1) {
      const { code, answers, stderr } = await pipeToBin(
        [
          initialize,
          initialized,
          call(2, 'list_environments', {}),
          call(3, 'execute_sql', { environment: 'dev', sql: 'SELECT * FROM payments LIMIT 2' }),
          { jsonrpc: '2.0', id: 4, method: 'tools/list' },
        ],
        { LENSES_URL: hq().url, LENSES_API_KEY: hq().apiKey },
      );
      assert.equal(code, 0, stderr);
      assert.deepEqual([...answers.keys()].sort(), [1, 2, 3, 4], `run ${run + 1}: every request answered\n${stderr}`);
      assert.match(answers.get(2)?.result?.content?.[0]?.text ?? '', /"dev"/, `run ${run + 1}: the environments`);
      assert.equal(answers.get(3)?.result?.isError, undefined, `run ${run + 1}: the SQL answer is no error`);
      assert.match(stderr, /stdin closed: shutting down/);
      assert.doesNotMatch(stderr, /left unanswered/);
    }
  });

  describe('against an HQ that never answers', () => {
    let silentHq: Server;
    let silentUrl: string;
    before(async () => {
      // Accepts every request and never answers it: a tool call waits for its HQ timeout.
      silentHq = createServer(() => {});
      await new Promise<void>((resolve) => silentHq.listen(0, '127.0.0.1', resolve));
      silentUrl = `http://127.0.0.1:${(silentHq.address() as AddressInfo).port}`;
    });
    after(async () => {
      silentHq.closeAllConnections();
      await new Promise((resolve) => silentHq.close(resolve));
    });

    it('waits at most SHUTDOWN_GRACE_SECONDS for a call still running, says it left it unanswered, and exits 0', async () => {
      const { code, answers, stderr, ms } = await pipeToBin([initialize, initialized, call(2, 'list_environments', {})], {
        LENSES_URL: silentUrl,
        LENSES_API_KEY: 'key',
        LENSES_TIMEOUT_SECONDS: '60',
        SHUTDOWN_GRACE_SECONDS: '1',
      });
      assert.equal(code, 0, stderr);
      assert.ok(answers.has(1), 'initialize answered');
      assert.ok(!answers.has(2), 'the call HQ never answered is not made up');
      assert.match(stderr, /1 request\(s\) still running after the shutdown grace period: left unanswered/);
      assert.ok(ms < 10_000, `exited after ${ms} ms, not after the 60 s HQ timeout`);
    });
  });
});
