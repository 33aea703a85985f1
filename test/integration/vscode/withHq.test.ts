import assert from 'node:assert/strict';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { completeAuthorizationInBrowserless, obtainTokens, startHq, type RunningHq } from '../../../hq-emulator/testing';
import { listAuthorizations, revokeAuthorization } from '../../../src/lenses/connectedApps';
import { fixedGovernance } from '../../../src/mcp/governance';
import { ConfiguredOAuthClient } from '../../../src/vscode/account/configuredOAuthClient';
import { LensesOAuthClient } from '../../../src/oauth';
import type { Scope } from '../../../src/scopes';
import type { ConnectedAppsUi, ViewProblem } from '../../../src/vscode/connectedApps/connectedAppsModel';
import type { EmbeddedServerController } from '../../../src/vscode/mcp/embeddedServer';
import { embeddedServerFactory } from '../../../src/vscode/mcp/embeddedServerFactory';
import { buildExtension } from '../../../src/vscode/compositionRoot';
import { EndedSessionNote } from '../../../src/vscode/account/sessionEnd';
import { signIn } from '../../../src/vscode/account/signIn';
import { checkSessionWithHq } from '../../../src/vscode/mcp/hqIntrospection';
import { FakeAuthUi, settings, settle, TestSecretStorage } from '../../unit/vscode/fakes';
import { RecordingLogger } from '../../support/recordingLogger';
import { waitUntil } from '../../support/waiting';

/** The VS Code layer's parts built by the extension's composition root, with the real OAuth core and the HQ emulator. */
describe('the VS Code layer against the HQ emulator', function () {
  this.timeout(15_000);
  let hq: RunningHq;
  before(async () => {
    hq = await startHq({ port: 0 });
  });
  after(async () => {
    await hq.close();
  });
  const servers: EmbeddedServerController[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((embedded) => embedded.dispose()));
  });

  /** The VS Code side built by the extension's composition root; `hqTimeoutMs` bounds the embedded server's HQ calls and introspections. */
  function parts(tick: Scope[], secrets = new TestSecretStorage(), hqUrl: () => string = () => hq.url, options: { hqTimeoutMs?: number } = {}) {
    const logger = new RecordingLogger();
    const ended: unknown[] = [];
    const browsing: Promise<unknown>[] = [];
    const current = () => settings({ url: hqUrl() });
    // the real OAuth core; the browser is the emulator's browserless login
    const oauth = new ConfiguredOAuthClient(
      () =>
        new LensesOAuthClient({
          secrets,
          logger,
          openBrowser: async (url) => {
            browsing.push(completeAuthorizationInBrowserless(url, { username: 'admin', password: 'admin', tick, deliver: true }));
            return true;
          },
        }),
      current,
    );
    const ui = new FakeAuthUi();
    const notices: string[] = [];
    const viewErrors: Array<ViewProblem | undefined> = [];
    const appsUi: ConnectedAppsUi = {
      confirmRevoke: async () => true,
      withViewProgress: (task) => task(),
      showMessage: () => undefined,
      setEmpty: () => undefined,
      setError: (text) => void viewErrors.push(text),
    };
    const built = buildExtension({
      oauth,
      settings: current,
      authUi: ui,
      connectedAppsUi: appsUi,
      redirect: async () => undefined,
      secretsChanged: secrets.onDidChange,
      endedNote: new EndedSessionNote(secrets),
      showSignInNeeded: async (text) => void notices.push(text),
      sessionEnded: (value) => void ended.push(value),
      startEmbeddedServer: embeddedServerFactory({
        logger,
        maxToolOutputChars: () => current().maxToolOutputChars,
        governance: fixedGovernance(undefined, { logger }),
        hqTimeoutMs: options.hqTimeoutMs,
      }),
      listAuthorizations,
      revokeAuthorization,
      mcp: {
        ensureSession: async () => true,
        remoteAccessToken: async () => undefined,
        storedRemoteAccessToken: async () => undefined,
        createDefinition: (label, url, headers) => ({ label, url, headers }),
      },
      logger,
    });
    servers.push(built.embeddedServer);
    return {
      auth: built.authProvider,
      apps: built.connectedApplications,
      ui,
      logger,
      server: built.embeddedServer,
      notices,
      viewErrors,
      ended,
      secrets,
      browsed: () => Promise.all(browsing),
    };
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
    assert.match(self.description, /this VS Code · read, write/);

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

  /** Revokes this VS Code's grant the way HQ's connected-applications page does, with another token of admin's. */
  async function revokeAtHq(clientId: string): Promise<void> {
    const page = await obtainTokens(hq, { username: 'admin', scopes: ['read'], clientName: 'HQ settings page' });
    const list = (await listAuthorizations(hq.url, page.accessToken)).filter((item) => item.clientId === clientId);
    assert.equal(list.length, 1, `one grant of ${clientId}`);
    await revokeAuthorization(hq.url, page.accessToken, list[0].id);
  }

  async function connectEditor(endpoint: { url: string; headers: Record<string, string> }): Promise<Client> {
    const client = new Client({ name: 'vscode-like', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(endpoint.url), { requestInit: { headers: endpoint.headers } }));
    return client;
  }

  it('CL-19 grant revoked at HQ, the view refreshed: the session is forgotten in both windows, the tools are gone, Sign In starts afresh', async () => {
    const secrets = new TestSecretStorage();
    const first = parts(['read', 'write'], secrets);
    const other = parts(['read', 'write'], secrets);
    const created = await first.auth.createSession(['read', 'write']);
    await first.browsed();
    await other.auth.reconcile();
    const clientId = (await first.auth.currentSession())?.clientId ?? '';
    assert.ok(created.id);
    const endpoint = await first.server.ensureStarted(hq.url);
    const client = await connectEditor(endpoint);
    try {
      assert.equal((await client.listTools()).tools.length, 40);
      await revokeAtHq(clientId);

      assert.deepEqual(await first.apps.nodes(), [], 'HQ answered 401: no rows');
      await settle();
      assert.equal(await first.auth.currentSession(), undefined);
      assert.equal(await other.auth.currentSession(), undefined, 'the other window follows');
      assert.equal((await other.auth.lastEndedSession())?.cause, 'unauthorized');
      assert.deepEqual(first.viewErrors.filter(Boolean), [], 'no error row or message: the sign-in welcome shows');
      await waitUntil(() => first.notices.length > 0);
      assert.equal(first.notices.length, 1);
      assert.match(first.notices[0], /no longer accepts your session \(HTTP 401.*admin was signed out/);
      assert.equal((await client.listTools()).tools.length, 0, 'the tools are gone');

      // Sign In: nothing stored any more, so the browser sign-in starts, and the tools come back.
      const steps: string[] = [];
      await signIn({
        validCurrentSession: () => first.auth.validCurrentSession(),
        hqUrl: () => hq.url,
        checkWithHq: async () => 'active',
        endSession: (cause, token) => first.auth.endSession(cause, token),
        startSignIn: async () => {
          steps.push('browser');
          await first.auth.createSession(['read', 'write']);
        },
        showAlreadySignedIn: async () => false,
        changeScopes: async () => undefined,
        logger: first.logger,
      });
      await first.browsed();
      assert.deepEqual(steps, ['browser']);
      assert.equal((await client.listTools()).tools.length, 40, 'signed in again without a reload');
    } finally {
      await client.close();
    }
  });

  it("CL-19 grant revoked at HQ, a tool call the trigger: HQ's 401 ends the session at once (cached introspection or not)", async () => {
    const { auth, server: embedded, browsed, notices, logger } = parts(['read', 'write']);
    const created = await auth.createSession(['read', 'write']);
    await browsed();
    const client = await connectEditor(await embedded.ensureStarted(hq.url));
    try {
      assert.equal((await client.listTools()).tools.length, 40, 'introspection answered active (and is cached 30 s)');
      await revokeAtHq((await auth.currentSession())?.clientId ?? '');
      const call = await client.callTool({ name: 'list_topics', arguments: { environment: 'dev' } });
      assert.equal(call.isError, true);
      await settle();
      assert.equal(await auth.currentSession(), undefined, 'forgotten');
      assert.equal((await hq.introspect(created.accessToken)).active, false);
      assert.equal((await client.listTools()).tools.length, 0);
      await waitUntil(() => notices.length > 0);
      assert.equal(notices.length, 1, logger.text);
    } finally {
      await client.close();
    }
  });

  it("CL-19 grant revoked at HQ, the embedded server's introspection the trigger: inactive, the session is forgotten, no tools", async () => {
    const { auth, server: embedded, browsed, notices } = parts(['read']);
    await auth.createSession(['read']);
    await browsed();
    await revokeAtHq((await auth.currentSession())?.clientId ?? '');
    const client = await connectEditor(await embedded.ensureStarted(hq.url));
    try {
      assert.equal((await client.listTools()).tools.length, 0, 'HQ says inactive: no tools');
      await waitUntil(() => notices.length > 0);
      assert.equal(await auth.currentSession(), undefined, 'forgotten');
      assert.equal((await auth.lastEndedSession())?.cause, 'inactive');
      assert.match(notices[0], /no longer accepts your session \(revoked, or unknown to HQ\): admin was signed out/);
    } finally {
      await client.close();
    }
  });

  it('CL-19 Sign In checks a stored session with HQ: inactive there, it is forgotten and the browser opens', async () => {
    const { auth, browsed, logger } = parts(['read']);
    const created = await auth.createSession(['read']);
    await browsed();
    await revokeAtHq((await auth.currentSession())?.clientId ?? '');
    const steps: string[] = [];
    await signIn({
      validCurrentSession: () => auth.validCurrentSession(),
      hqUrl: () => hq.url,
      checkWithHq: (session) => checkSessionWithHq(hq.url, session.accessToken),
      endSession: (cause, token) => auth.endSession(cause, token),
      startSignIn: async () => {
        steps.push(`browser (stored: ${(await auth.currentSession())?.id ?? 'none'})`);
        await auth.createSession(['read']);
      },
      showAlreadySignedIn: async () => false,
      changeScopes: async () => undefined,
      logger,
    });
    await browsed();
    assert.deepEqual(steps, ['browser (stored: none)']);
    const now = await auth.currentSession();
    assert.ok(now && now.id !== created.id);
    assert.equal((await hq.introspect(now.accessToken)).active, true);
  });

  it('an unreachable HQ is not an ended session: the tools stay and say so, the view names the origin, the session is kept', async () => {
    const gone = await startHq({ port: 0 });
    const {
      auth,
      apps,
      logger,
      server: embedded,
      viewErrors,
      ended,
      browsed,
    } = parts(['read'], new TestSecretStorage(), () => gone.url, { hqTimeoutMs: 2000 });
    await auth.createSession(['read']);
    await browsed();
    await gone.close();

    assert.deepEqual(await apps.nodes(), []);
    assert.deepEqual(viewErrors.at(-1), {
      kind: 'unreachable',
      text: `Could not list applications: Lenses HQ at ${new URL(gone.url).origin} could not be reached. Check your network and lenses.url, then retry.`,
    });
    assert.match(logger.text, new RegExp(`Lenses HQ at ${new URL(gone.url).origin.replace(/[.]/g, '\\.')} could not be reached`), 'the log names the origin');

    const client = await connectEditor(await embedded.ensureStarted(gone.url));
    try {
      assert.equal((await client.listTools()).tools.length, 24, 'the read tools stay');
      const call = await client.callTool({ name: 'list_environments', arguments: {} });
      assert.equal(call.isError, true);
      assert.match(JSON.stringify(call.content), /Could not reach Lenses HQ/);
    } finally {
      await client.close();
    }
    assert.ok(await auth.currentSession(), 'the session is kept');
    assert.deepEqual(ended, []);
  });

  it('a lenses.url change keeps the server and its MCP session: the tools follow to the new HQ, whose calls get its own token (CL-16)', async () => {
    const other = await startHq({ port: 0 });
    try {
      let url = hq.url;
      const { auth, server: embedded, browsed } = parts(['read', 'write'], new TestSecretStorage(), () => url);
      await auth.createSession(['read', 'write']);
      await browsed();
      const endpoint = await embedded.ensureStarted(url);
      let changes = 0;
      const client = new Client({ name: 'vscode-like', version: '1' });
      client.setNotificationHandler('notifications/tools/list_changed', () => void changes++);
      await client.connect(new StreamableHTTPClientTransport(new URL(endpoint.url), { requestInit: { headers: endpoint.headers } }));
      try {
        assert.equal((await client.listTools()).tools.length, 40);
        await client.listTools();
        url = other.url;
        await auth.reconcile();
        embedded.hqUrlChanged();
        await waitUntil(() => changes > 0);
        assert.equal((await client.listTools()).tools.length, 0, 'the session of the old HQ is set aside');
        assert.equal((await embedded.ensureStarted(url)).url, endpoint.url, 'the same server');

        await auth.createSession(['read']);
        await browsed();
        assert.equal((await client.listTools()).tools.length, 24, "the same MCP session lists the new HQ's tools");
        const call = await client.callTool({ name: 'list_environments', arguments: {} });
        assert.notEqual(call.isError, true, `answered by the new HQ with its own token: ${JSON.stringify(call.content).slice(0, 200)}`);

        url = hq.url;
        await auth.reconcile();
        assert.equal((await client.listTools()).tools.length, 40, 'back to the first HQ: its session (kept aside) serves again');
      } finally {
        await client.close();
      }
    } finally {
      await other.close();
    }
  });

  it("Sign In's check: active for a live token, inactive for a revoked or unknown one, unreachable (not ended) when HQ does not answer", async () => {
    const live = await obtainTokens(hq, { username: 'admin', scopes: ['read'] });
    assert.equal(await checkSessionWithHq(hq.url, live.accessToken), 'active');
    assert.equal(await checkSessionWithHq(hq.url, 'a-token-hq-never-issued'), 'inactive');
    const gone = await startHq({ port: 0 });
    const goneUrl = gone.url;
    await gone.close();
    assert.equal(await checkSessionWithHq(goneUrl, live.accessToken), 'unreachable');
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
