import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readConfig } from '../../../src/mcp/standalone/config';
import type { RunningMcpHttpServer } from '../../../src/mcp/http/httpServer';
import { startStandaloneHttp } from '../../../src/mcp/standalone/standalone';
import { silentLogger } from '../../../src/log';
import { obtainTokens, startHq, type RunningHq } from '../../../hq-emulator/testing';
import { connectClient, INITIALIZE, postRaw } from './harness';
import { urlOf } from '../../support/requestUrl';

const ADVERTISED = 'https://mcp.example.test';
const AUTHORIZATIONS = '/api/v0/users/me/oauth2/authorizations';

/** The standalone server in OAuth mode with the bin's defaults, but for the given variables. */
function oauthServer(hq: RunningHq, env: Record<string, string> = {}, fetchImpl?: typeof fetch): Promise<RunningMcpHttpServer> {
  const config = readConfig({ OAUTH_ENABLED: 'true', MCP_ADVERTISED_URL: ADVERTISED, LENSES_URL: hq.url, HOST: '127.0.0.1', PORT: '0', ...env });
  return startStandaloneHttp(config, { logger: silentLogger, fetch: fetchImpl });
}

/** Introspections the server sent: how many, and how many at once at most. */
const introspections = { total: 0, inFlight: 0, maxInFlight: 0 };
const countingFetch: typeof fetch = async (input, init) => {
  if (!urlOf(input).endsWith('/oauth2/introspect')) return fetch(input, init);
  introspections.total += 1;
  introspections.maxInFlight = Math.max(introspections.maxInFlight, ++introspections.inFlight);
  try {
    return await fetch(input, init);
  } finally {
    introspections.inFlight -= 1;
  }
};

describe('RS-18 every request is validated with HQ by default', function () {
  this.timeout(20_000);
  let hq: RunningHq;
  let mcp: RunningMcpHttpServer;

  before(async () => {
    hq = await startHq({ port: 0 });
    mcp = await oauthServer(hq, {}, countingFetch);
  });
  after(async () => {
    await mcp?.close();
    await hq?.close();
  });

  it('RS-18 a grant revoked at HQ (connected applications): the very next request is refused', async () => {
    const tokens = await obtainTokens(hq, { scopes: ['read'], resource: `${ADVERTISED}/mcp` });
    const client = await connectClient(mcp.url, tokens.accessToken);
    try {
      const before = await client.callTool({ name: 'list_topics', arguments: { environment: 'dev' } });
      assert.equal(before.isError, undefined);
      const listed = (await (await fetch(`${hq.url}${AUTHORIZATIONS}`, { headers: { authorization: `Bearer ${tokens.accessToken}` } })).json()) as {
        items: Array<{ authorization_id: string; app_client_id: string }>;
      };
      const grant = listed.items.find((item) => item.app_client_id === tokens.clientId);
      assert.ok(grant);
      const revoked = await fetch(`${hq.url}${AUTHORIZATIONS}/${encodeURIComponent(grant.authorization_id)}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${tokens.accessToken}` },
      });
      assert.equal(revoked.status, 204);

      const next = await postRaw(
        mcp.url,
        { jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name: 'list_topics', arguments: { environment: 'dev' } } },
        {
          Authorization: `Bearer ${tokens.accessToken}`,
          'mcp-session-id': client.transport?.sessionId ?? '',
          'mcp-protocol-version': '2025-06-18',
        },
      );
      assert.equal(next.status, 401);
      assert.match(next.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
    } finally {
      await client.close().catch(() => {});
    }
  });

  it('RS-18 concurrent requests with one token all succeed, each validated, with one introspection at a time at HQ', async () => {
    const token = (await obtainTokens(hq, { scopes: ['read'], resource: `${ADVERTISED}/mcp` })).accessToken;
    const clients = await Promise.all(Array.from({ length: 8 }, () => connectClient(mcp.url, token)));
    try {
      Object.assign(introspections, { total: 0, maxInFlight: 0 });
      const results = await Promise.all(clients.flatMap((client) => [1, 2, 3, 4].map(() => client.callTool({ name: 'list_environments', arguments: {} }))));
      assert.ok(results.every((result) => result.isError === undefined));
      assert.equal(introspections.maxInFlight, 1);
      assert.ok(introspections.total >= 1 && introspections.total <= 32, `${introspections.total} introspections for 32 calls`);
    } finally {
      await Promise.all(clients.map((client) => client.close()));
    }
  });
});

/**
 * HQ's introspection endpoint as seen from HQ: forwards to the emulator after a 20 ms
 * network delay, and records how many introspections were in flight at once.
 */
async function countingIntrospection(hq: RunningHq): Promise<{ url: string; maxInFlight(): number; total(): number; close(): Promise<void> }> {
  let inFlight = 0;
  let maxInFlight = 0;
  let total = 0;
  const server: Server = createServer((request, response) => {
    inFlight += 1;
    total += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      setTimeout(() => {
        fetch(`${hq.url}/oauth2/introspect`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: Buffer.concat(chunks) })
          .then(async (answer) => {
            const text = await answer.text();
            inFlight -= 1;
            response.writeHead(answer.status, { 'content-type': 'application/json' }).end(text);
          })
          .catch(() => {
            inFlight -= 1;
            response.writeHead(502).end();
          });
      }, 20);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/oauth2/introspect`,
    maxInFlight: () => maxInFlight,
    total: () => total,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

describe('RS-19 a flood of unknown bearers', function () {
  this.timeout(60_000);
  let hq: RunningHq;
  let introspection: Awaited<ReturnType<typeof countingIntrospection>>;
  let mcp: RunningMcpHttpServer;

  before(async () => {
    hq = await startHq({ port: 0 });
    introspection = await countingIntrospection(hq);
    mcp = await oauthServer(hq, { INTROSPECTION_URL: introspection.url });
  });
  after(async () => {
    await mcp?.close();
    await introspection?.close();
    await hq?.close();
  });

  it('RS-19 2,000 random bearers at concurrency 64: HQ sees at most 32 introspections at once, every request is answered, a signed-in user is served meanwhile', async () => {
    const token = (await obtainTokens(hq, { scopes: ['read'], resource: `${ADVERTISED}/mcp` })).accessToken;
    const user = await connectClient(mcp.url, token);
    const statuses = new Map<number, number>();
    let userCalls = 0;
    let flooding = true;
    try {
      const userLoop = (async () => {
        while (flooding) {
          const result = await user.callTool({ name: 'list_environments', arguments: {} });
          assert.equal(result.isError, undefined, 'the signed-in user was refused during the flood');
          userCalls += 1;
        }
      })();
      let sent = 0;
      await Promise.all(
        Array.from({ length: 64 }, async () => {
          while (sent < 2000) {
            sent += 1;
            const response = await postRaw(mcp.url, INITIALIZE, { Authorization: `Bearer ${randomBytes(24).toString('base64url')}` });
            await response.text();
            statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
            if (response.status === 503) assert.equal(response.headers.get('retry-after'), '1');
            else assert.match(response.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
          }
        }),
      );
      flooding = false;
      await userLoop;
    } finally {
      flooding = false;
      await user.close();
    }
    const answered = [...statuses.values()].reduce((sum, count) => sum + count, 0);
    assert.equal(answered, 2000);
    assert.deepEqual(
      [...statuses.keys()].filter((status) => status !== 401 && status !== 503),
      [],
      JSON.stringify([...statuses]),
    );
    assert.ok(introspection.maxInFlight() <= 32, `${introspection.maxInFlight()} introspections in flight at HQ`);
    assert.ok(introspection.maxInFlight() >= 8, 'the flood did reach HQ in parallel (the test can see a missing cap)');
    assert.ok(userCalls > 0, 'the signed-in user made calls during the flood');
  });
});
