import assert from 'node:assert/strict';
import { completeAuthorizationInBrowserless, startHq, type RunningHq } from '../../../hq-emulator/testing';
import { startChallengeOnlyResource, type ChallengeOnlyResource } from '../../../hq-emulator/oauth/challengeOnlyResource';
import { lensesBearerOrigins } from '../../../src/http';
import { discoverFromResource, LensesOAuthClient, probeResource } from '../../../src/oauth';
import type { Scope } from '../../../src/scopes';
import { ConfiguredOAuthClient } from '../../../src/vscode/account/configuredOAuthClient';
import { RemoteMcpSessions } from '../../../src/vscode/mcp/remoteMcpSession';
import { FakeAuthUi, settings, TestSecretStorage } from '../../unit/vscode/fakes';
import { RecordingLogger } from '../../support/recordingLogger';

describe('Remote MCP server step-up through the VS Code layer (HQ emulator, stand-in MCP server)', function () {
  this.timeout(20_000);
  let hq: RunningHq;
  let mcp: ChallengeOnlyResource;
  before(async () => {
    hq = await startHq({ port: 0 });
  });
  after(async () => {
    await hq.close();
  });
  afterEach(async () => {
    await mcp.close();
  });

  function parts(tick: Scope[]) {
    const opened: URL[] = [];
    const user = { hqUrl: hq.url, mcpUrl: mcp.mcpUrl };
    const bearerOrigins = lensesBearerOrigins({ userHqUrl: () => hq.url, confirmedMcpOrigins: () => [mcp.origin] });
    const oauth = new ConfiguredOAuthClient(
      () =>
        new LensesOAuthClient({
          secrets: new TestSecretStorage(),
          logger: new RecordingLogger(),
          openBrowser: async (url) => {
            opened.push(new URL(url));
            void completeAuthorizationInBrowserless(url, { username: 'admin', password: 'admin', tick, deliver: true }).catch(() => undefined);
            return true;
          },
        }),
      () => settings({ url: hq.url, mcpUrl: mcp.mcpUrl }),
    );
    let changed = 0;
    const sessions = new RemoteMcpSessions({
      oauth,
      settings: () => settings({ url: hq.url, mcpUrl: mcp.mcpUrl }),
      userSettings: () => user,
      confirmations: { confirm: async () => true, isConfirmed: () => true },
      bearerOrigins,
      discoverIssuer: async (url) => (await discoverFromResource(url)).authorizationServer.issuer,
      ui: new FakeAuthUi(),
      redirect: async () => undefined,
      logger: new RecordingLogger(),
      probe: (url, token) => probeResource(url, { bearer: { token, origins: bearerOrigins } }),
      tokenChanged: () => {
        changed++;
      },
    });
    return { sessions, oauth, opened, changed: () => changed };
  }

  it('CL-24 a server whose initialize needs a scope the first sign-in did not get: one step-up with the union, then the token works', async () => {
    mcp = await startChallengeOnlyResource({ hqUrl: hq.url, challengeScope: 'read', initializeNeeds: ['read', 'write'] });
    const { sessions, oauth, opened } = parts(['read', 'write']);
    const token = await sessions.accessToken(mcp.mcpUrl);
    assert.ok(token);
    assert.deepEqual(
      opened.map((url) => url.searchParams.get('scope')),
      ['read', 'read write'],
    );
    const stored = await oauth.sessions();
    assert.equal(stored.length, 1, 'the first session was forgotten');
    assert.deepEqual(stored[0].scopes, ['read', 'write']);
    assert.equal(
      (
        await probeResource(mcp.mcpUrl, {
          bearer: { token: token.accessToken, origins: lensesBearerOrigins({ userHqUrl: () => hq.url, confirmedMcpOrigins: () => [mcp.origin] }) },
        })
      ).status,
      200,
    );
  });

  it('CL-24 the user declines the extra scope again: no second step-up, no loop; the token is still handed over', async () => {
    mcp = await startChallengeOnlyResource({ hqUrl: hq.url, challengeScope: 'read', initializeNeeds: ['read', 'write'] });
    const { sessions, opened } = parts(['read']);
    const first = await sessions.accessToken(mcp.mcpUrl);
    assert.ok(first);
    const second = await sessions.accessToken(mcp.mcpUrl);
    assert.ok(second);
    // sign-in, one step-up (declined at consent), then nothing more on the next resolve
    assert.deepEqual(
      opened.map((url) => url.searchParams.get('scope')),
      ['read', 'read write'],
    );
  });

  it('stepUp from a 403 of a tool call re-authorizes with held ∪ needed and tells the provider', async () => {
    mcp = await startChallengeOnlyResource({ hqUrl: hq.url, challengeScope: 'read', toolCallNeeds: ['delete'] });
    const { sessions, opened, changed } = parts(['read', 'delete']);
    const first = await sessions.accessToken(mcp.mcpUrl);
    assert.ok(first);
    const call = await fetch(mcp.mcpUrl, {
      method: 'POST',
      headers: { authorization: `Bearer ${first.accessToken}` },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call' }),
    });
    assert.equal(call.status, 403);
    const stepped = await sessions.stepUp(mcp.mcpUrl, call.headers.get('www-authenticate') ?? '');
    assert.ok(stepped);
    assert.equal(opened.at(-1)?.searchParams.get('scope'), 'read delete');
    assert.equal(changed(), 1);
  });
});
