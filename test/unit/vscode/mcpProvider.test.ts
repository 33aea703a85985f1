import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { EmbeddedAuthenticator, type SessionSource } from '../../../src/mcp/embeddedAuthenticator';
import { startMcpHttpServer } from '../../../src/mcp/httpServer';
import type { Scope } from '../../../src/scopes';
import { EmbeddedServerController, LINK_SECRET_HEADER_NAME, type RunningServer, type StartEmbeddedServer } from '../../../src/vscode/embeddedServer';
import { LensesMcpServerProvider, PLACEHOLDER_MCP_URL } from '../../../src/vscode/mcpProvider';
import type { LensesSettings } from '../../../src/vscode/settings';
import { RecordingLogger, settings } from './fakes';

interface Definition {
  label: string;
  url: string;
  headers: Record<string, string>;
}

const NOW = 1_800_000_000_000;

const signedIn: SessionSource = {
  currentSession: async () => ({ accessToken: 't', scopes: ['read'] }),
  signedOutScopes: () => ['read'],
  sessionLost: () => undefined,
  sessionRejected: () => undefined,
};

function fakeStarter() {
  const started: Array<{ lensesUrl: string; linkSecret: string; closed: boolean; notified: number }> = [];
  const start: StartEmbeddedServer = async ({ lensesUrl, linkSecret }) => {
    const record = { lensesUrl, linkSecret, closed: false, notified: 0 };
    started.push(record);
    const server: RunningServer = {
      url: `http://127.0.0.1:${40000 + started.length}/mcp`,
      notifyToolsChanged: () => void record.notified++,
      close: async () => void (record.closed = true),
    };
    return server;
  };
  return { start, started };
}

function provider(options: { settings?: Partial<LensesSettings>; signIn?: boolean; remoteToken?: string; signedIn?: boolean } = {}) {
  let current = settings(options.settings);
  const { start, started } = fakeStarter();
  const server = new EmbeddedServerController(start, signedIn, new RecordingLogger());
  const timers: Array<{ run: () => void; delayMs: number }> = [];
  let prompts = 0;
  const mcp = new LensesMcpServerProvider<Definition>({
    settings: () => current,
    server,
    hasSession: async () => options.signedIn ?? false,
    ensureSession: async () => {
      prompts++;
      return options.signIn ?? true;
    },
    remoteAccessToken: async () => (options.remoteToken ? { accessToken: options.remoteToken, expiresAt: NOW + 3_600_000 } : undefined),
    now: () => NOW,
    setTimer: (run, delayMs) => {
      timers.push({ run, delayMs });
      return {
        dispose: () =>
          void timers.splice(
            timers.findIndex((timer) => timer.run === run),
            1,
          ),
      };
    },
    createDefinition: (label, url, headers) => ({ label, url, headers }),
    logger: new RecordingLogger(),
  });
  let fired = 0;
  mcp.onDidChangeMcpServerDefinitions(() => fired++);
  return {
    mcp,
    server,
    started,
    prompts: () => prompts,
    fired: () => fired,
    timers,
    change: (next: Partial<LensesSettings>) => void (current = { ...current, ...next }),
  };
}

describe('LensesMcpServerProvider', () => {
  it('provides one "Lenses" definition without prompting or starting anything', () => {
    const { mcp, prompts, started } = provider();
    assert.deepEqual(mcp.provideMcpServerDefinitions(), [{ label: 'Lenses', url: PLACEHOLDER_MCP_URL, headers: {} }]);
    assert.equal(prompts(), 0);
    assert.equal(started.length, 0);
  });

  it('resolve makes sure of a session, starts the server once, and sets the link secret header', async () => {
    const { mcp, started, prompts } = provider();
    const [first, second] = await Promise.all([
      mcp.resolveMcpServerDefinition(mcp.provideMcpServerDefinitions()[0]),
      mcp.resolveMcpServerDefinition(mcp.provideMcpServerDefinitions()[0]),
    ]);
    assert.equal(started.length, 1, 'one server for concurrent resolves');
    assert.equal(prompts(), 2);
    assert.equal(first?.url, 'http://127.0.0.1:40001/mcp');
    const secret = first?.headers[LINK_SECRET_HEADER_NAME] ?? '';
    assert.match(secret, /^[A-Za-z0-9_-]{43}$/, '32 random bytes, base64url');
    assert.equal(second?.headers[LINK_SECRET_HEADER_NAME], secret);
    assert.equal(started[0].lensesUrl, 'https://hq.example.com');
  });

  it('does not ask to sign in again when a session exists, even with fewer scopes than configured', async () => {
    const { mcp, prompts, started } = provider({ signedIn: true });
    await mcp.resolveMcpServerDefinition(mcp.provideMcpServerDefinitions()[0]);
    assert.equal(prompts(), 0);
    assert.equal(started.length, 1);
  });

  it('does not start the server when the user declines to sign in', async () => {
    const { mcp, started } = provider({ signIn: false });
    assert.equal(await mcp.resolveMcpServerDefinition(mcp.provideMcpServerDefinitions()[0]), undefined);
    assert.equal(started.length, 0);
  });

  it('a session change refreshes the tools without firing a definition change (that would stop the server)', async () => {
    const { mcp, started, fired } = provider();
    await mcp.resolveMcpServerDefinition(mcp.provideMcpServerDefinitions()[0]);
    mcp.sessionsChanged();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(started[0].notified, 1);
    assert.equal(fired(), 0);
    assert.equal(started[0].closed, false);
  });

  it('a new lenses.url keeps the server up: the same server and definition, the tools listed again, no definition change', async () => {
    const { mcp, started, fired, change } = provider();
    const before = await mcp.resolveMcpServerDefinition(mcp.provideMcpServerDefinitions()[0]);
    change({ url: 'https://other.example.com' });
    await mcp.configurationChanged((section) => section === 'lenses.url');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(started.length, 1, 'no second server');
    assert.equal(started[0].closed, false);
    assert.equal(started[0].notified, 1, "tools/list_changed: the clients list the new HQ's tools");
    assert.equal(fired(), 0, 'VS Code keeps its definition (firing would stop the server)');
    const after = await mcp.resolveMcpServerDefinition(mcp.provideMcpServerDefinitions()[0]);
    assert.equal(after?.url, before?.url);
    assert.equal(after?.headers[LINK_SECRET_HEADER_NAME], before?.headers[LINK_SECRET_HEADER_NAME]);
  });

  it('a new lenses.url while the server is stopped starts nothing', async () => {
    const { mcp, started, fired, change } = provider();
    change({ url: 'https://other.example.com' });
    await mcp.configurationChanged((section) => section === 'lenses.url');
    assert.equal(started.length, 0);
    assert.equal(fired(), 0);
  });

  it('a new lenses.mcp.url stops the embedded server and fires a definition change', async () => {
    const { mcp, started, fired, change } = provider();
    await mcp.resolveMcpServerDefinition(mcp.provideMcpServerDefinitions()[0]);
    change({ mcpUrl: 'https://mcp.example.com/mcp' });
    await mcp.configurationChanged((section) => section === 'lenses.mcp.url');
    assert.equal(started[0].closed, true);
    assert.equal(fired(), 1);
  });

  it('ignores changes of other settings', async () => {
    const { mcp, fired } = provider();
    await mcp.configurationChanged((section) => section === 'lenses.oauth.scopes');
    assert.equal(fired(), 0);
  });

  it('with lenses.mcp.url, resolves to the remote server with a bearer and starts nothing', async () => {
    const { mcp, started } = provider({ settings: { mcpUrl: 'https://mcp.example.com/mcp' }, remoteToken: 'remote-token' });
    const [provided] = mcp.provideMcpServerDefinitions();
    assert.equal(provided.url, 'https://mcp.example.com/mcp');
    assert.deepEqual(provided.headers, {});
    const resolved = await mcp.resolveMcpServerDefinition(provided);
    assert.deepEqual(resolved, { label: 'Lenses', url: 'https://mcp.example.com/mcp', headers: { Authorization: 'Bearer remote-token' } });
    assert.equal(started.length, 0);
  });

  it('with lenses.mcp.url, renews the bearer 2 minutes before it expires by firing a definition change', async () => {
    const { mcp, timers, fired } = provider({ settings: { mcpUrl: 'https://mcp.example.com/mcp' }, remoteToken: 'remote-token' });
    await mcp.resolveMcpServerDefinition(mcp.provideMcpServerDefinitions()[0]);
    assert.equal(timers.length, 1);
    assert.equal(timers[0].delayMs, 3_600_000 - 120_000);
    await mcp.resolveMcpServerDefinition(mcp.provideMcpServerDefinitions()[0]);
    assert.equal(timers.length, 1, 'a new resolve replaces the pending renewal');
    timers[0].run();
    assert.equal(fired(), 1, 'VS Code is told to resolve again, with a fresh token');
  });

  it('with lenses.mcp.url and no token, the server is not started', async () => {
    const { mcp } = provider({ settings: { mcpUrl: 'https://mcp.example.com/mcp' } });
    assert.equal(await mcp.resolveMcpServerDefinition(mcp.provideMcpServerDefinitions()[0]), undefined);
  });

  it('dispose of the controller stops the server', async () => {
    const { mcp, server, started } = provider();
    await mcp.resolveMcpServerDefinition(mcp.provideMcpServerDefinitions()[0]);
    await server.dispose();
    assert.equal(started[0].closed, true);
    assert.equal(server.isRunning, false);
  });
});

describe('EmbeddedServerController with the real embedded server', () => {
  let controller: EmbeddedServerController | undefined;
  const scopes: Scope[] = ['read'];
  const sessions: SessionSource = {
    currentSession: async () => ({ accessToken: 'hq-token', scopes }),
    signedOutScopes: () => ['read'],
    sessionLost: () => undefined,
    sessionRejected: () => undefined,
  };

  afterEach(async () => {
    await controller?.dispose();
    controller = undefined;
  });

  function start(): Promise<{ url: string; headers: Record<string, string> }> {
    controller = new EmbeddedServerController(
      ({ lensesUrl, linkSecret, sessions: source }) =>
        startMcpHttpServer({ host: '127.0.0.1', port: 0, lensesUrl, authenticator: new EmbeddedAuthenticator(linkSecret, source) }),
      sessions,
      new RecordingLogger(),
    );
    return controller.ensureStarted('http://127.0.0.1:9');
  }

  it("binds 127.0.0.1 on an ephemeral port and lists tools for the session's scopes", async () => {
    const endpoint = await start();
    assert.match(endpoint.url, /^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const client = new Client({ name: 'test', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(endpoint.url), { requestInit: { headers: endpoint.headers } }));
    try {
      const { tools } = await client.listTools();
      assert.ok(tools.some((tool) => tool.name === 'list_environments'));
      assert.ok(!tools.some((tool) => tool.name === 'create_topic'), 'read scope only');
    } finally {
      await client.close();
    }
  });

  it('refuses a request without the link secret or with a wrong one (checked by the server)', async () => {
    const endpoint = await start();
    const initialize = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } },
    });
    const post = (headers: Record<string, string>) =>
      fetch(endpoint.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
        body: initialize,
      });
    assert.equal((await post({})).status, 403);
    assert.equal((await post({ [LINK_SECRET_HEADER_NAME]: 'x'.repeat(43) })).status, 403);
    const accepted = await post(endpoint.headers);
    assert.equal(accepted.status, 200);
    await accepted.body?.cancel();
  });
});
