import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { Client, SSEClientTransport } from '@modelcontextprotocol/client';
import { silentLogger } from '../../../src/log';
import { readConfig } from '../../../src/mcp/standalone/config';
import type { RunningMcpHttpServer } from '../../../src/mcp/http/httpServer';
import { startStandaloneHttp } from '../../../src/mcp/standalone/standalone';
import { obtainTokens, startHq, type RunningHq } from '../../../hq-emulator/testing';
import { assertReadOnlyClientWorks, INITIALIZE, postRaw, resultJson } from './harness';
import { runBin, startBin } from './standaloneProcess';

const ADVERTISED = 'https://mcp.example.test';

async function connectSse(url: string, token: string): Promise<Client> {
  const client = new Client({ name: 'sse-test', version: '1' });
  await client.connect(new SSEClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
  return client;
}

/** The standalone server from environment variables, in-process, on a loopback port. */
function startFromEnv(env: Record<string, string>): Promise<RunningMcpHttpServer> {
  return startStandaloneHttp(readConfig({ HOST: '127.0.0.1', PORT: '0', ...env }), { logger: silentLogger });
}

/** Reads an SSE stream until `count` events arrived (raw, to see the wire format FastMCP clients expect). */
function readSseEvents(url: string, headers: Record<string, string>, count: number): Promise<{ status: number; events: string[]; close(): void }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { headers: { Accept: 'text/event-stream', ...headers } }, (response) => {
      let buffer = '';
      const events: string[] = [];
      response.setEncoding('utf8');
      const done = () => resolve({ status: response.statusCode ?? 0, events, close: () => request.destroy() });
      if (response.statusCode !== 200) {
        response.resume();
        return done();
      }
      response.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          events.push(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
        if (events.length >= count) done();
      });
    });
    request.on('error', reject);
    request.end();
  });
}

describe('TRANSPORT=sse (GET /sse + POST /messages/, as FastMCP serves it)', function () {
  this.timeout(20_000);
  let hq: RunningHq;
  before(async () => {
    hq = await startHq({ port: 0 });
  });
  after(() => hq?.close());

  it('API-key mode: the SDK SSE client lists and calls tools; the stream names /messages/?session_id=<replica>.<uuid>', async () => {
    const server = await startFromEnv({ TRANSPORT: 'sse', LENSES_URL: hq.url, LENSES_API_KEY: hq.apiKey, MCP_REPLICA_ID: 'r7' });
    try {
      assert.match(server.url, /\/sse$/);
      const raw = await readSseEvents(server.url, {}, 1);
      raw.close();
      assert.equal(raw.status, 200);
      assert.match(raw.events[0] ?? '', /^event: endpoint\ndata: \/messages\/\?session_id=r7\.[0-9a-f-]{36}$/);
      const client = await connectSse(server.url, 'ignored-in-api-key-mode');
      assert.equal((await client.listTools()).tools.length, 45);
      const environments = resultJson(await client.callTool({ name: 'list_environments', arguments: {} })) as Array<{ name: string }>;
      assert.ok(environments.some((environment) => environment.name === 'dev'));
      await client.close();
    } finally {
      await server.close();
    }
  });

  it('POST /messages/ answers as FastMCP: 400 without session_id, 404 for an unknown one, 400 for a non-message', async () => {
    const server = await startFromEnv({ TRANSPORT: 'sse', LENSES_URL: hq.url, LENSES_API_KEY: hq.apiKey });
    const base = new URL(server.url);
    try {
      const missing = await postRaw(new URL('/messages/', base).href, INITIALIZE);
      assert.deepEqual([missing.status, await missing.text()], [400, 'session_id is required']);
      const unknown = await postRaw(new URL('/messages/?session_id=nope', base).href, INITIALIZE);
      assert.deepEqual([unknown.status, await unknown.text()], [404, 'Could not find session']);
      const stream = await readSseEvents(server.url, {}, 1);
      const endpoint = /data: (\S+)/.exec(stream.events[0] ?? '')?.[1] ?? '';
      const notMessage = await postRaw(new URL(endpoint, base).href, { hello: 'world' });
      assert.deepEqual([notMessage.status, await notMessage.text()], [400, 'Could not parse message']);
      const accepted = await postRaw(new URL(endpoint.replace('/messages/', '/messages'), base).href, INITIALIZE);
      assert.deepEqual([accepted.status, await accepted.text()], [202, 'Accepted']);
      stream.close();
      assert.equal((await fetch(new URL('/mcp', base))).status, 404, '/mcp is not served with TRANSPORT=sse');
    } finally {
      await server.close();
    }
  });

  it("OAuth mode: tools by scope over SSE, and the 401/403 challenges have the same shape as /mcp's (resource …/sse)", async () => {
    const server = await startFromEnv({ TRANSPORT: 'sse', OAUTH_ENABLED: 'true', MCP_ADVERTISED_URL: ADVERTISED, LENSES_URL: hq.url });
    try {
      const unauthenticated = await fetch(server.url, { headers: { Accept: 'text/event-stream' } });
      assert.equal(unauthenticated.status, 401);
      assert.equal(
        unauthenticated.headers.get('www-authenticate'),
        `Bearer resource_metadata="${ADVERTISED}/.well-known/oauth-protected-resource/sse", scope="read write delete"`,
      );
      const prm = (await (await fetch(new URL('/.well-known/oauth-protected-resource/sse', server.url))).json()) as { resource: string };
      assert.equal(prm.resource, `${ADVERTISED}/sse`);

      const read = (await obtainTokens(hq, { scopes: ['read'], resource: `${ADVERTISED}/sse` })).accessToken;
      const client = await connectSse(server.url, read);
      await assertReadOnlyClientWorks(client);
      await client.close();

      const stream = await readSseEvents(server.url, { Authorization: `Bearer ${read}` }, 1);
      const endpoint = new URL(/data: (\S+)/.exec(stream.events[0] ?? '')?.[1] ?? '', server.url).href;
      const call = {
        jsonrpc: '2.0',
        id: 3,
        method: 'tools/call',
        params: { name: 'delete_consumer_group', arguments: { environment: 'dev', group_id: 'orders-archiver' } },
      };
      const forbidden = await postRaw(endpoint, call, { Authorization: `Bearer ${read}` });
      assert.equal(forbidden.status, 403);
      assert.equal(
        forbidden.headers.get('www-authenticate'),
        `Bearer error="insufficient_scope", scope="read delete", resource_metadata="${ADVERTISED}/.well-known/oauth-protected-resource/sse"`,
      );
      const noToken = await postRaw(endpoint, call);
      assert.equal(noToken.status, 401);
      const otherResource = (await obtainTokens(hq, { scopes: ['read'], resource: `${ADVERTISED}/mcp` })).accessToken;
      assert.equal(
        (await fetch(server.url, { headers: { Accept: 'text/event-stream', Authorization: `Bearer ${otherResource}` } })).status,
        401,
        'a token for /mcp is not one for /sse',
      );
      stream.close();
    } finally {
      await server.close();
    }
  });
});

describe('CORS for browser-based MCP clients (as the official server, Host/Origin rules unchanged)', function () {
  this.timeout(20_000);
  let hq: RunningHq;
  let server: RunningMcpHttpServer;
  before(async () => {
    hq = await startHq({ port: 0 });
    server = await startFromEnv({
      TRANSPORT: 'http',
      OAUTH_ENABLED: 'true',
      MCP_ADVERTISED_URL: ADVERTISED,
      LENSES_URL: hq.url,
      MCP_ALLOWED_HOSTS: 'app.example.test',
    });
  });
  after(async () => {
    await server?.close();
    await hq?.close();
  });

  it('answers a preflight from an allowed origin before authentication, mirroring the requested headers', async () => {
    const response = await fetch(server.url, {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://app.example.test',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization, content-type, mcp-session-id, mcp-protocol-version',
      },
    });
    assert.equal(response.status, 204);
    assert.equal(response.headers.get('access-control-allow-origin'), '*');
    assert.equal(response.headers.get('access-control-allow-methods'), 'GET, POST, DELETE, OPTIONS');
    assert.equal(response.headers.get('access-control-allow-headers'), 'authorization, content-type, mcp-session-id, mcp-protocol-version');
    assert.equal(response.headers.get('access-control-allow-credentials'), null);
  });

  it('exposes WWW-Authenticate on a 401 and Mcp-Session-Id on initialize to an allowed origin', async () => {
    const challenge = await postRaw(server.url, INITIALIZE, { Origin: 'https://app.example.test' });
    assert.equal(challenge.status, 401);
    assert.equal(challenge.headers.get('access-control-allow-origin'), '*');
    assert.equal(challenge.headers.get('access-control-expose-headers'), 'Mcp-Session-Id, WWW-Authenticate');
    const token = (await obtainTokens(hq, { scopes: ['read'], resource: `${ADVERTISED}/mcp` })).accessToken;
    const initialized = await postRaw(server.url, INITIALIZE, { Origin: 'https://app.example.test', Authorization: `Bearer ${token}` });
    assert.equal(initialized.status, 200);
    assert.ok(initialized.headers.get('mcp-session-id'));
    assert.equal(initialized.headers.get('access-control-expose-headers'), 'Mcp-Session-Id, WWW-Authenticate');
    await initialized.body?.cancel();
  });

  it('RS-22 a preflight or request from an origin that is not allowed still gets 403 and no CORS header (RS-12 unchanged)', async () => {
    for (const method of ['OPTIONS', 'POST']) {
      const response = await fetch(server.url, {
        method,
        headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST', 'Content-Type': 'application/json' },
        ...(method === 'POST' ? { body: JSON.stringify(INITIALIZE) } : {}),
      });
      assert.equal(response.status, 403, method);
      assert.equal(response.headers.get('access-control-allow-origin'), null, method);
      await response.body?.cancel();
    }
  });
});

function getWithHost(url: URL, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { headers: { Host: host } }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', reject);
    request.end();
  });
}

describe('/health and /ready (no authentication, nothing internal)', function () {
  this.timeout(20_000);

  it('RS-21 /health answers 200 with status and version; /ready follows HQ up and down; neither names the HQ URL', async () => {
    const hq = await startHq({ port: 0 });
    const hqUrl = hq.url;
    const server = await startFromEnv({
      TRANSPORT: 'http',
      OAUTH_ENABLED: 'true',
      MCP_ADVERTISED_URL: ADVERTISED,
      LENSES_URL: hqUrl,
      LENSES_TIMEOUT_SECONDS: '2',
    });
    const base = new URL(server.url);
    let hqOpen = true;
    try {
      // A kubelet addresses the pod by IP: no Host rule for the probes.
      const health = await getWithHost(new URL('/health', base), '10.1.2.3:8000');
      assert.equal(health.status, 200);
      assert.deepEqual(JSON.parse(health.body), { status: 'ok', version: '0.1.0' });
      assert.equal((await getWithHost(new URL('/mcp', base), '10.1.2.3:8000')).status, 403, 'the Host rule still holds for /mcp');
      const ready = await fetch(new URL('/ready', base));
      assert.equal(ready.status, 200);
      assert.deepEqual(await ready.json(), { status: 'ready', version: '0.1.0' });

      await hq.close();
      hqOpen = false;
      // Readiness answers are reused for a second: wait for the next one to see HQ gone.
      let down: Response;
      let body = '';
      const deadline = Date.now() + 5000;
      do {
        down = await fetch(new URL('/ready', base));
        body = await down.text();
      } while (down.status === 200 && Date.now() < deadline);
      assert.equal(down.status, 503);
      assert.deepEqual(JSON.parse(body), { status: 'not ready', reason: 'Lenses HQ did not answer in time', version: '0.1.0' });
      assert.ok(!body.includes(new URL(hqUrl).port), 'HQ address in /ready');
      assert.equal((await fetch(new URL('/health', base))).status, 200, 'liveness does not depend on HQ');
    } finally {
      await server.close();
      if (hqOpen) await hq.close();
    }
  });
});

describe('the bin: bad values of the new variables, and the legacy HQ names', function () {
  this.timeout(30_000);

  for (const [label, env, named] of [
    ['an unknown TRANSPORT', { LENSES_API_KEY: 'k', TRANSPORT: 'websocket' }, 'TRANSPORT'],
    [
      'MCP_STATELESS_HTTP and FASTMCP_STATELESS_HTTP disagreeing',
      { LENSES_API_KEY: 'k', MCP_STATELESS_HTTP: 'true', FASTMCP_STATELESS_HTTP: 'false' },
      'MCP_STATELESS_HTTP',
    ],
    ['a legacy URL with a port in it', { LENSES_API_KEY: 'k', LENSES_API_HTTP_URL: 'http://hq:9991' }, 'LENSES_API_HTTP_URL'],
    ['a bad MCP_REPLICA_ID', { LENSES_API_KEY: 'k', MCP_REPLICA_ID: 'a/b' }, 'MCP_REPLICA_ID'],
    ['a bad SHUTDOWN_GRACE_SECONDS', { LENSES_API_KEY: 'k', SHUTDOWN_GRACE_SECONDS: 'soon' }, 'SHUTDOWN_GRACE_SECONDS'],
    ['OTLP over grpc', { LENSES_API_KEY: 'k', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, 'OTEL_EXPORTER_OTLP_PROTOCOL'],
    ['an unknown OTEL_EXPORTER', { LENSES_API_KEY: 'k', OTEL_EXPORTER: 'jaeger' }, 'OTEL_EXPORTER'],
  ] as const) {
    it(`exits 2 with one line naming the variable for ${label}`, async () => {
      const { code, stdout, stderr } = await runBin([], env);
      assert.equal(code, 2);
      assert.equal(stdout, '');
      assert.match(stderr, new RegExp(`^lenses-mcp: ${named} [^\n]*\n$`));
    });
  }

  it('prints one deprecation line and serves tools from HQ at URL:PORT', async () => {
    const hq = await startHq({ port: 0 });
    const { hostname, port, protocol } = new URL(hq.url);
    const bin = await startBin({
      TRANSPORT: 'streamable-http',
      HOST: '127.0.0.1',
      PORT: '0',
      LENSES_API_KEY: hq.apiKey,
      LENSES_API_HTTP_URL: `${protocol}//${hostname}`,
      LENSES_API_HTTP_PORT: port,
      FASTMCP_STATELESS_HTTP: 'on',
    });
    try {
      const deprecations = bin
        .stderr()
        .split('\n')
        .filter((line) => line.includes('deprecated'));
      assert.deepEqual(deprecations, [`lenses-mcp: LENSES_API_HTTP_URL, LENSES_API_HTTP_PORT are deprecated: set LENSES_URL=${hq.url} instead`]);
      assert.match(bin.stderr(), /\(stateless\)/);
      const call = await postRaw(bin.url, { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'list_environments', arguments: {} } });
      assert.equal(call.status, 200);
      assert.match(await call.text(), /"dev"/);
    } finally {
      assert.equal(await bin.stop('SIGTERM'), 0);
      await hq.close();
    }
  });
});
