import assert from 'node:assert/strict';
import { request as httpRequest, createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { ApiKeyAuthenticator } from '../../../src/mcp/auth/apiKeyAuthenticator';
import { startMcpHttpServer, type RunningMcpHttpServer } from '../../../src/mcp/http/httpServer';
import { TokenIntrospector } from '../../../src/mcp/auth/introspection';
import { OAuthResourceServerAuthenticator } from '../../../src/mcp/auth/oauthResourceServer';
import { ALL_SCOPES } from '../../../src/scopes';
import { connectClient, INITIALIZE, postRaw, resultText, startOAuthMcp, type OAuthMcp } from './harness';

const toolsCall = (name: string, args: Record<string, unknown>) => ({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name, arguments: args } });
const PRM_URL = 'https://mcp.example.test/.well-known/oauth-protected-resource/mcp';

/** A raw request with full control of headers (repeated ones included). */
function rawRequest(
  url: string,
  headers: Record<string, string | string[]>,
  body: string,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      url,
      { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers } },
      (response) => {
        response.resume();
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers }));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

describe('MCP server security in OAuth mode (RS-*)', function () {
  this.timeout(20_000);
  let env: OAuthMcp;
  let readToken: string;
  let allToken: string;

  before(async () => {
    env = await startOAuthMcp();
    readToken = await env.token(['read']);
    allToken = await env.token(['read', 'write', 'delete']);
  });
  after(() => env?.close());

  it('RS-01 no Authorization header: 401 with resource_metadata and scope, no error', async () => {
    const response = await postRaw(env.mcp.url, INITIALIZE);
    assert.equal(response.status, 401);
    assert.equal(response.headers.get('www-authenticate'), `Bearer resource_metadata="${PRM_URL}", scope="read write delete"`);
  });

  it('RS-02 unknown token: 401 invalid_token', async () => {
    const response = await postRaw(env.mcp.url, INITIALIZE, { Authorization: 'Bearer not-a-real-token' });
    assert.equal(response.status, 401);
    assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer error="invalid_token", resource_metadata="[^"]+", scope="read write delete"$/);
  });

  it('RS-04 RS-15 revoked token: HQ 401 becomes a re-authenticate tool error, the cache entry goes, then 401', async () => {
    const tokens = await env.tokens(['read']);
    const client = await connectClient(env.mcp.url, tokens.accessToken);
    try {
      const first = await client.callTool({ name: 'list_topics', arguments: { environment: 'dev' } });
      assert.equal(first.isError, undefined);
      const revoked = await fetch(`${env.hq.url}/oauth2/revoke`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: tokens.accessToken, client_id: tokens.clientId }).toString(),
      });
      assert.equal(revoked.status, 200);
      // Still cached as active: the call reaches HQ, which answers 401.
      const second = await client.callTool({ name: 'list_topics', arguments: { environment: 'dev' } });
      assert.equal(second.isError, true);
      assert.match(resultText(second), /Re-authenticate/);
      const third = await postRaw(env.mcp.url, INITIALIZE, { Authorization: `Bearer ${tokens.accessToken}` });
      assert.equal(third.status, 401);
      assert.match(third.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
    } finally {
      await client.close().catch(() => {});
    }
  });

  it('RS-05 token issued for another resource: 401 invalid_token', async () => {
    const other = await env.tokens(['read'], 'https://other.example.test/mcp');
    const response = await postRaw(env.mcp.url, INITIALIZE, { Authorization: `Bearer ${other.accessToken}` });
    assert.equal(response.status, 401);
    assert.match(response.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
  });

  it('RS-06 refresh token presented as access token: 401', async () => {
    const tokens = await env.tokens(['read']);
    assert.ok(tokens.refreshToken);
    const response = await postRaw(env.mcp.url, INITIALIZE, { Authorization: `Bearer ${tokens.refreshToken}` });
    assert.equal(response.status, 401);
  });

  it('RS-07 token in the query string or form body: 401, and the token is not introspected', async () => {
    const before = env.introspections();
    const query = await postRaw(`${env.mcp.url}?access_token=${readToken}`, INITIALIZE);
    assert.equal(query.status, 401);
    assert.doesNotMatch(query.headers.get('www-authenticate') ?? '', /error=/);
    const form = await fetch(env.mcp.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `access_token=${readToken}`,
    });
    assert.equal(form.status, 401);
    assert.equal(env.introspections(), before);
  });

  it('RS-08 wrong scheme, repeated header, empty bearer, huge header: refused without introspection', async () => {
    const before = env.introspections();
    const body = JSON.stringify(INITIALIZE);
    const cases: Array<[string, string | string[], number]> = [
      ['Basic', `Basic ${Buffer.from('a:b').toString('base64')}`, 401],
      ['Token', `Token ${readToken}`, 401],
      ['repeated', [`Bearer ${readToken}`, `Bearer ${readToken}`], 400],
      ['empty bearer', 'Bearer ', 400],
      ['over 8 KiB', `Bearer ${'a'.repeat(9000)}`, 400],
    ];
    for (const [label, value, status] of cases) {
      const response = await rawRequest(env.mcp.url, { authorization: value }, body);
      assert.equal(response.status, status, label);
    }
    assert.equal(env.introspections(), before);
  });

  it('RS-09 read-only token: tools/list shows only the 24 read tools', async () => {
    const client = await connectClient(env.mcp.url, readToken);
    try {
      const { tools } = await client.listTools();
      assert.equal(tools.length, 24);
      assert.ok(tools.every((tool) => tool.annotations?.readOnlyHint === true));
    } finally {
      await client.close();
    }
  });

  it('RS-10 read-only token calling a write or delete tool: 403 insufficient_scope with held ∪ needed, nothing done', async () => {
    const write = await postRaw(env.mcp.url, toolsCall('create_topic', { environment: 'dev', topic_name: 'rs10' }), { Authorization: `Bearer ${readToken}` });
    assert.equal(write.status, 403);
    assert.equal(write.headers.get('www-authenticate'), `Bearer error="insufficient_scope", scope="read write", resource_metadata="${PRM_URL}"`);
    const del = await postRaw(env.mcp.url, toolsCall('delete_consumer_group', { environment: 'dev', group_id: 'orders-archiver' }), {
      Authorization: `Bearer ${readToken}`,
    });
    assert.equal(del.status, 403);
    assert.match(del.headers.get('www-authenticate') ?? '', /scope="read delete"/);
    const topic = await fetch(`${env.hq.url}/api/v1/environments/dev/proxy/api/topics/rs10`, { headers: { Authorization: `Bearer ${env.hq.apiKey}` } });
    assert.equal(topic.status, 404);
  });

  it('scope matrix over HTTP: read 24, read write 40, all three 45; a read+write token gets 403 for a delete tool', async () => {
    for (const [scopes, count] of [
      [['read'], 24],
      [['read', 'write'], 40],
      [['read', 'write', 'delete'], 45],
    ] as const) {
      const client = await connectClient(env.mcp.url, await env.token([...scopes]));
      try {
        assert.equal((await client.listTools()).tools.length, count, scopes.join(' '));
      } finally {
        await client.close();
      }
    }
    const readWrite = await env.token(['read', 'write']);
    const response = await postRaw(env.mcp.url, toolsCall('delete_sql_processor', { environment: 'dev', sql_processor_id: 'x' }), {
      Authorization: `Bearer ${readWrite}`,
    });
    assert.equal(response.status, 403);
    assert.match(response.headers.get('www-authenticate') ?? '', /error="insufficient_scope", scope="read write delete"/);
  });

  it('RS-12 Host or Origin not loopback: 403, nothing executed', async () => {
    const before = env.introspections();
    const body = JSON.stringify(INITIALIZE);
    const port = new URL(env.mcp.url).port;
    const host = await rawRequest(env.mcp.url, { host: `evil.example.com:${port}`, authorization: `Bearer ${allToken}` }, body);
    assert.equal(host.status, 403);
    const origin = await rawRequest(env.mcp.url, { origin: 'http://evil.example.com', authorization: `Bearer ${allToken}` }, body);
    assert.equal(origin.status, 403);
    assert.equal(env.introspections(), before);
    const fine = await rawRequest(env.mcp.url, { origin: `http://localhost:${port}`, authorization: `Bearer ${allToken}` }, body);
    assert.equal(fine.status, 200);
  });

  it('RS-13 malformed JSON, wrong content type, huge body: 400/413, and the server keeps serving', async () => {
    const auth = { Authorization: `Bearer ${allToken}` };
    assert.equal((await postRaw(env.mcp.url, '{"jsonrpc": "2.0", "id": 1, "method": ', auth)).status, 400);
    assert.equal(
      (await fetch(env.mcp.url, { method: 'POST', headers: { ...auth, 'content-type': 'text/plain' }, body: JSON.stringify(INITIALIZE) })).status,
      400,
    );
    const huge = await postRaw(env.mcp.url, JSON.stringify({ ...INITIALIZE, padding: 'x'.repeat(4 * 1024 * 1024 + 10) }), auth).catch(() => undefined);
    assert.equal(huge?.status, 413);
    const client = await connectClient(env.mcp.url, allToken);
    try {
      assert.equal((await client.listTools()).tools.length, 45);
    } finally {
      await client.close();
    }
  });

  it('RS-14 an argument with an encoded slash through the real server: tool error naming it', async () => {
    const client = await connectClient(env.mcp.url, readToken);
    try {
      const result = await client.callTool({ name: 'get_topic', arguments: { environment: 'dev', topic_name: '..%2F..%2Fadmin' } });
      assert.equal(result.isError, true);
      assert.match(resultText(result), /argument "topic_name"/);
    } finally {
      await client.close();
    }
  });

  it('RS-16 PRM and 401 advertise the configured URLs; the internal LENSES_URL never leaks', async () => {
    for (const path of ['/.well-known/oauth-protected-resource/mcp', '/.well-known/oauth-protected-resource']) {
      const response = await fetch(new URL(path, env.mcp.url));
      assert.equal(response.status, 200, path);
      const text = await response.text();
      const metadata = JSON.parse(text) as { resource?: unknown; authorization_servers?: unknown; scopes_supported?: unknown };
      assert.deepEqual(metadata.resource, 'https://mcp.example.test/mcp');
      assert.deepEqual(metadata.authorization_servers, ['https://hq.example.test']);
      assert.deepEqual(metadata.scopes_supported, ['read', 'write', 'delete']);
      assert.ok(!text.includes(env.hq.url), 'internal URL in PRM');
    }
    const challenge = await postRaw(env.mcp.url, INITIALIZE);
    assert.ok(!(challenge.headers.get('www-authenticate') ?? '').includes(env.hq.url));
    assert.ok(!(await challenge.text()).includes(env.hq.url));
  });
});

describe('RS-11 introspection unavailable fails closed with 503', function () {
  this.timeout(20_000);
  let introspection: Server;
  let mode: 'down' | 'slow' | '5xx' | 'non-json' | 'oversized' = '5xx';
  let mcp: RunningMcpHttpServer;

  before(async () => {
    introspection = createServer((request, response) => {
      request.resume();
      if (mode === 'slow') return void setTimeout(() => response.end('{"active":true}'), 1000).unref();
      if (mode === '5xx') return void response.writeHead(502).end('bad gateway');
      if (mode === 'non-json') return void response.writeHead(200, { 'content-type': 'text/html' }).end('<html>active</html>');
      if (mode === 'oversized')
        return void response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ active: true, exp: 9e9, pad: 'x'.repeat(100_000) }));
      response.destroy();
    });
    await new Promise<void>((resolve) => introspection.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(introspection.address() as AddressInfo).port}/oauth2/introspect`;
    const authenticator = new OAuthResourceServerAuthenticator({
      resource: 'https://mcp.example.test/mcp',
      resourceMetadataUrl: PRM_URL,
      scopes: ALL_SCOPES,
      introspector: new TokenIntrospector({ url, cacheTtlSeconds: 60, timeoutMs: 200 }),
    });
    mcp = await startMcpHttpServer({ host: '127.0.0.1', port: 0, lensesUrl: 'http://127.0.0.1:9', authenticator });
  });
  after(async () => {
    await mcp?.close();
    introspection?.closeAllConnections();
    await new Promise<void>((resolve) => introspection?.close(() => resolve()));
  });

  for (const which of ['down', 'slow', '5xx', 'non-json', 'oversized'] as const) {
    it(`RS-11 introspection ${which}: 503 with a clear message, never active`, async () => {
      mode = which;
      const response = await postRaw(mcp.url, INITIALIZE, { Authorization: 'Bearer some-token' });
      assert.equal(response.status, 503);
      assert.match(((await response.json()) as { error: { message: string } }).error.message, /Cannot validate the access token right now/);
    });
  }
});

describe('API-key mode over HTTP', function () {
  this.timeout(20_000);
  it('lists all 45 tools and calls HQ with the key', async () => {
    const env = await startOAuthMcp();
    const mcp = await startMcpHttpServer({ host: '127.0.0.1', port: 0, lensesUrl: env.hq.url, authenticator: new ApiKeyAuthenticator(env.hq.apiKey) });
    try {
      const client = await connectClient(mcp.url);
      assert.equal((await client.listTools()).tools.length, 45);
      const result = await client.callTool({ name: 'list_consumer_groups', arguments: { environment: 'dev' } });
      assert.equal(result.isError, undefined);
      await client.close();
    } finally {
      await mcp.close();
      await env.close();
    }
  });
});

describe('Stateless HTTP (MCP_STATELESS_HTTP)', function () {
  this.timeout(20_000);
  it('serves each request on its own: no session id, tools work, GET is refused', async () => {
    const env = await startOAuthMcp();
    const mcp = await startMcpHttpServer({
      host: '127.0.0.1',
      port: 0,
      lensesUrl: env.hq.url,
      authenticator: new ApiKeyAuthenticator(env.hq.apiKey),
      stateless: true,
    });
    try {
      const initialize = await postRaw(mcp.url, INITIALIZE);
      assert.equal(initialize.status, 200);
      assert.equal(initialize.headers.get('mcp-session-id'), null);
      const client = await connectClient(mcp.url);
      const result = await client.callTool({ name: 'get_environment', arguments: { name: 'staging' } });
      assert.equal(result.isError, undefined);
      await client.close();
      assert.equal((await fetch(mcp.url, { headers: { Accept: 'text/event-stream' } })).status, 405);
    } finally {
      await mcp.close();
      await env.close();
    }
  });
});

describe('RS-13 a body trickled in too slowly', function () {
  this.timeout(20_000);
  let mcp: RunningMcpHttpServer;
  before(async () => {
    mcp = await startMcpHttpServer({
      host: '127.0.0.1',
      port: 0,
      lensesUrl: 'http://127.0.0.1:9',
      authenticator: new ApiKeyAuthenticator('k'.repeat(24)),
      requestTimeoutMs: 800,
    });
  });
  after(async () => {
    await mcp?.close();
  });

  it('RS-13 gets 408 after the request timeout, while an SSE stream outlives it', async () => {
    const auth = { Authorization: `Bearer ${'k'.repeat(24)}` };
    const initialized = await postRaw(mcp.url, INITIALIZE, auth);
    const sessionId = initialized.headers.get('mcp-session-id') ?? '';
    await initialized.text();
    const stream = await fetch(mcp.url, {
      headers: { ...auth, accept: 'text/event-stream', 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-06-18' },
    });
    assert.equal(stream.status, 200);
    const reader = stream.body?.getReader();
    assert.ok(reader);
    let ended = false;
    void (async () => {
      for (;;) if ((await reader.read()).done) break;
      ended = true;
    })().catch(() => (ended = true));

    const { port } = new URL(mcp.url);
    const answer = await new Promise<string>((resolve) => {
      let text = '';
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(
          `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${'k'.repeat(24)}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{`,
        );
      });
      socket.on('data', (chunk) => (text += chunk.toString('utf8')));
      socket.on('close', () => resolve(text));
    });
    assert.match(answer.split('\r\n')[0] ?? '', /^HTTP\/1\.1 408/);
    assert.equal(ended, false, 'the SSE stream is still open after the request timeout');
    await reader.cancel();
  });
});
