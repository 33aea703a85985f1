import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocketServer } from 'ws';
import type { RunningHq } from '../../hq-emulator/testing';
import { INITIALIZE, postRaw, resultText } from '../integration/mcp/harness';
import { buildBin, bundledBinAndHq, runBin, startBin, type RunningBin } from '../integration/mcp/standaloneProcess';
import { webSocketText } from '../support/webSocketText';
import { ADVERTISED, startOAuthBin, withClient } from './compatHarness';

/**
 * Mirrors of the official server's tests/test_config.py (the HQ URL and its WebSocket twin), and
 * of how its newer configuration picks OAuth mode, through the bundled bin.
 */

const PRM_PATH = '/.well-known/oauth-protected-resource/mcp';

/** A self-signed certificate for localhost, made with openssl (for an https stand-in of HQ). */
function selfSignedLocalhost(): { dir: string; key: string; cert: string; certFile: string } {
  const dir = mkdtempSync(join(tmpdir(), 'lenses-compat-tls-'));
  const made = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost',
    ],
    { encoding: 'utf8' },
  );
  if (made.status !== 0) throw new Error(`openssl could not make a test certificate: ${made.stderr}`);
  const certFile = join(dir, 'cert.pem');
  return { dir, key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(certFile, 'utf8'), certFile };
}

describe('compat: official tests/test_config.py — where the bin sends HQ calls', function () {
  this.timeout(30_000);
  before(() => buildBin());

  it('official test_default_lenses_url: without LENSES_URL, HQ is http://localhost:9991 and SQL goes to ws://localhost:9991', async () => {
    const bin = await startBin({ LENSES_API_KEY: 'k', TRANSPORT: 'http', HOST: '127.0.0.1', PORT: '0' });
    try {
      assert.match(bin.stderr(), /info Lenses HQ at http:\/\/localhost:9991 \(SQL over ws:\/\/localhost:9991\)\n/);
    } finally {
      await bin.stop();
    }
    const { stdout } = await runBin(['--help'], {});
    assert.match(stdout, /LENSES_URL +.* Default: http:\/\/localhost:9991\./);
  });

  describe('HQ behind https (a TLS stand-in on loopback)', () => {
    let tls: ReturnType<typeof selfSignedLocalhost>;
    let hq: Server;
    let sockets: WebSocketServer;
    const handshakes: Array<{ path: string; authorization?: string; encrypted: boolean; sql: string }> = [];

    before(async () => {
      tls = selfSignedLocalhost();
      hq = createServer({ key: tls.key, cert: tls.cert }, (_request, response) => response.writeHead(404).end());
      sockets = new WebSocketServer({ server: hq });
      sockets.on('connection', (socket, request) => {
        socket.once('message', (data) => {
          handshakes.push({
            path: request.url ?? '',
            authorization: request.headers.authorization,
            encrypted: 'encrypted' in request.socket && request.socket.encrypted === true,
            sql: (JSON.parse(webSocketText(data)) as { sql: string }).sql,
          });
          socket.send(JSON.stringify({ type: 'END' }));
        });
      });
      await new Promise<void>((resolve) => hq.listen(0, '127.0.0.1', resolve));
    });
    after(async () => {
      for (const client of sockets.clients) client.terminate();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
      hq.closeAllConnections();
      await new Promise<void>((resolve) => hq.close(() => resolve()));
      rmSync(tls.dir, { recursive: true, force: true });
    });

    it('official test_https_url_derives_wss: LENSES_URL https://host:port sends SQL over wss:// to the same host and port', async () => {
      const lensesUrl = `https://localhost:${(hq.address() as AddressInfo).port}`;
      const bin: RunningBin = await startBin({
        LENSES_URL: lensesUrl,
        LENSES_API_KEY: 'the-key',
        TRANSPORT: 'http',
        HOST: '127.0.0.1',
        PORT: '0',
        // Trust the stand-in's certificate, as an operator would trust HQ's.
        NODE_EXTRA_CA_CERTS: tls.certFile,
      });
      try {
        const result = await withClient(bin.url, undefined, (client) =>
          client.callTool({ name: 'execute_sql', arguments: { environment: 'dev', sql: 'SELECT * FROM orders LIMIT 1' } }),
        );
        assert.equal(result.isError, undefined, resultText(result));
        assert.deepEqual(handshakes, [
          {
            path: '/api/v1/environments/dev/proxy/api/ws/v2/sql/execute',
            authorization: 'Bearer the-key',
            encrypted: true,
            sql: 'SELECT * FROM orders LIMIT 1',
          },
        ]);
        assert.ok(bin.stderr().includes(`Lenses HQ at ${lensesUrl} (SQL over wss://localhost:${(hq.address() as AddressInfo).port})`));
      } finally {
        await bin.stop();
      }
    });
  });
});

describe("compat: the official configuration's OAuth switch (MCP_ADVERTISED_URL) beside OAUTH_ENABLED", function () {
  this.timeout(30_000);
  const runningHq = bundledBinAndHq();
  let hq: RunningHq;
  beforeEach(() => {
    hq = runningHq();
  });

  async function modeOf(env: Record<string, string>): Promise<{ prm: number; unauthenticated: number; log: string }> {
    const bin = await startBin({ LENSES_URL: hq.url, HOST: '127.0.0.1', PORT: '0', ...env });
    try {
      const initialized = await postRaw(bin.url, INITIALIZE);
      await initialized.body?.cancel();
      return {
        prm: (await fetch(new URL(PRM_PATH, bin.url))).status,
        unauthenticated: initialized.status,
        log: bin.stderr(),
      };
    } finally {
      await bin.stop();
    }
  }

  it('official config (no OAUTH_ENABLED): MCP_ADVERTISED_URL without LENSES_API_KEY runs OAuth mode over HTTP, and the start-up line says which rule decided', async () => {
    const mode = await modeOf({ MCP_ADVERTISED_URL: ADVERTISED });
    assert.deepEqual([mode.prm, mode.unauthenticated], [200, 401]);
    assert.match(mode.log, /info OAuth resource-server mode \(MCP_ADVERTISED_URL set without LENSES_API_KEY\): resource https:\/\/mcp\.example\.test\/mcp/);
  });

  it('OAUTH_ENABLED=true decides by itself, and the line says so', async () => {
    const bin = await startOAuthBin({ LENSES_URL: hq.url, LENSES_API_KEY: hq.apiKey });
    try {
      assert.match(bin.stderr(), /info OAuth resource-server mode \(OAUTH_ENABLED=true\)/);
    } finally {
      await bin.stop();
    }
  });

  it('OAUTH_ENABLED=false turns OAuth off explicitly, even with MCP_ADVERTISED_URL set', async () => {
    const mode = await modeOf({ OAUTH_ENABLED: 'false', MCP_ADVERTISED_URL: ADVERTISED, LENSES_API_KEY: hq.apiKey, TRANSPORT: 'http' });
    assert.deepEqual([mode.prm, mode.unauthenticated], [404, 200]);
    assert.match(mode.log, /info API-key mode \(OAUTH_ENABLED=false\)/);
  });

  it('MCP_ADVERTISED_URL with LENSES_API_KEY (OAUTH_ENABLED unset) stays in API-key mode, and says why', async () => {
    const mode = await modeOf({ MCP_ADVERTISED_URL: ADVERTISED, LENSES_API_KEY: hq.apiKey, TRANSPORT: 'http' });
    assert.deepEqual([mode.prm, mode.unauthenticated], [404, 200]);
    assert.match(mode.log, /info API-key mode \(LENSES_API_KEY set, OAUTH_ENABLED unset\)/);
  });

  it('--help says how the mode is chosen', async () => {
    const { stdout } = await runBin(['--help'], {});
    assert.match(stdout, /OAuth 2\.1 resource server when OAUTH_ENABLED is true, or when it is unset and MCP_ADVERTISED_URL is set\nwithout LENSES_API_KEY/);
    assert.match(stdout, /OAUTH_ENABLED=false forces API-key mode/);
  });
});
