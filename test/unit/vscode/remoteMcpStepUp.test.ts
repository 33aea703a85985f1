import assert from 'node:assert/strict';
import { lensesBearerOrigins } from '../../../src/http';
import { parseBearerChallenge, type ResourceProbeAnswer } from '../../../src/oauth';
import { CLIENT_SECRET_KEY, ClientSecret, type ClientSecretUi } from '../../../src/vscode/account/clientSecret';
import { ConfiguredOAuthClient } from '../../../src/vscode/account/configuredOAuthClient';
import { RemoteMcpSessions } from '../../../src/vscode/mcp/remoteMcpSession';
import { FakeAuthUi, FakeOAuthClient, session, settings, TestSecretStorage } from './fakes';
import { RecordingLogger } from '../../support/recordingLogger';

const MCP_URL = 'https://mcp.example.com/mcp';
const HQ_URL = 'https://hq.example.com';
const INSUFFICIENT = 'Bearer error="insufficient_scope", scope="write", resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource/mcp"';

function remote(probe?: (mcpUrl: string, token: string) => Promise<ResourceProbeAnswer>) {
  const oauth = new FakeOAuthClient();
  const ui = new FakeAuthUi();
  const logger = new RecordingLogger();
  const user = { hqUrl: HQ_URL, mcpUrl: MCP_URL };
  let changed = 0;
  const sessions = new RemoteMcpSessions({
    oauth,
    settings: () => settings({ url: HQ_URL, mcpUrl: MCP_URL }),
    userSettings: () => user,
    confirmations: { confirm: async () => true, isConfirmed: () => true },
    bearerOrigins: lensesBearerOrigins({ userHqUrl: () => HQ_URL, confirmedMcpOrigins: () => ['https://mcp.example.com'] }),
    discoverIssuer: async () => HQ_URL,
    ui,
    redirect: async () => undefined,
    logger,
    probe,
    tokenChanged: () => {
      changed++;
    },
  });
  return { sessions, oauth, ui, logger, changes: () => changed };
}

const held = session({ id: 'remote-1', resource: MCP_URL, scopes: ['read'], grantedScopes: ['read', 'mcp:custom'], accessToken: 'remote-token-1' });
const stepped = session({ id: 'remote-2', resource: MCP_URL, scopes: ['read', 'write'], accessToken: 'remote-token-2' });

describe('Remote MCP server: scopes and step-up (issue 11)', () => {
  it("the first sign-in for a remote server asks no Lenses scopes: the core picks the challenge's, else scopes_supported, else none", async () => {
    const { sessions, oauth } = remote();
    oauth.nextSignIn = session({ id: 'remote-1', resource: MCP_URL });
    await sessions.accessToken(MCP_URL);
    assert.equal(oauth.lastSignIn?.mcpUrl, MCP_URL);
    assert.equal(oauth.lastSignIn?.scopes, undefined);
  });

  it('CL-24 stepUp re-authorizes once with the union of held (all granted strings) and challenged scopes; the old session goes; VS Code gets the new token', async () => {
    const { sessions, oauth, changes } = remote();
    await oauth.put(held);
    oauth.nextSignIn = stepped;
    const token = await sessions.stepUp(MCP_URL, INSUFFICIENT);
    assert.equal(token?.accessToken, 'remote-token-2');
    assert.deepEqual(oauth.lastSignIn?.heldScopes, ['read', 'mcp:custom']);
    assert.equal(oauth.lastSignIn?.challenge, INSUFFICIENT);
    assert.deepEqual(
      (await oauth.sessions()).map((s) => s.id),
      ['remote-2'],
    );
    assert.equal(changes(), 1);
  });

  it('CL-24 the same step-up is not tried twice in a row, and a challenge for scopes already held is not retried (no loop)', async () => {
    const { sessions, oauth, logger } = remote();
    await oauth.put(held);
    oauth.nextSignIn = held; // the user ticked only read again
    await sessions.stepUp(MCP_URL, INSUFFICIENT);
    const signIns = oauth.calls.filter((c) => c.startsWith('signIn')).length;
    assert.equal(await sessions.stepUp(MCP_URL, INSUFFICIENT), undefined);
    assert.equal(oauth.calls.filter((c) => c.startsWith('signIn')).length, signIns);
    assert.equal(await sessions.stepUp(MCP_URL, 'Bearer error="insufficient_scope", scope="read"'), undefined);
    assert.equal(await sessions.stepUp(MCP_URL, 'Bearer error="invalid_token"'), undefined);
    assert.equal(oauth.calls.filter((c) => c.startsWith('signIn')).length, signIns);
    assert.match(logger.text, /was asked for already/);
    assert.match(logger.text, /holds "read"/);
  });

  it('CL-24 a 403 insufficient_scope to the probe with the token steps up once before VS Code gets the token', async () => {
    const probes: string[] = [];
    const { sessions, oauth } = remote(async (_url, token) => {
      probes.push(token);
      return token === 'remote-token-1' ? { status: 403, header: INSUFFICIENT, challenge: parseBearerChallenge(INSUFFICIENT) } : { status: 200 };
    });
    await oauth.put(held);
    oauth.nextSignIn = stepped;
    const token = await sessions.accessToken(MCP_URL);
    assert.equal(token?.accessToken, 'remote-token-2');
    assert.deepEqual(probes, ['remote-token-1']);
    assert.deepEqual(oauth.lastSignIn?.heldScopes, ['read', 'mcp:custom']);
  });

  it('changeScopes signs in again asking exactly the chosen scopes and forgets the earlier session', async () => {
    const { sessions, oauth } = remote();
    await oauth.put(held);
    oauth.nextSignIn = stepped;
    await sessions.changeScopes(MCP_URL, ['read', 'write']);
    assert.deepEqual(oauth.lastSignIn?.scopes, ['read', 'write']);
    assert.deepEqual(
      (await oauth.sessions()).map((s) => s.id),
      ['remote-2'],
    );
  });
});

describe('lenses.oauth.clientSecret (issue 11)', () => {
  function ui(answer: string | undefined): ClientSecretUi & { infos: string[] } {
    const infos: string[] = [];
    return {
      infos,
      askForSecret: async () => answer,
      showInfo: (text) => {
        infos.push(text);
      },
    };
  }

  it('CL-23 the command stores the secret in SecretStorage only; empty removes it; it never reaches the log or a message', async () => {
    const storage = new TestSecretStorage();
    const logger = new RecordingLogger();
    const secret = new ClientSecret(storage, logger);
    const answer = ui('  top-s3cret  ');
    await secret.set(answer);
    assert.equal(storage.values.get(CLIENT_SECRET_KEY), 'top-s3cret');
    assert.equal(secret.current(), 'top-s3cret');
    assert.doesNotMatch(`${logger.text} ${answer.infos.join(' ')}`, /top-s3cret/);
    await secret.set(ui(''));
    assert.equal(storage.values.has(CLIENT_SECRET_KEY), false);
    assert.equal(secret.current(), undefined);
    await secret.set(ui(undefined)); // dismissed: nothing changes
    assert.equal(storage.values.has(CLIENT_SECRET_KEY), false);
    secret.dispose();
  });

  it('a secret stored in another window is picked up, and the OAuth client is rebuilt with it', async () => {
    const storage = new TestSecretStorage();
    let changed = 0;
    const secret = new ClientSecret(storage, new RecordingLogger(), () => {
      changed++;
    });
    await secret.ready;
    await storage.store(CLIENT_SECRET_KEY, 'from-elsewhere');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(secret.current(), 'from-elsewhere');
    assert.equal(changed, 1);

    const built: Array<string | undefined> = [];
    const oauth = new ConfiguredOAuthClient(
      (_settings, clientSecret) => {
        built.push(clientSecret);
        return new FakeOAuthClient();
      },
      () => settings({ clientId: 'pre-registered' }),
      () => secret.current(),
    );
    await oauth.sessions();
    await storage.store(CLIENT_SECRET_KEY, 'rotated');
    await new Promise((resolve) => setImmediate(resolve));
    await oauth.sessions();
    assert.deepEqual(built, ['from-elsewhere', 'rotated']);
    secret.dispose();
  });
});
