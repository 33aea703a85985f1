import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { readConfig } from '../../../src/mcp/standalone/config';
import type { RunningMcpHttpServer } from '../../../src/mcp/http/httpServer';
import { startStandaloneHttp } from '../../../src/mcp/standalone/standalone';
import { silentLogger } from '../../../src/log';
import { obtainTokens, startHq, type RunningHq } from '../../../hq-emulator/testing';
import { INITIALIZE } from './harness';

const ADVERTISED = 'https://mcp.example.test';
/** What the test server is told to answer to besides loopback names and the advertised host. */
const ALLOWED = 'mcp.internal.test';
/** Bind addresses and the loopback address the test connects to for each. */
const BINDS: Array<[bind: string, connect: string]> = [
  ['127.0.0.1', '127.0.0.1'],
  ['::1', '[::1]'],
  ['0.0.0.0', '127.0.0.1'],
  ['::', '[::1]'],
  ['::ffff:127.0.0.1', '127.0.0.1'],
];

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw POST to /mcp at `address:port` with full control of Host and Origin. */
function post(address: string, port: number, headers: Record<string, string>, body: unknown): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      `http://${address}:${port}/mcp`,
      { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers } },
      (response) => {
        let text = '';
        response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }));
      },
    );
    request.on('error', reject);
    request.end(JSON.stringify(body));
  });
}

/** The `error.message` of a JSON-RPC error answer. */
function errorMessageOf(body: string): string {
  return (JSON.parse(body) as { error: { message: string } }).error.message;
}

const deleteConnector = {
  jsonrpc: '2.0',
  id: 2,
  method: 'tools/call',
  params: { name: 'delete_kafka_connector', arguments: { environment: 'dev', cluster: 'connect-main', connector: 'orders-s3-sink' } },
};

describe('RS-17 Host and Origin are checked on every bind address, in API-key and OAuth mode', function () {
  this.timeout(30_000);
  let hq: RunningHq;
  let oauthToken: string;

  before(async () => {
    hq = await startHq({ port: 0 });
    oauthToken = (await obtainTokens(hq, { scopes: ['read', 'write', 'delete'], resource: `${ADVERTISED}/mcp` })).accessToken;
  });
  after(() => hq?.close());

  async function connectorExists(): Promise<boolean> {
    const response = await fetch(`${hq.url}/api/v1/environments/dev/proxy/api/kafka-connect/connectors`, { headers: { Authorization: `Bearer ${hq.apiKey}` } });
    const { data: connectors } = (await response.json()) as { data: Array<{ name: string }> };
    return connectors.some((connector) => connector.name === 'orders-s3-sink');
  }

  for (const mode of ['API-key', 'OAuth'] as const) {
    for (const [bind, address] of BINDS) {
      it(`RS-17 ${mode} mode bound to ${bind}: a foreign Host or Origin gets 403 with the reason and nothing runs; loopback, advertised and allowed names are served`, async () => {
        const env =
          mode === 'OAuth'
            ? { OAUTH_ENABLED: 'true', MCP_ADVERTISED_URL: ADVERTISED }
            : { LENSES_API_KEY: hq.apiKey, TRANSPORT: 'http', MCP_ADVERTISED_URL: ADVERTISED };
        const config = readConfig({ ...env, LENSES_URL: hq.url, HOST: bind, PORT: '0', MCP_ALLOWED_HOSTS: ALLOWED });
        const mcp: RunningMcpHttpServer = await startStandaloneHttp(config, { logger: silentLogger });
        try {
          const auth: Record<string, string> = mode === 'OAuth' ? { authorization: `Bearer ${oauthToken}` } : {};
          const here = (host: string, extra: Record<string, string> = {}) => ({ ...auth, host: `${host}:${mcp.port}`, ...extra });

          // A session opened the honest way, then a rebinding page's call on it.
          const opened = await post(address, mcp.port, here('localhost'), INITIALIZE);
          assert.equal(opened.status, 200, opened.body);
          const session = { 'mcp-session-id': String(opened.headers['mcp-session-id']), 'mcp-protocol-version': '2025-06-18' };
          const rebound = await post(address, mcp.port, here('rebind.attacker.example', session), deleteConnector);
          assert.equal(rebound.status, 403);
          assert.match(errorMessageOf(rebound.body), /^Host "rebind\.attacker\.example" is not a name this server answers to \(DNS-rebinding protection\)/);
          const fromPage = await post(address, mcp.port, here('localhost', { ...session, origin: 'http://rebind.attacker.example' }), deleteConnector);
          assert.equal(fromPage.status, 403);
          assert.match(errorMessageOf(fromPage.body), /^Requests from Origin "rebind\.attacker\.example" are refused/);
          const opaque = await post(address, mcp.port, here('127.0.0.1', { ...session, origin: 'null' }), deleteConnector);
          assert.equal(opaque.status, 403);
          assert.equal(await connectorExists(), true, 'nothing was deleted');

          for (const host of ['localhost', '127.0.0.1', '[::1]', '[::ffff:7f00:1]', 'mcp.example.test', 'MCP.Internal.Test']) {
            const served = await post(address, mcp.port, here(host), INITIALIZE);
            assert.equal(served.status, 200, `Host ${host}: ${served.body}`);
          }
          const fromAllowedPage = await post(address, mcp.port, here('mcp.internal.test', { origin: 'https://mcp.example.test' }), INITIALIZE);
          assert.equal(fromAllowedPage.status, 200);
        } finally {
          await mcp.close();
        }
      });
    }
  }
});
