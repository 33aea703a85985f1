import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiKeyAuthenticator } from '../../../src/mcp/auth/apiKeyAuthenticator';
import { readConfig } from '../../../src/mcp/standalone/config';
import { startMcpHttpServer, type McpHttpServerOptions, type RunningMcpHttpServer } from '../../../src/mcp/http/httpServer';
import { startStandaloneHttp } from '../../../src/mcp/standalone/standalone';
import { silentLogger } from '../../../src/log';
import { obtainTokens, startHq, type RunningHq } from '../../../hq-emulator/testing';
import { connectClient, emulatorAuthenticator, INITIALIZE, postRaw, resultText } from './harness';

const ADVERTISED = 'https://mcp.example.test';
const API_KEY = 'k'.repeat(24);

/** A clock the test moves by hand: session idleness is measured with it. */
function manualClock() {
  let now = 1_000_000;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

/** Opens a session the raw way; `initialized` also sends notifications/initialized. Returns its id. */
async function openSession(url: string, headers: Record<string, string>, initialized = true): Promise<string> {
  const response = await postRaw(url, INITIALIZE, headers);
  await response.text();
  assert.equal(response.status, 200);
  const id = response.headers.get('mcp-session-id') ?? '';
  if (initialized) {
    const notified = await postRaw(
      url,
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      { ...headers, 'mcp-session-id': id, 'mcp-protocol-version': '2025-06-18' },
    );
    await notified.text();
    assert.equal(notified.status, 202);
  }
  return id;
}

/** The HTTP status a ping on session `id` gets: 200 while it is open, 404 once closed. */
async function pingStatus(url: string, headers: Record<string, string>, id: string): Promise<number> {
  const response = await postRaw(url, { jsonrpc: '2.0', id: 7, method: 'ping' }, { ...headers, 'mcp-session-id': id, 'mcp-protocol-version': '2025-06-18' });
  await response.text();
  return response.status;
}

/** `promise`'s value, or false if it takes longer than `ms`. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | false> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<false>((resolve) => (timer = setTimeout(resolve, ms, false)))]);
  } finally {
    clearTimeout(timer);
  }
}

describe('Bounded MCP sessions', function () {
  this.timeout(30_000);
  let hq: RunningHq;
  let mcp: RunningMcpHttpServer | undefined;
  const auth = { Authorization: `Bearer ${API_KEY}` };

  before(async () => {
    hq = await startHq({ port: 0 });
  });
  afterEach(async () => {
    await mcp?.close();
    mcp = undefined;
  });
  after(() => hq?.close());

  const apiKeyServer = (options: Partial<McpHttpServerOptions>) =>
    startMcpHttpServer({ host: '127.0.0.1', port: 0, lensesUrl: hq.url, authenticator: new ApiKeyAuthenticator(API_KEY), ...options });

  it("per user: past the cap the user's longest-idle session is closed, and no other user's", async () => {
    const clock = manualClock();
    const authenticator = emulatorAuthenticator(hq, ADVERTISED);
    mcp = await startMcpHttpServer({ host: '127.0.0.1', port: 0, lensesUrl: hq.url, authenticator, maxSessionsPerSubject: 3, now: clock.now });
    const alice = { Authorization: `Bearer ${(await obtainTokens(hq, { username: 'alice', scopes: ['read'], resource: `${ADVERTISED}/mcp` })).accessToken}` };
    const admin = { Authorization: `Bearer ${(await obtainTokens(hq, { username: 'admin', scopes: ['read'], resource: `${ADVERTISED}/mcp` })).accessToken}` };
    const admins = await openSession(mcp.url, admin);
    const alices: string[] = [];
    for (let i = 0; i < 3; i++) {
      clock.advance(1000);
      alices.push(await openSession(mcp.url, alice));
    }
    clock.advance(1000);
    assert.equal(await pingStatus(mcp.url, alice, alices[0]), 200); // now alices[1] is the longest idle
    clock.advance(1000);
    const fourth = await openSession(mcp.url, alice);
    assert.equal(await pingStatus(mcp.url, alice, alices[1]), 404, 'the longest-idle session of alice was closed');
    for (const id of [alices[0], alices[2], fourth]) assert.equal(await pingStatus(mcp.url, alice, id), 200);
    assert.equal(await pingStatus(mcp.url, admin, admins), 200, 'another user keeps their session');
  });

  it('in total: at the cap a new session gets a clear 503 while all are in use, and takes the place of one idle for over a minute', async () => {
    const clock = manualClock();
    mcp = await apiKeyServer({ maxSessions: 3, now: clock.now });
    const ids = [await openSession(mcp.url, auth)];
    clock.advance(1000);
    ids.push(await openSession(mcp.url, auth), await openSession(mcp.url, auth));
    const refused = await postRaw(mcp.url, INITIALIZE, auth);
    assert.equal(refused.status, 503);
    assert.equal(refused.headers.get('retry-after'), '60');
    assert.match(
      ((await refused.json()) as { error: { message: string } }).error.message,
      /^Too many open MCP sessions \(3\); close unused ones \(DELETE \/mcp\) or try again in a minute$/,
    );

    clock.advance(60_000);
    for (const id of ids.slice(1)) assert.equal(await pingStatus(mcp.url, auth, id), 200);
    const admitted = await openSession(mcp.url, auth);
    assert.equal(await pingStatus(mcp.url, auth, ids[0]), 404, 'the session idle for over a minute made room');
    assert.equal(await pingStatus(mcp.url, auth, admitted), 200);
  });

  it('300 initialize requests without DELETE at concurrency 16 leave at most MCP_MAX_SESSIONS open, every one answered', async () => {
    mcp = await apiKeyServer({ maxSessions: 50 });
    const url = mcp.url;
    const statuses: number[] = [];
    const ids: string[] = [];
    let sent = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (sent < 300) {
          sent += 1;
          const response = await postRaw(url, INITIALIZE, auth);
          await response.text();
          statuses.push(response.status);
          if (response.status === 200) ids.push(response.headers.get('mcp-session-id') ?? '');
        }
      }),
    );
    assert.equal(statuses.length, 300);
    assert.equal(statuses.filter((status) => status === 200).length, 50);
    assert.equal(statuses.filter((status) => status === 503).length, 250);
    assert.equal(await pingStatus(url, auth, ids[0]), 200, 'the admitted sessions are still served');
  });

  it('a session that never sent notifications/initialized is closed after the short idle limit; an initialized one stays', async () => {
    const clock = manualClock();
    mcp = await apiKeyServer({ uninitializedSessionIdleMs: 1000, now: clock.now });
    const url = mcp.url;
    const abandoned = await openSession(url, auth, false);
    // Its SSE stream ends when the server closes the session (a request would count as activity).
    const stream = await fetch(url, { headers: { ...auth, accept: 'text/event-stream', 'mcp-session-id': abandoned, 'mcp-protocol-version': '2025-06-18' } });
    assert.equal(stream.status, 200);
    const ended = stream.text().then(
      () => true,
      () => true,
    );
    const client = await connectClient(url, API_KEY);
    try {
      clock.advance(1001);
      assert.equal(await within(ended, 5000), true, 'the abandoned session was closed');
      assert.equal(await pingStatus(url, auth, abandoned), 404);
      await client.ping();
      assert.equal((await client.listTools()).tools.length, 45);
    } finally {
      await client.close();
    }
  });

  it('RS-28 an idle HTTP+SSE session is swept like a streamable one: its stream ends and its session is gone', async () => {
    const clock = manualClock();
    mcp = await apiKeyServer({ transport: 'sse', sessionIdleMs: 1000, now: clock.now });
    const stream = await fetch(mcp.url, { headers: { ...auth, Accept: 'text/event-stream' } });
    assert.equal(stream.status, 200);
    const reader = stream.body?.getReader();
    assert.ok(reader);
    const first = new TextDecoder().decode((await reader.read()).value);
    const endpoint = /data: (\S+)/.exec(first)?.[1];
    assert.ok(endpoint, first);
    const messages = new URL(endpoint, mcp.url).toString();
    const ended = (async () => {
      for (;;) if ((await reader.read()).done) return true;
    })().catch(() => true);
    const post = async () => (await postRaw(messages, { jsonrpc: '2.0', id: 1, method: 'ping' }, auth)).status;
    assert.equal(await post(), 202, 'the session is open');
    clock.advance(999);
    assert.equal(await within(ended, 700), false, 'a request less than the idle limit ago keeps it');
    clock.advance(1001);
    assert.equal(await within(ended, 5000), true, 'the idle session was closed');
    assert.equal(await post(), 404);
  });
});

describe('LENSES_TIMEOUT_SECONDS', function () {
  this.timeout(20_000);
  let silentHq: Server;
  let mcp: RunningMcpHttpServer | undefined;

  before(async () => {
    // An HQ that accepts connections and never answers.
    silentHq = createServer(() => {});
    await new Promise<void>((resolve) => silentHq.listen(0, '127.0.0.1', resolve));
  });
  after(async () => {
    await mcp?.close();
    silentHq.closeAllConnections();
    await new Promise<void>((resolve) => silentHq.close(() => resolve()));
  });

  it('bounds each HQ call: the tool says Lenses did not answer within the configured time', async () => {
    const config = readConfig({
      LENSES_URL: `http://127.0.0.1:${(silentHq.address() as AddressInfo).port}`,
      LENSES_API_KEY: API_KEY,
      TRANSPORT: 'http',
      HOST: '127.0.0.1',
      PORT: '0',
      LENSES_TIMEOUT_SECONDS: '1',
    });
    mcp = await startStandaloneHttp(config, { logger: silentLogger });
    const client = await connectClient(mcp.url, API_KEY);
    try {
      const started = Date.now();
      const result = await client.callTool({ name: 'list_environments', arguments: {} });
      assert.equal(result.isError, true);
      assert.match(resultText(result), /within 1000 ms/);
      assert.ok(Date.now() - started < 10_000);
    } finally {
      await client.close();
    }
  });
});
