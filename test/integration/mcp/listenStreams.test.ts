import assert from 'node:assert/strict';
import { startMcpHttpServer, type McpHttpServerOptions, type RunningMcpHttpServer } from '../../../src/mcp/http/httpServer';
import { MODERN_PROTOCOL_VERSION } from '../../../src/mcp/server';
import { obtainTokens, startHq, type RunningHq } from '../../../hq-emulator/testing';
import { eventually } from '../../support/waiting';
import { emulatorAuthenticator } from './harness';

const ADVERTISED = 'https://mcp.example.test';

/** One `subscriptions/listen` request as a 2026-07-28 client sends it. */
function listenRequest(id: number): object {
  return {
    jsonrpc: '2.0',
    id,
    method: 'subscriptions/listen',
    params: {
      notifications: { toolsListChanged: true },
      _meta: {
        'io.modelcontextprotocol/protocolVersion': MODERN_PROTOCOL_VERSION,
        'io.modelcontextprotocol/clientInfo': { name: 'listen-test', version: '1' },
        'io.modelcontextprotocol/clientCapabilities': {},
      },
    },
  };
}

interface Listening {
  /** The JSON-RPC messages received so far. */
  messages: Array<{ id?: unknown; method?: string; error?: { message: string } }>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  /** The client hangs up. */
  close(): void;
}

let nextId = 1;

/** Opens a listen stream with `token`: the stream, or the JSON-RPC error that refused it. */
async function listen(url: string, token: string): Promise<Listening | { refused: string }> {
  const hangUp = new AbortController();
  const response = await fetch(url, {
    method: 'POST',
    signal: hangUp.signal,
    headers: {
      Authorization: `Bearer ${token}`,
      'Content-Type': 'application/json',
      Accept: 'application/json, text/event-stream',
      'MCP-Protocol-Version': MODERN_PROTOCOL_VERSION,
      'MCP-Method': 'subscriptions/listen',
    },
    body: JSON.stringify(listenRequest(nextId++)),
  });
  assert.equal(response.status, 200);
  if (!response.headers.get('content-type')?.startsWith('text/event-stream')) {
    const answer = (await response.json()) as { error: { message: string } };
    return { refused: answer.error.message };
  }
  const messages: Listening['messages'] = [];
  const reader = response.body?.getReader();
  assert.ok(reader);
  const decoder = new TextDecoder();
  let pending = '';
  const ended = (async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      pending += decoder.decode(value, { stream: true });
      for (let end = pending.indexOf('\n\n'); end >= 0; end = pending.indexOf('\n\n')) {
        const data = pending
          .slice(0, end)
          .split('\n')
          .find((line) => line.startsWith('data: '));
        pending = pending.slice(end + 2);
        if (data) messages.push(JSON.parse(data.slice(6)) as Listening['messages'][number]);
      }
    }
  })().catch(() => {});
  const listening = { messages, ended, close: () => hangUp.abort() };
  assert.ok(await eventually(() => messages.some((message) => message.method === 'notifications/subscriptions/acknowledged')), 'acknowledged');
  return listening;
}

function opened(result: Listening | { refused: string }): Listening {
  assert.ok(!('refused' in result), 'refused' in result ? result.refused : '');
  return result;
}

describe('RS-28 subscriptions/listen streams', function () {
  this.timeout(30_000);
  let hq: RunningHq;
  let mcp: RunningMcpHttpServer | undefined;
  const streams: Listening[] = [];

  before(async () => {
    hq = await startHq({ port: 0 });
  });
  afterEach(async () => {
    for (const stream of streams.splice(0)) stream.close();
    await mcp?.close();
    mcp = undefined;
  });
  after(() => hq?.close());

  const oauthServer = (options: Partial<McpHttpServerOptions>) =>
    startMcpHttpServer({
      host: '127.0.0.1',
      port: 0,
      lensesUrl: hq.url,
      advertisedUrl: ADVERTISED,
      authenticator: emulatorAuthenticator(hq, ADVERTISED),
      ...options,
    });
  const tokenOf = async (username: string) => obtainTokens(hq, { username, scopes: ['read'], resource: `${ADVERTISED}/mcp` });

  it('RS-28 are capped per credential (default 4) and in total, each refusal saying which cap; a closed stream gives its place back', async () => {
    mcp = await oauthServer({ maxListenStreams: 6 });
    const alice = (await tokenOf('alice')).accessToken;
    const admin = (await tokenOf('admin')).accessToken;
    for (let i = 0; i < 4; i++) streams.push(opened(await listen(mcp.url, alice)));
    assert.deepEqual(await listen(mcp.url, alice), {
      refused: 'Too many subscriptions/listen streams for this credential (4 open, the most allowed); close one first',
    });
    streams.push(opened(await listen(mcp.url, admin)), opened(await listen(mcp.url, admin)));
    assert.deepEqual(await listen(mcp.url, admin), {
      refused: 'Too many subscriptions/listen streams on this server (6 open, the most allowed); try again later',
    });

    mcp.notifyToolsChanged();
    assert.ok(
      await eventually(() => streams.every((stream) => stream.messages.some((message) => message.method === 'notifications/tools/list_changed'))),
      'every open stream hears that the tools changed',
    );

    streams[0].close();
    // The place is given back once the server sees the connection close.
    let again = await listen(mcp.url, alice);
    for (let attempt = 0; 'refused' in again && attempt < 40; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      again = await listen(mcp.url, alice);
    }
    streams.push(opened(again));
  });

  it('RS-28 a stream ends, with a JSON-RPC error saying why, once its token is revoked; another token keeps its stream', async () => {
    mcp = await oauthServer({ listenRecheckMs: 100 });
    const alice = await tokenOf('alice');
    const admin = await tokenOf('admin');
    const revoked = opened(await listen(mcp.url, alice.accessToken));
    const kept = opened(await listen(mcp.url, admin.accessToken));
    streams.push(revoked, kept);
    const revocation = await fetch(`${hq.url}/oauth2/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: alice.accessToken, client_id: alice.clientId }).toString(),
    });
    assert.equal(revocation.status, 200);
    const ended = await Promise.race([revoked.ended.then(() => true), new Promise<false>((resolve) => setTimeout(resolve, 5000, false))]);
    assert.equal(ended, true, 'the revoked token lost its stream');
    const last = revoked.messages[revoked.messages.length - 1];
    assert.match(last.error?.message ?? '', /^The credential this subscription was opened with is no longer valid/);
    await new Promise((resolve) => setTimeout(resolve, 300));
    mcp.notifyToolsChanged();
    assert.ok(await eventually(() => kept.messages.some((message) => message.method === 'notifications/tools/list_changed')), 'the other stream is still open');
    const refused = await fetch(mcp.url, {
      method: 'POST',
      headers: { Authorization: `Bearer ${alice.accessToken}`, 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' },
      body: JSON.stringify(listenRequest(nextId++)),
    });
    assert.equal(refused.status, 401, 'and cannot open another');
  });
});
