import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { completeAuthorizationInBrowserless, startHq, type RunningHq } from '../../hq/testing';
import { listAuthorizations, revokeAuthorization } from '../../../src/lenses/connectedApps';
import { EmbeddedAuthenticator } from '../../../src/mcp/embeddedAuthenticator';
import { TokenIntrospector } from '../../../src/mcp/introspection';
import { startMcpHttpServer } from '../../../src/mcp/httpServer';
import { LensesOAuthClient } from '../../../src/oauth';
import type { Scope } from '../../../src/scopes';
import { LensesAuthenticationProvider } from '../../../src/vscode/authProvider';
import { ConnectedApplications, type ConnectedAppsUi } from '../../../src/vscode/connectedAppsModel';
import { EmbeddedServerController } from '../../../src/vscode/embeddedServer';
import { isHqSession } from '../../../src/vscode/sessionResources';
import { EditorSessionSource } from '../../../src/vscode/sessionSource';
import { EndedSessionNote } from '../../../src/vscode/sessionEnd';
import { FakeAuthUi, RecordingLogger, settings, settle, TestSecretStorage } from './fakes';

/** The VS Code layer's parts wired as extension.ts wires them, with the real OAuth core and the HQ emulator. */
describe('the VS Code layer against the HQ emulator', function () {
  this.timeout(15_000);
  let hq: RunningHq;
  before(async () => { hq = await startHq({ port: 0 }); });
  after(async () => { await hq.close(); });
  const servers: EmbeddedServerController[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((embedded) => embedded.dispose()));
  });

  function parts(tick: Scope[], secrets = new TestSecretStorage()) {
    const logger = new RecordingLogger();
    const browsing: Promise<unknown>[] = [];
    const oauth = new LensesOAuthClient({
      secrets,
      logger,
      openBrowser: async (url) => {
        browsing.push(completeAuthorizationInBrowserless(url, { username: 'admin', password: 'admin', tick, deliver: true }));
        return true;
      },
    });
    const current = () => settings({ url: hq.url });
    const ui = new FakeAuthUi();
    const notices: string[] = [];
    const auth = new LensesAuthenticationProvider({
      oauth, settings: current, ui, redirect: async () => undefined,
      secretsChanged: secrets.onDidChange, accepts: (s) => isHqSession(s, hq.url), logger,
      endedNote: new EndedSessionNote(secrets), sessionEnded: (ended) => sessionSource.sessionEnded(ended),
    });
    const viewErrors: Array<string | undefined> = [];
    const appsUi: ConnectedAppsUi = { confirmRevoke: async () => true, withViewProgress: (task) => task(), showMessage: () => undefined, setEmpty: () => undefined, setError: (text) => void viewErrors.push(text) };
    const apps = new ConnectedApplications({
      currentSession: () => auth.validCurrentSession(), hqUrl: () => hq.url,
      list: listAuthorizations, revoke: revokeAuthorization, forgetSession: (id) => auth.forgetSession(id),
      endSession: (cause, token) => auth.endSession(cause, token), ui: appsUi, logger,
    });
    const sessionSource = new EditorSessionSource({
      validCurrentSession: () => auth.validCurrentSession(),
      endSession: (cause, token) => auth.endSession(cause, token),
      showSignInNeeded: async (text) => void notices.push(text),
      logger,
    });
    // As extension.ts: the embedded server validates the session's token with HQ (cached 30 s).
    const embedded = new EmbeddedServerController(
      ({ lensesUrl, linkSecret, sessions, port }) =>
        startMcpHttpServer({
          host: '127.0.0.1', port, lensesUrl,
          authenticator: new EmbeddedAuthenticator(linkSecret, sessions, logger, new TokenIntrospector({ url: `${lensesUrl}/oauth2/introspect`, cacheTtlSeconds: 30 })),
        }),
      sessionSource,
      logger,
    );
    servers.push(embedded);
    return { auth, apps, ui, logger, server: embedded, notices, viewErrors, secrets, browsed: () => Promise.all(browsing) };
  }

  it('CL-09 partial consent: the session holds the granted scopes, the user is told, MCP lists only those tools', async () => {
    const { auth, ui, server: embedded, browsed, logger } = parts(['read']);
    const created = await auth.createSession(['read', 'write', 'delete']);
    await browsed();
    assert.deepEqual(created.scopes, ['read']);
    assert.equal(created.account.label, 'admin');
    assert.match(ui.messages[0]?.message.text ?? '', /Not granted: write, delete/);
    assert.equal((await auth.getSessions(['read'])).length, 1);
    assert.equal((await auth.getSessions(['read', 'write'])).length, 0);

    const endpoint = await embedded.ensureStarted(hq.url);
    const client = new Client({ name: 'test', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(endpoint.url), { requestInit: { headers: endpoint.headers } }));
    try {
      const names = (await client.listTools()).tools.map((tool) => tool.name);
      assert.ok(names.includes('list_environments'));
      assert.ok(!names.includes('create_topic'));
      const result = await client.callTool({ name: 'list_environments', arguments: {} });
      assert.notEqual(result.isError, true, JSON.stringify(result.content));
    } finally {
      await client.close();
    }
    assert.doesNotMatch(logger.text, new RegExp(created.accessToken));
  });

  it('Connected Applications shows this VS Code; revoking it signs out and kills the token at HQ', async () => {
    const { auth, apps, browsed } = parts(['read', 'write']);
    const created = await auth.createSession(['read', 'write']);
    await browsed();
    const nodes = await apps.applications();
    const self = nodes.find((node) => node.isSelf);
    assert.ok(self, `our grant is listed: ${JSON.stringify(nodes)}`);
    assert.equal(self.label, 'Lenses MCP for VS Code');
    assert.match(self.description, /read, write · this VS Code/);

    const removed: string[] = [];
    auth.onDidChangeSessions((event) => removed.push(...(event.removed ?? []).map((s) => s.id)));
    assert.equal(await apps.revoke(self), true);
    await settle();
    assert.deepEqual(removed, [created.id]);
    assert.deepEqual(await auth.getSessions(undefined), []);
    assert.equal((await hq.introspect(created.accessToken)).active, false);
  });

  it('after sign-out the embedded server lists no Lenses tools and a stale call says to sign in again', async () => {
    const { auth, server: embedded, browsed } = parts(['read', 'write']);
    const created = await auth.createSession(['read', 'write']);
    await browsed();
    const endpoint = await embedded.ensureStarted(hq.url);
    const client = new Client({ name: 'test', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(endpoint.url), { requestInit: { headers: endpoint.headers } }));
    try {
      assert.equal((await client.listTools()).tools.length, 40);
      await auth.removeSession(created.id);
      assert.equal((await client.listTools()).tools.length, 0);
      const stale = await client.callTool({ name: 'list_topics', arguments: { environment: 'dev' } });
      assert.equal(stale.isError, true);
      assert.match(JSON.stringify(stale.content), /Sign in to Lenses again/);
    } finally {
      await client.close();
    }
  });

  it('CL-12 sign-out revokes the tokens at HQ and forgets the session', async () => {
    const { auth, browsed } = parts(['read']);
    const created = await auth.createSession(['read']);
    await browsed();
    await auth.removeSession(created.id);
    assert.deepEqual(await auth.getSessions(undefined), []);
    assert.equal((await hq.introspect(created.accessToken)).active, false);
  });
});
