import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { lensesBearerOrigins } from '../../../src/http';
import { discoverFromResource } from '../../../src/oauth';
import { LensesMcpServerProvider } from '../../../src/vscode/mcp/mcpProvider';
import { CONFIRMED_MCP_ORIGINS_KEY, RemoteMcpConfirmations } from '../../../src/vscode/mcp/remoteMcpConfirmations';
import { RemoteMcpRefusedError, RemoteMcpSessions } from '../../../src/vscode/mcp/remoteMcpSession';
import { FakeAuthUi, FakeOAuthClient, session, settings } from './fakes';
import { RecordingLogger } from '../../support/recordingLogger';

const MCP_URL = 'https://mcp.example.com/mcp';
const HQ_URL = 'https://hq.example.com';

/** `context.globalState` as a map. */
class TestMemento {
  readonly values = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    return this.values.get(key) as T | undefined;
  }
  async update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, value);
  }
}

/** The modal: answers with `answer` and records each question. */
class TestConfirmationUi {
  readonly questions: Array<{ message: string; detail: string }> = [];
  answer = true;
  async confirmSendSignIn(question: { message: string; detail: string }): Promise<boolean> {
    this.questions.push(question);
    return this.answer;
  }
}

interface RemoteOptions {
  /** lenses.mcp.url as the editor resolved it (`getConfiguration().get`). */
  mcpUrl?: string;
  /** lenses.url and lenses.mcp.url in the user's settings. */
  user?: { hqUrl: string; mcpUrl: string };
  issuer?: string;
  discoverIssuer?: (mcpUrl: string) => Promise<string>;
}

function remote(options: RemoteOptions = {}) {
  const oauth = new FakeOAuthClient();
  const ui = new FakeAuthUi();
  const logger = new RecordingLogger();
  const memento = new TestMemento();
  const modal = new TestConfirmationUi();
  const confirmations = new RemoteMcpConfirmations(memento, modal, logger);
  const user = options.user ?? { hqUrl: HQ_URL, mcpUrl: MCP_URL };
  const discovered: string[] = [];
  const sessions = new RemoteMcpSessions({
    oauth,
    settings: () => settings({ url: user.hqUrl, mcpUrl: options.mcpUrl ?? MCP_URL }),
    userSettings: () => user,
    confirmations,
    bearerOrigins: lensesBearerOrigins({ userHqUrl: () => user.hqUrl, confirmedMcpOrigins: () => confirmations.origins() }),
    discoverIssuer:
      options.discoverIssuer ??
      (async (mcpUrl) => {
        discovered.push(mcpUrl);
        return options.issuer ?? HQ_URL;
      }),
    ui,
    redirect: async () => undefined,
    logger,
  });
  return { sessions, oauth, ui, discovered, memento, modal, confirmations, logger };
}

async function refusal(promise: Promise<unknown>): Promise<RemoteMcpRefusedError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(error instanceof RemoteMcpRefusedError, `expected RemoteMcpRefusedError, got ${String(error)}`);
  return error;
}

describe('RemoteMcpSessions (lenses.mcp.url)', () => {
  it("CL-16 MCP: List Servers says why: the server's label carries the refusal until the settings change", async () => {
    const parts = remote();
    parts.modal.answer = false;
    let mcpUrl = MCP_URL;
    const provider = new LensesMcpServerProvider<{ label: string; headers: Record<string, string> }>({
      settings: () => settings({ url: HQ_URL, mcpUrl }),
      server: {
        ensureStarted: async () => ({ url: 'unused', headers: {} }),
        notifyToolsChanged: () => {},
        stop: async () => {},
        hqUrlChanged: () => {},
        isRunning: false,
      },
      hasSession: async () => true,
      ensureSession: async () => true,
      remoteAccessToken: (url) => parts.sessions.accessToken(url),
      storedRemoteAccessToken: (url) => parts.sessions.storedAccessToken(url),
      createDefinition: (label, _url, headers) => ({ label, headers }),
      setTimer: () => ({ dispose: () => {} }),
      logger: new RecordingLogger(),
    });
    const [before] = await provider.provideMcpServerDefinitions();
    assert.equal(before.label, 'Lenses');
    assert.equal(await provider.resolveMcpServerDefinition(before), undefined);
    assert.equal((await provider.provideMcpServerDefinitions())[0].label, 'Lenses (sign-in not sent to mcp.example.com: not confirmed)');
    mcpUrl = '';
    await provider.configurationChanged((section) => section === 'lenses.mcp.url');
    assert.equal((await provider.provideMcpServerDefinitions())[0].label, 'Lenses');
    provider.dispose();
  });

  it('CL-16 the silent lookup (for the provided definition) never asks: an unconfirmed origin, a workspace URL or no stored session give no token', async () => {
    const { sessions, oauth, modal, memento } = remote();
    await oauth.put(session({ id: 'remote', accessToken: 'stored-remote-token', resource: MCP_URL, expiresAt: 1_900_000_000_000 }));
    assert.equal(await sessions.storedAccessToken(MCP_URL), undefined, 'not confirmed yet');
    assert.deepEqual(modal.questions, [], 'no modal');
    await memento.update(CONFIRMED_MCP_ORIGINS_KEY, ['https://mcp.example.com']);
    assert.deepEqual(await sessions.storedAccessToken(MCP_URL), { accessToken: 'stored-remote-token', expiresAt: 1_900_000_000_000 });
    assert.equal(await sessions.storedAccessToken('https://elsewhere.example.com/mcp'), undefined, 'not the user-level lenses.mcp.url');
    await oauth.forget('remote');
    assert.equal(await sessions.storedAccessToken(MCP_URL), undefined, 'no stored session: no sign-in either');
    assert.ok(!oauth.calls.some((call) => call.startsWith('signIn')));
    assert.deepEqual(modal.questions, []);
  });

  it('CL-16 asks once before sending the HQ sign-in to a new MCP origin, then remembers it in global state', async () => {
    const { sessions, oauth, modal, memento, discovered } = remote();
    oauth.nextSignIn = session({ accessToken: 'remote-access-token', resource: MCP_URL, expiresAt: 1_900_000_000_000 });
    assert.deepEqual(await sessions.accessToken(MCP_URL), { accessToken: 'remote-access-token', expiresAt: 1_900_000_000_000 });
    assert.equal(modal.questions.length, 1);
    assert.equal(modal.questions[0]?.message, 'Send your Lenses HQ sign-in (hq.example.com) to mcp.example.com?');
    assert.match(modal.questions[0]?.detail ?? '', /Forget Remote MCP Server Confirmations/);
    assert.deepEqual(memento.get(CONFIRMED_MCP_ORIGINS_KEY), ['https://mcp.example.com']);
    assert.deepEqual(discovered, [MCP_URL]);
    assert.equal(oauth.lastSignIn?.mcpUrl, MCP_URL);

    assert.equal((await sessions.accessToken(MCP_URL))?.accessToken, 'remote-access-token');
    assert.equal(modal.questions.length, 1, 'not asked again');
  });

  it('CL-16 declined: no sign-in, no token, and the reason is thrown for the provider to show', async () => {
    const { sessions, oauth, modal, memento, discovered } = remote();
    modal.answer = false;
    const error = await refusal(sessions.accessToken(MCP_URL));
    assert.equal(error.message, 'Lenses sends no sign-in to https://mcp.example.com: you did not confirm it. Start the server again to be asked again.');
    assert.deepEqual(oauth.calls, []);
    assert.deepEqual(discovered, []);
    assert.equal(memento.get(CONFIRMED_MCP_ORIGINS_KEY), undefined, 'a refusal is not remembered as a confirmation');
  });

  it('CL-16 a stored session for the server is not used until its origin is confirmed', async () => {
    const { sessions, oauth, modal } = remote();
    await oauth.put(session({ id: 'remote', accessToken: 'stored-remote-token', resource: MCP_URL }));
    modal.answer = false;
    await refusal(sessions.accessToken(MCP_URL));
    assert.deepEqual(oauth.calls, [], 'the stored session was not even refreshed');
  });

  it('CL-16 forgetting the confirmations asks again before the next token leaves', async () => {
    const { sessions, oauth, modal, confirmations } = remote();
    oauth.nextSignIn = session({ accessToken: 'remote-access-token', resource: MCP_URL });
    await sessions.accessToken(MCP_URL);
    assert.equal(await confirmations.forgetAll(), 1);
    modal.answer = false;
    await refusal(sessions.accessToken(MCP_URL));
    assert.equal(modal.questions.length, 2);
  });

  it('CL-16 a lenses.mcp.url that is not the user-level one gets no sign-in, no question, no request', async () => {
    const { sessions, oauth, modal, discovered } = remote({ mcpUrl: 'https://collector.example.net/mcp', user: { hqUrl: HQ_URL, mcpUrl: '' } });
    const error = await refusal(sessions.accessToken('https://collector.example.net/mcp'));
    assert.match(error.message, /lenses\.mcp\.url is read from your user settings only, and there it is not set/);
    assert.deepEqual([oauth.calls, modal.questions, discovered], [[], [], []]);
  });

  it('refuses to sign in for a server that trusts another authorization server, and says why', async () => {
    const { sessions, oauth, ui } = remote({ issuer: 'https://evil.example.net' });
    assert.equal(await sessions.accessToken(MCP_URL), undefined);
    assert.deepEqual(oauth.calls, [], 'no sign-in was started');
    assert.equal(ui.messages[0]?.severity, 'error');
    assert.match(ui.messages[0]?.message.text ?? '', /trusts https:\/\/evil\.example\.net, not your Lenses HQ/);
  });

  it('asks for lenses.url in the user settings first when it is not set there', async () => {
    const { sessions, oauth, ui, discovered, modal } = remote({ user: { hqUrl: '', mcpUrl: MCP_URL } });
    assert.equal(await sessions.accessToken(MCP_URL), undefined);
    assert.deepEqual([discovered, oauth.calls, modal.questions], [[], [], []]);
    assert.match(ui.messages[0]?.message.text ?? '', /Set lenses\.url in your user settings/);
  });

  it("CL-16 a workspace lenses.mcp.url pointing at a server that names the user's HQ: that server receives no bearer", async () => {
    const hq = 'http://127.0.0.1:9'; // named by the server's metadata as its authorization server
    const seen: Array<string | undefined> = [];
    const server = createServer((request, response) => {
      seen.push(request.headers.authorization);
      if (request.url?.startsWith('/.well-known/oauth-protected-resource')) {
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ resource: `${url}/mcp`, authorization_servers: [hq] }));
      } else {
        response.writeHead(401, { 'www-authenticate': `Bearer resource_metadata="${url}/.well-known/oauth-protected-resource/mcp"` }).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const providerFor = (user: { hqUrl: string; mcpUrl: string }) => {
        const parts = remote({ mcpUrl: `${url}/mcp`, user, discoverIssuer: async (mcpUrl) => (await discoverFromResource(mcpUrl)).authorizationServer.issuer });
        const provider = new LensesMcpServerProvider<{ url: string; headers: Record<string, string> }>({
          settings: () => settings({ url: hq, mcpUrl: `${url}/mcp` }),
          server: {
            ensureStarted: async () => ({ url: 'unused', headers: {} }),
            notifyToolsChanged: () => {},
            stop: async () => {},
            hqUrlChanged: () => {},
            isRunning: false,
          },
          hasSession: async () => true,
          ensureSession: async () => true,
          remoteAccessToken: (mcpUrl) => parts.sessions.accessToken(mcpUrl),
          storedRemoteAccessToken: (mcpUrl) => parts.sessions.storedAccessToken(mcpUrl),
          createDefinition: (_label, definitionUrl, headers) => ({ url: definitionUrl, headers }),
          setTimer: () => ({ dispose: () => {} }),
          logger: new RecordingLogger(),
        });
        return { provider, ...parts };
      };

      // The workspace set lenses.mcp.url; the user's settings have none (application scope ignores the workspace's).
      const fromWorkspace = providerFor({ hqUrl: hq, mcpUrl: '' });
      await fromWorkspace.oauth.put(session({ id: 'remote', accessToken: 'hq-issued-token', resource: `${url}/mcp` }));
      const [placeholder] = await fromWorkspace.provider.provideMcpServerDefinitions();
      let changes = 0;
      fromWorkspace.provider.onDidChangeMcpServerDefinitions(() => changes++);
      assert.equal(await fromWorkspace.provider.resolveMcpServerDefinition(placeholder), undefined, 'no definition, so no header');
      assert.equal(changes, 1, 'the definition changes once, to say why');
      assert.deepEqual(fromWorkspace.oauth.calls, [], 'the stored token was not even looked up');
      assert.deepEqual(fromWorkspace.modal.questions, []);

      // Control: the same server in the user's settings, confirmed, does get the bearer.
      const fromUser = providerFor({ hqUrl: hq, mcpUrl: `${url}/mcp` });
      await fromUser.oauth.put(session({ id: 'remote', accessToken: 'hq-issued-token', resource: `${url}/mcp` }));
      const resolved = await fromUser.provider.resolveMcpServerDefinition(placeholder);
      assert.equal(resolved?.headers.Authorization, 'Bearer hq-issued-token');
      assert.ok(
        seen.every((authorization) => authorization === undefined),
        'no request to the server carried Authorization from the extension',
      );
    } finally {
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    }
  });
});
