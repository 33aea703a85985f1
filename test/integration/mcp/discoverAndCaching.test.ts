import assert from 'node:assert/strict';
import { CLIENT_CAPABILITIES_META_KEY, type Client, PROTOCOL_VERSION_META_KEY, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { PROMPTS_TTL_MS, TOOL_SET_TTL_MS, type ToolSetChanges } from '../../../src/mcp/cacheHints';
import { EmbeddedAuthenticator, LINK_SECRET_HEADER, type SessionSource } from '../../../src/mcp/auth/embeddedAuthenticator';
import { startMcpHttpServer, type RunningMcpHttpServer } from '../../../src/mcp/http/httpServer';
import { MODERN_PROTOCOL_VERSION } from '../../../src/mcp/server';
import { protectedResourceMetadata } from '../../../src/mcp/standalone/standalone';
import { ALL_SCOPES, type Scope } from '../../../src/scopes';
import { obtainTokens, startHq, type RunningHq } from '../../../hq-emulator/testing';
import { emulatorAuthenticator, generationClient } from './harness';
import { bundledBinAndHq, connectStdioBin } from './standaloneProcess';

const ADVERTISED = 'https://mcp.example.test';
const LINK_SECRET = 'link-secret-0123456789abcdef';

/** The fields SEP-2549 adds to a cacheable result (absent on 2025 answers). */
function cacheFields(result: object): { ttlMs?: unknown; cacheScope?: unknown } {
  const { ttlMs, cacheScope } = result as { ttlMs?: unknown; cacheScope?: unknown };
  return { ...(ttlMs !== undefined ? { ttlMs } : {}), ...(cacheScope !== undefined ? { cacheScope } : {}) };
}

/** A fetch that counts the JSON-RPC methods a client puts on the wire. */
function countingFetch(): { fetch: typeof fetch; sent: (method: string) => number } {
  const counts = new Map<string, number>();
  return {
    fetch: (input, init) => {
      if (typeof init?.body === 'string') {
        const { method } = JSON.parse(init.body) as { method?: string };
        if (method) counts.set(method, (counts.get(method) ?? 0) + 1);
      }
      return fetch(input, init);
    },
    sent: (method) => counts.get(method) ?? 0,
  };
}

describe('2026-07-28 cache hints and a server/discover that says what the credential may use (OAuth mode, as standalone)', function () {
  this.timeout(30_000);
  let hq: RunningHq;
  let mcp: RunningMcpHttpServer;
  const clients: Client[] = [];

  before(async () => {
    hq = await startHq({ port: 0 });
    mcp = await startMcpHttpServer({
      host: '127.0.0.1',
      port: 0,
      lensesUrl: hq.url,
      authenticator: emulatorAuthenticator(hq, ADVERTISED, { cacheTtlSeconds: 60 }),
      advertisedUrl: ADVERTISED,
      protectedResourceMetadata: protectedResourceMetadata({
        mcpAdvertisedUrl: ADVERTISED,
        lensesAdvertisedUrl: 'https://hq.example.test',
        scopes: [...ALL_SCOPES],
      }),
      // What startStandaloneHttp passes: governance is fixed until a restart.
      toolSetChanges: 'restart' satisfies ToolSetChanges,
    });
  });
  afterEach(() => Promise.all(clients.splice(0).map((client) => client.close())));
  after(async () => {
    await mcp?.close();
    await hq?.close();
  });

  async function connect(generation: 'modern' | 'legacy', scopes: Scope[]) {
    const token = (await obtainTokens(hq, { scopes, resource: `${ADVERTISED}/mcp` })).accessToken;
    const wire = countingFetch();
    const client = generationClient(generation);
    await client.connect(
      new StreamableHTTPClientTransport(new URL(mcp.url), { fetch: wire.fetch, requestInit: { headers: { Authorization: `Bearer ${token}` } } }),
    );
    clients.push(client);
    return { client, sent: wire.sent };
  }

  it('a 2026-07-28 client gets tools/list private for 5 minutes and prompts/list public for a day, and reuses both without asking again', async () => {
    const { client, sent } = await connect('modern', ['read']);
    const tools = await client.listTools();
    assert.deepEqual(cacheFields(tools), { ttlMs: TOOL_SET_TTL_MS, cacheScope: 'private' });
    const prompts = await client.listPrompts();
    assert.deepEqual(cacheFields(prompts), { ttlMs: PROMPTS_TTL_MS, cacheScope: 'public' });
    assert.equal(prompts.prompts.length, 10);

    assert.equal((await client.listTools()).tools.length, tools.tools.length);
    await client.listPrompts();
    assert.equal(sent('tools/list'), 1, 'the second tools/list is served from the client cache');
    assert.equal(sent('prompts/list'), 1, 'the second prompts/list is served from the client cache');
  });

  it('a 2025 client on the same server gets tools/list and prompts/list without any cache field', async () => {
    const { client, sent } = await connect('legacy', ['read', 'write', 'delete']);
    assert.match(client.getNegotiatedProtocolVersion() ?? '', /^2025-/);
    const tools = await client.listTools();
    assert.equal(tools.tools.length, 45);
    assert.deepEqual(cacheFields(tools), {});
    assert.deepEqual(cacheFields(await client.listPrompts()), {});
    await client.listTools();
    assert.equal(sent('tools/list'), 2, 'nothing tells a 2025 client it may reuse the list');
  });

  it('server/discover for a read token and for a read+write+delete token names the scopes and counts exactly the tools each can call', async () => {
    const reader = await connect('modern', ['read']);
    const full = await connect('modern', ['read', 'write', 'delete']);
    const readerTools = (await reader.client.listTools()).tools.length;
    const fullTools = (await full.client.listTools()).tools.length;
    assert.equal(readerTools, 24);
    assert.equal(fullTools, 45);

    const readerSays = reader.client.getInstructions() ?? '';
    assert.match(readerSays, new RegExp(`This credential holds the Lenses scope read: ${readerTools} of the 45 tools are available to it\\.`));
    assert.match(
      readerSays,
      /Not granted: "write" \(16 tools: [a-z_]+, [a-z_]+, [a-z_]+, …\) and "delete" \(5 tools: [^)]*delete_kafka_connector[^)]*\), so those tools are not listed/,
    );
    assert.match(readerSays, /to use them, sign in again and grant "write" and "delete"\./);

    const fullSays = full.client.getInstructions() ?? '';
    assert.match(fullSays, new RegExp(`This credential holds the Lenses scopes read, write and delete: ${fullTools} of the 45 tools are available to it\\.`));
    assert.doesNotMatch(fullSays, /Not granted/);
    assert.notEqual(readerSays, fullSays);

    // The discover result itself: the SDK's capabilities and versions, private for 5 minutes.
    const discovered = await reader.client.discover();
    assert.deepEqual(discovered.supportedVersions, [MODERN_PROTOCOL_VERSION]);
    assert.deepEqual(discovered.capabilities.tools, { listChanged: true });
    assert.ok(discovered.capabilities.prompts);
    assert.deepEqual(cacheFields(discovered), { ttlMs: TOOL_SET_TTL_MS, cacheScope: 'private' });
    assert.equal(discovered.instructions, readerSays);
    assert.equal((discovered._meta?.['io.modelcontextprotocol/serverInfo'] as { name?: string } | undefined)?.name, 'Lenses');
  });

  it('server/discover without a bearer is refused with the 401 challenge that says where to get a token', async () => {
    const response = await fetch(mcp.url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json, text/event-stream',
        'MCP-Protocol-Version': MODERN_PROTOCOL_VERSION,
        'Mcp-Method': 'server/discover',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'server/discover',
        params: { _meta: { [PROTOCOL_VERSION_META_KEY]: MODERN_PROTOCOL_VERSION, [CLIENT_CAPABILITIES_META_KEY]: {} } },
      }),
    });
    assert.equal(response.status, 401);
    assert.match(
      response.headers.get('www-authenticate') ?? '',
      new RegExp(`^Bearer .*resource_metadata="${ADVERTISED}/\\.well-known/oauth-protected-resource/mcp"`),
    );
  });
});

describe('2026-07-28 server/discover and cache hints of the embedded server (VS Code session and settings change at runtime)', function () {
  this.timeout(30_000);
  let hq: RunningHq;
  let mcp: RunningMcpHttpServer;
  const clients: Client[] = [];
  /** undefined: signed out of Lenses. */
  let session: { accessToken: string; scopes: Scope[] } | undefined;

  before(async () => {
    hq = await startHq({ port: 0 });
    const sessions: SessionSource = {
      currentSession: () => Promise.resolve(session),
      signedOutScopes: () => ['read'],
      sessionLost: () => undefined,
      sessionRejected: () => undefined,
    };
    // As embeddedServerFactory: no toolSetChanges, so the default (runtime).
    mcp = await startMcpHttpServer({
      host: '127.0.0.1',
      port: 0,
      lensesUrl: hq.url,
      authenticator: new EmbeddedAuthenticator(LINK_SECRET, sessions),
      resumableStreams: false,
    });
  });
  afterEach(() => Promise.all(clients.splice(0).map((client) => client.close())));
  after(async () => {
    await mcp?.close();
    await hq?.close();
  });

  async function connect() {
    const wire = countingFetch();
    const client = generationClient('modern');
    await client.connect(
      new StreamableHTTPClientTransport(new URL(mcp.url), { fetch: wire.fetch, requestInit: { headers: { [LINK_SECRET_HEADER]: LINK_SECRET } } }),
    );
    clients.push(client);
    return { client, sent: wire.sent };
  }

  it('signed out: server/discover says the listed tools cannot run until the user signs in, and how', async () => {
    session = undefined;
    const { client } = await connect();
    const listed = (await client.listTools()).tools.length;
    assert.equal(listed, 24, 'the read tools stay listed while signed out');
    assert.match(
      client.getInstructions() ?? '',
      new RegExp(
        `Signed out of Lenses: ${listed} tools are listed, but none can run until the user signs in to Lenses in the editor \\(the "Lenses: Sign In" command\\)`,
      ),
    );
  });

  it('tools/list and server/discover are private with ttlMs 0, so a client without a listen stream asks again and sees a sign-in at once', async () => {
    session = { accessToken: (await obtainTokens(hq, { scopes: ['read'] })).accessToken, scopes: ['read'] };
    const { client, sent } = await connect();
    const tools = await client.listTools();
    assert.deepEqual(cacheFields(tools), { ttlMs: 0, cacheScope: 'private' });
    assert.deepEqual(cacheFields(await client.discover()), { ttlMs: 0, cacheScope: 'private' });
    assert.deepEqual(cacheFields(await client.listPrompts()), { ttlMs: PROMPTS_TTL_MS, cacheScope: 'public' });
    assert.equal(tools.tools.length, 24);

    session = { accessToken: (await obtainTokens(hq, { scopes: ['read', 'write'] })).accessToken, scopes: ['read', 'write'] };
    assert.equal((await client.listTools()).tools.length, 40, 'the next tools/list shows the new grant');
    assert.equal(sent('tools/list'), 2);
    assert.match((await client.discover()).instructions ?? '', /holds the Lenses scopes read and write: 40 of the 45 tools/);
  });
});

describe('2026-07-28 server/discover and cache hints on stdio (the bundled bin, API key)', function () {
  this.timeout(30_000);
  const hq = bundledBinAndHq();

  it('a client opening with server/discover is told the API key may use all 45 tools, with the standalone cache hints', async () => {
    const client = await connectStdioBin({ LENSES_URL: hq().url, LENSES_API_KEY: hq().apiKey }, generationClient('modern', 'discover-test'));
    try {
      assert.equal(client.getNegotiatedProtocolVersion(), MODERN_PROTOCOL_VERSION);
      assert.match(client.getInstructions() ?? '', /This credential holds the Lenses scopes read, write and delete: 45 of the 45 tools are available to it\./);
      const tools = await client.listTools();
      assert.equal(tools.tools.length, 45);
      assert.deepEqual(cacheFields(tools), { ttlMs: TOOL_SET_TTL_MS, cacheScope: 'private' });
      assert.deepEqual(cacheFields(await client.listPrompts()), { ttlMs: PROMPTS_TTL_MS, cacheScope: 'public' });
    } finally {
      await client.close();
    }
  });
});
