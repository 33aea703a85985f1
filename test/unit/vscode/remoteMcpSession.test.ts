import assert from 'node:assert/strict';
import { RemoteMcpSessions } from '../../../src/vscode/remoteMcpSession';
import { FakeAuthUi, FakeOAuthClient, RecordingLogger, session, settings } from './fakes';

const MCP_URL = 'https://mcp.example.com/mcp';

function remote(options: { lensesUrl?: string; issuer?: string } = {}) {
  const oauth = new FakeOAuthClient();
  const ui = new FakeAuthUi();
  const discovered: string[] = [];
  const sessions = new RemoteMcpSessions({
    oauth,
    settings: () => settings({ url: options.lensesUrl ?? 'https://hq.example.com', mcpUrl: MCP_URL }),
    discoverIssuer: async (mcpUrl) => {
      discovered.push(mcpUrl);
      return options.issuer ?? 'https://hq.example.com';
    },
    ui,
    redirect: async () => undefined,
    logger: new RecordingLogger(),
  });
  return { sessions, oauth, ui, discovered };
}

describe('RemoteMcpSessions (lenses.mcp.url)', () => {
  it('signs in for the remote server when it names the user\'s Lenses HQ as its authorization server', async () => {
    const { sessions, oauth, discovered } = remote();
    oauth.nextSignIn = session({ accessToken: 'remote-access-token', resource: MCP_URL, expiresAt: 1_900_000_000_000 });
    assert.deepEqual(await sessions.accessToken(MCP_URL), { accessToken: 'remote-access-token', expiresAt: 1_900_000_000_000 });
    assert.deepEqual(discovered, [MCP_URL]);
    assert.equal(oauth.lastSignIn?.mcpUrl, MCP_URL);
  });

  it('refuses to sign in for a server that trusts another authorization server, and says why', async () => {
    const { sessions, oauth, ui } = remote({ issuer: 'https://evil.example.net' });
    assert.equal(await sessions.accessToken(MCP_URL), undefined);
    assert.deepEqual(oauth.calls, [], 'no sign-in was started');
    assert.equal(ui.messages[0]?.severity, 'error');
    assert.match(ui.messages[0]?.message.text ?? '', /trusts https:\/\/evil\.example\.net, not your Lenses HQ/);
  });

  it('asks for lenses.url first when it is not set', async () => {
    const { sessions, oauth, ui, discovered } = remote({ lensesUrl: '' });
    assert.equal(await sessions.accessToken(MCP_URL), undefined);
    assert.deepEqual(discovered, []);
    assert.deepEqual(oauth.calls, []);
    assert.match(ui.messages[0]?.message.text ?? '', /Set lenses\.url/);
  });
});
