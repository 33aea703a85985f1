import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { completeAuthorizationInBrowserless, startHq, type RunningHq } from '../../hq/testing';
import { listAuthorizations, revokeAuthorization } from '../../../src/lenses/connectedApps';
import { EmbeddedAuthenticator } from '../../../src/mcp/embeddedAuthenticator';
import { startMcpHttpServer } from '../../../src/mcp/httpServer';
import { ConfiguredOAuthClient } from '../../../src/vscode/configuredOAuthClient';
import { LensesOAuthClient } from '../../../src/oauth';
import type { Scope } from '../../../src/scopes';
import { LensesAuthenticationProvider } from '../../../src/vscode/authProvider';
import { ConnectedApplications, type ConnectedAppsUi } from '../../../src/vscode/connectedAppsModel';
import { EmbeddedServerController } from '../../../src/vscode/embeddedServer';
import { isHqSession } from '../../../src/vscode/sessionResources';
import { EditorSessionSource } from '../../../src/vscode/sessionSource';
import { FakeAuthUi, RecordingLogger, settings, settle, TestSecretStorage } from './fakes';

/** The VS Code layer's parts wired as extension.ts wires them, with the real OAuth core and the HQ emulator. */
describe('the VS Code layer against the HQ emulator', function () {
  this.timeout(15_000);
  let hq: RunningHq;
  let server: EmbeddedServerController | undefined;
  before(async () => { hq = await startHq({ port: 0 }); });
  after(async () => { await hq.close(); });
  afterEach(async () => { await server?.dispose(); server = undefined; });

  function parts(tick: Scope[]) {
    const secrets = new TestSecretStorage();
    const logger = new RecordingLogger();
    const browsing: Promise<unknown>[] = [];
    const current = () => settings({ url: hq.url });
    // wrapped as extension.ts wraps it: the VS Code layer sees the Lenses view of the sessions
    const oauth = new ConfiguredOAuthClient(() => new LensesOAuthClient({
      secrets,
      logger,
      openBrowser: async (url) => {
        browsing.push(completeAuthorizationInBrowserless(url, { username: 'admin', password: 'admin', tick, deliver: true }));
        return true;
      },
    }), current);
    const ui = new FakeAuthUi();
    const auth = new LensesAuthenticationProvider({
      oauth, settings: current, ui, redirect: async () => undefined,
      secretsChanged: secrets.onDidChange, accepts: (s) => isHqSession(s, hq.url), logger,
    });
    const appsUi: ConnectedAppsUi = { confirmRevoke: async () => true, withViewProgress: (task) => task(), showMessage: () => undefined, setEmpty: () => undefined };
    const apps = new ConnectedApplications({
      currentSession: () => auth.validCurrentSession(), hqUrl: () => hq.url,
      list: listAuthorizations, revoke: revokeAuthorization, forgetSession: (id) => auth.forgetSession(id), ui: appsUi, logger,
    });
    const sessionSource = new EditorSessionSource({ validCurrentSession: () => auth.validCurrentSession(), showSessionEnded: async () => undefined, logger });
    server = new EmbeddedServerController(
      ({ lensesUrl, linkSecret, sessions }) => startMcpHttpServer({ host: '127.0.0.1', port: 0, lensesUrl, authenticator: new EmbeddedAuthenticator(linkSecret, sessions) }),
      sessionSource,
      logger,
    );
    return { auth, apps, ui, logger, server, browsed: () => Promise.all(browsing) };
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
