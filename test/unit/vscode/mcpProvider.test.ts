import assert from 'node:assert/strict';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { EmbeddedAuthenticator, type SessionSource } from '../../../src/mcp/auth/embeddedAuthenticator';
import { startMcpHttpServer } from '../../../src/mcp/http/httpServer';
import type { Scope } from '../../../src/scopes';
import { EmbeddedServerController, LINK_SECRET_HEADER_NAME, type RunningServer, type StartEmbeddedServer } from '../../../src/vscode/mcp/embeddedServer';
import { LensesMcpServerProvider } from '../../../src/vscode/mcp/mcpProvider';
import type { LensesSettings } from '../../../src/vscode/settings';
import { settings } from './fakes';
import { RecordingLogger } from '../../support/recordingLogger';

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

function provider(
  options: { settings?: Partial<LensesSettings>; signIn?: boolean; remoteToken?: string; storedRemoteToken?: string; signedIn?: boolean } = {},
) {
  let current = settings(options.settings);
  let signedInNow = options.signedIn ?? false;
  let storedRemote = options.storedRemoteToken;
  const { start, started } = fakeStarter();
  const server = new EmbeddedServerController(start, signedIn, new RecordingLogger());
  const timers: Array<{ run: () => void; delayMs: number }> = [];
  let prompts = 0;
  const mcp = new LensesMcpServerProvider<Definition>({
    settings: () => current,
    server,
    hasSession: async () => signedInNow,
    ensureSession: async () => {
      prompts++;
      if (options.signIn ?? true) signedInNow = true;
      return options.signIn ?? true;
    },
    remoteAccessToken: async () => (options.remoteToken ? { accessToken: options.remoteToken, expiresAt: NOW + 3_600_000 } : undefined),
    storedRemoteAccessToken: async () => (storedRemote ? { accessToken: storedRemote, expiresAt: NOW + 3_600_000 } : undefined),
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
    signIn: () => void (signedInNow = true),
    signOut: () => void (signedInNow = false),
    storeRemoteToken: (token: string | undefined) => void (storedRemote = token),
  };
}

/** The one definition provided, or a failure saying there was none. */
async function providedOne(mcp: LensesMcpServerProvider<Definition>): Promise<Definition> {
  const definitions = await mcp.provideMcpServerDefinitions();
  assert.equal(definitions.length, 1, `one definition: ${JSON.stringify(definitions)}`);
  return definitions[0];
}

describe('LensesMcpServerProvider', () => {
  it('signed out: provides no definition (nothing a Copilot-harness session could be given that cannot work), without prompting or starting anything', async () => {
    const { mcp, prompts, started } = provider();
    assert.deepEqual(await mcp.provideMcpServerDefinitions(), []);
    assert.equal(prompts(), 0);
    assert.equal(started.length, 0);
  });

  it('signed in: the PROVIDED definition is the working one (embedded server started once, its URL and link secret header), with no prompt', async () => {
    const { mcp, started, prompts } = provider({ signedIn: true });
    const [first, second] = await Promise.all([providedOne(mcp), providedOne(mcp)]);
    assert.equal(started.length, 1, 'one server for concurrent provides');
    assert.equal(prompts(), 0);
    assert.equal(first.url, 'http://127.0.0.1:40001/mcp');
    assert.equal(first.label, 'Lenses');
    const secret = first.headers[LINK_SECRET_HEADER_NAME] ?? '';
    assert.match(secret, /^[A-Za-z0-9_-]{43}$/, '32 random bytes, base64url');
    assert.deepEqual(second, first);
    assert.equal(started[0].lensesUrl, 'https://hq.example.com');
    assert.deepEqual(await mcp.resolveMcpServerDefinition(first), first, 'resolve (the Local harness) gives the same definition');
  });

  it('signing in makes the server appear (one definition change); signing out keeps the running server (no tools then), so new scopes and sign-ins change only the tools', async () => {
    const { mcp, started, fired, signIn, signOut } = provider();
    assert.deepEqual(await mcp.provideMcpServerDefinitions(), []);
    signIn();
    await (mcp.sessionsChanged(), mcp.definitionMayHaveChanged());
    assert.equal(fired(), 1, 'sign-in: the definition changed');
    const provided = await providedOne(mcp);
    assert.match(provided.url, /^http:\/\/127\.0\.0\.1:\d+\/mcp$/);

    mcp.sessionsChanged(); // e.g. Change Granted Scopes: another session, the same server and secret
    await mcp.definitionMayHaveChanged();
    assert.equal(fired(), 1, 'no definition change (it would stop the running server)');
    assert.equal(started[0].notified, 1, 'tools/list_changed: running sessions list the new tools');

    signOut();
    mcp.sessionsChanged();
    await mcp.definitionMayHaveChanged();
    assert.equal(fired(), 1, 'sign-out: the same definition (the server lists no tools now)');
    assert.equal(started[0].notified, 2, 'tools/list_changed: running sessions drop the tools');
    assert.deepEqual(await providedOne(mcp), provided);
    assert.equal(started[0].closed, false);
    signIn();
    mcp.sessionsChanged();
    await mcp.definitionMayHaveChanged();
    assert.equal(fired(), 1);
    assert.equal(started[0].notified, 3, 'signing in again: the tools come back in the running session');
  });

  it('fires nothing before VS Code first asked for the definitions (it will ask)', async () => {
    const { mcp, fired, signIn } = provider();
    signIn();
    mcp.sessionsChanged();
    await mcp.definitionMayHaveChanged();
    assert.equal(fired(), 0);
  });

  it('resolve while signed out (a session that ended after provide) asks to sign in, then starts the server', async () => {
    const { mcp, started, prompts } = provider();
    const resolved = await mcp.resolveMcpServerDefinition({ label: 'Lenses', url: 'http://127.0.0.1:1/mcp', headers: {} });
    assert.equal(prompts(), 1);
    assert.equal(started.length, 1);
    assert.equal(resolved?.url, 'http://127.0.0.1:40001/mcp');
  });

  it('does not start the server when the user declines to sign in', async () => {
    const { mcp, started } = provider({ signIn: false });
    assert.equal(await mcp.resolveMcpServerDefinition({ label: 'Lenses', url: 'http://127.0.0.1:1/mcp', headers: {} }), undefined);
    assert.equal(started.length, 0);
  });

  it('a new lenses.url keeps the server up: the same server and definition, the tools listed again, no definition change', async () => {
    const { mcp, started, fired, change } = provider({ signedIn: true });
    const before = await providedOne(mcp);
    change({ url: 'https://other.example.com' });
    await mcp.configurationChanged((section) => section === 'lenses.url');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(started.length, 1, 'no second server');
    assert.equal(started[0].closed, false);
    assert.equal(started[0].notified, 1, "tools/list_changed: the clients list the new HQ's tools");
    assert.equal(fired(), 0, 'VS Code keeps its definition (firing would stop the server)');
    assert.deepEqual(await providedOne(mcp), before);
  });

  it('a new lenses.url with no session for that HQ keeps the running server provided (it lists no tools until signed in there)', async () => {
    const { mcp, fired, change, signOut } = provider({ signedIn: true });
    const before = await providedOne(mcp);
    change({ url: 'https://other.example.com' });
    signOut();
    await mcp.configurationChanged((section) => section === 'lenses.url');
    assert.equal(fired(), 0);
    assert.deepEqual(await providedOne(mcp), before);
  });

  it('switching back from lenses.mcp.url while signed out provides nothing (the embedded server was stopped)', async () => {
    const { mcp, change, signOut } = provider({ signedIn: true });
    await providedOne(mcp);
    change({ mcpUrl: 'https://mcp.example.com/mcp' });
    await mcp.configurationChanged((section) => section === 'lenses.mcp.url');
    signOut();
    change({ mcpUrl: '' });
    await mcp.configurationChanged((section) => section === 'lenses.mcp.url');
    assert.deepEqual(await mcp.provideMcpServerDefinitions(), []);
  });

  it('a new lenses.mcp.url stops the embedded server and fires a definition change', async () => {
    const { mcp, started, fired, change } = provider({ signedIn: true });
    await providedOne(mcp);
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

  it('with lenses.mcp.url and a token at hand (confirmed, stored): the provided definition carries the bearer; nothing starts', async () => {
    const { mcp, started, prompts } = provider({ settings: { mcpUrl: 'https://mcp.example.com/mcp' }, storedRemoteToken: 'stored-token' });
    assert.deepEqual(await providedOne(mcp), { label: 'Lenses', url: 'https://mcp.example.com/mcp', headers: { Authorization: 'Bearer stored-token' } });
    assert.equal(started.length, 0);
    assert.equal(prompts(), 0);
  });

  it('with lenses.mcp.url and no token at hand: the server without a bearer, and resolve gets one (confirmation and sign-in live there)', async () => {
    const { mcp, started } = provider({ settings: { mcpUrl: 'https://mcp.example.com/mcp' }, remoteToken: 'remote-token' });
    const provided = await providedOne(mcp);
    assert.deepEqual(provided, { label: 'Lenses', url: 'https://mcp.example.com/mcp', headers: {} });
    const resolved = await mcp.resolveMcpServerDefinition(provided);
    assert.deepEqual(resolved, { label: 'Lenses', url: 'https://mcp.example.com/mcp', headers: { Authorization: 'Bearer remote-token' } });
    assert.equal(started.length, 0);
  });

  it('with lenses.mcp.url, renews the bearer 30 s before it expires (inside the OAuth refresh margin) by firing a definition change, once per token', async () => {
    const { mcp, timers, fired, storeRemoteToken } = provider({ settings: { mcpUrl: 'https://mcp.example.com/mcp' }, storedRemoteToken: 'token-1' });
    await providedOne(mcp);
    assert.equal(timers.length, 1);
    assert.equal(timers[0].delayMs, 3_600_000 - 30_000);
    await providedOne(mcp);
    assert.equal(timers.length, 1, 'a new lookup replaces the pending renewal');
    timers.splice(0)[0].run();
    assert.equal(fired(), 1, 'VS Code is told to ask again, for a fresh token');
    await providedOne(mcp);
    assert.equal(timers.length, 0, 'the same token again: no second renewal at once (no loop)');
    storeRemoteToken('token-2');
    assert.equal((await providedOne(mcp)).headers.Authorization, 'Bearer token-2');
  });

  it('with lenses.mcp.url and no token, the server is not started', async () => {
    const { mcp } = provider({ settings: { mcpUrl: 'https://mcp.example.com/mcp' } });
    assert.equal(await mcp.resolveMcpServerDefinition(await providedOne(mcp)), undefined);
  });

  it('dispose of the controller stops the server', async () => {
    const { mcp, server, started } = provider({ signedIn: true });
    await providedOne(mcp);
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
