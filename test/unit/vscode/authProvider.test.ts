import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { OAuthError } from '../../../src/oauth';
import { LensesAuthenticationProvider, SIGN_IN_TIMEOUT_MS } from '../../../src/vscode/account/authProvider';
import { isHqSession } from '../../../src/vscode/account/sessionResources';
import { SignInCancelledError } from '../../../src/vscode/userMessages';
import { FakeAuthUi, FakeOAuthClient, session, settings, settle, TestSecretStorage } from './fakes';
import { RecordingLogger } from '../../support/recordingLogger';

type ChangeEvent = vscode.AuthenticationProviderAuthenticationSessionsChangeEvent;

function window(oauth = new FakeOAuthClient(), overrides: { url?: string; redirectUri?: string } = {}) {
  const ui = new FakeAuthUi();
  const logger = new RecordingLogger();
  const events: ChangeEvent[] = [];
  const provider = new LensesAuthenticationProvider({
    oauth,
    settings: () => settings({ url: overrides.url ?? 'https://hq.example.com' }),
    ui,
    redirect: async () =>
      overrides.redirectUri ? { kind: 'uri', redirectUri: overrides.redirectUri, waitForCallback: () => new Promise<URL>(() => undefined) } : undefined,
    secretsChanged: oauth.secrets.onDidChange,
    logger,
  });
  provider.onDidChangeSessions((event) => events.push(event));
  return { provider, oauth, ui, logger, events };
}

describe('LensesAuthenticationProvider', () => {
  describe('getSessions', () => {
    it('returns stored sessions whose granted scopes cover the request, without network', async () => {
      const oauth = new FakeOAuthClient();
      await oauth.put(session({ scopes: ['read'] }));
      const { provider } = window(oauth);
      assert.equal((await provider.getSessions(['read'])).length, 1);
      assert.equal((await provider.getSessions(['read', 'write'])).length, 0);
      assert.equal((await provider.getSessions(undefined)).length, 1);
      assert.deepEqual(oauth.calls, [], 'no sign-in, refresh or revoke');
    });

    it('shows the granted scopes and the account label', async () => {
      const oauth = new FakeOAuthClient();
      await oauth.put(session({ scopes: ['read', 'write'], account: { id: 'u1', label: 'bob' } }));
      const [found] = await window(oauth).provider.getSessions([]);
      assert.deepEqual(found.scopes, ['read', 'write']);
      assert.deepEqual(found.account, { id: 'u1', label: 'bob' });
      assert.equal(found.accessToken, 'access-token-1');
    });

    it('ignores sessions the provider does not accept (another HQ or a remote MCP server)', async () => {
      const oauth = new FakeOAuthClient();
      await oauth.put(session({ id: 'hq', resource: 'https://hq.example.com' }));
      await oauth.put(session({ id: 'remote', resource: 'https://mcp.example.com/mcp' }));
      const provider = new LensesAuthenticationProvider({
        oauth,
        settings: () => settings(),
        ui: new FakeAuthUi(),
        redirect: async () => undefined,
        secretsChanged: oauth.secrets.onDidChange,
        accepts: (s) => isHqSession(s, 'https://hq.example.com/'),
        logger: new RecordingLogger(),
      });
      assert.deepEqual(
        (await provider.getSessions(undefined)).map((s) => s.id),
        ['hq'],
      );
    });
  });

  it('has no session for a scope Lenses does not know (never a narrower session)', async () => {
    const oauth = new FakeOAuthClient();
    await oauth.put(session({ scopes: ['read', 'write', 'delete'] }));
    const { provider } = window(oauth);
    assert.equal((await provider.getSessions(['read'])).length, 1);
    assert.deepEqual(await provider.getSessions(['read', 'openid']), []);
  });

  describe('createSession', () => {
    it('signs in with the asked scopes and a 5-minute timeout, and fires added', async () => {
      const { provider, oauth, events } = window();
      const created = await provider.createSession(['read', 'write']);
      assert.equal(created.id, 'session-1');
      assert.deepEqual(oauth.lastSignIn?.scopes, ['read', 'write']);
      assert.equal(oauth.lastSignIn?.hqUrl, 'https://hq.example.com');
      assert.equal(oauth.lastSignIn?.timeoutMs, SIGN_IN_TIMEOUT_MS);
      assert.equal(oauth.lastSignIn?.redirect, undefined, 'loopback on desktop');
      await settle();
      assert.equal(events.length, 1);
      assert.deepEqual(
        events[0].added?.map((s) => s.id),
        ['session-1'],
      );
    });

    it('uses the uri redirect strategy when the window provides one (remote)', async () => {
      const { provider, oauth } = window(new FakeOAuthClient(), { redirectUri: 'vscode://lenses-community.lenses-mcp/auth-callback' });
      await provider.createSession(['read']);
      assert.equal(oauth.lastSignIn?.redirect?.kind, 'uri');
    });

    it('CL-09 tells which scopes were granted and which not', async () => {
      const { provider, oauth, ui } = window();
      oauth.nextSignIn = session({ scopes: ['read'] });
      const created = await provider.createSession(['read', 'write', 'delete']);
      assert.deepEqual(created.scopes, ['read']);
      assert.equal(ui.messages.length, 1);
      assert.equal(ui.messages[0].severity, 'info');
      assert.match(ui.messages[0].message.text, /with read access\. Not granted: write, delete/);
      assert.deepEqual(ui.messages[0].message.actions, ['changeScopes']);
    });

    it('says nothing about scopes when all were granted', async () => {
      const { provider, ui } = window();
      await provider.createSession(['read', 'write', 'delete']);
      assert.deepEqual(ui.messages, []);
    });

    it('asks for the HQ URL when lenses.url is empty, and stays silent when dismissed', async () => {
      const { provider, oauth, ui } = window(new FakeOAuthClient(), { url: '' });
      await assert.rejects(provider.createSession(['read']), SignInCancelledError);
      assert.equal(ui.urlAsked, 1);
      assert.deepEqual(ui.messages, []);
      assert.deepEqual(oauth.calls, []);
    });

    it('signs in to the URL typed in the prompt', async () => {
      const { provider, oauth, ui } = window(new FakeOAuthClient(), { url: '' });
      ui.urlAnswer = 'https://typed.example.com';
      await provider.createSession(['read']);
      assert.equal(oauth.lastSignIn?.hqUrl, 'https://typed.example.com');
    });

    it('is silent when the user cancels the progress notification', async () => {
      const { provider, oauth, ui } = window();
      oauth.nextSignIn = new OAuthError('cancelled', 'Sign-in was cancelled');
      await assert.rejects(provider.createSession(['read']), OAuthError);
      assert.deepEqual(ui.messages, []);
    });

    it('CL-05 consent denied shows "Sign-in was cancelled" with Show Logs and rethrows', async () => {
      const { provider, oauth, ui } = window();
      oauth.nextSignIn = new OAuthError('access_denied', 'The user denied access');
      await assert.rejects(provider.createSession(['read']), (error: unknown) => error instanceof OAuthError && error.code === 'access_denied');
      assert.equal(ui.messages.length, 1);
      assert.match(ui.messages[0].message.text, /^Sign-in was cancelled/);
      assert.deepEqual(ui.messages[0].message.actions, ['showLogs']);
    });

    it('a new sign-in replaces the earlier session (one account at a time)', async () => {
      const oauth = new FakeOAuthClient();
      await oauth.put(session({ id: 'old', scopes: ['read'] }));
      const { provider, events } = window(oauth);
      oauth.nextSignIn = session({ id: 'new' });
      await provider.createSession(['read', 'write']);
      await settle();
      assert.deepEqual(
        (await provider.getSessions(undefined)).map((s) => s.id),
        ['new'],
      );
      assert.ok(oauth.calls.includes('forget old'));
      assert.ok(!oauth.calls.includes('signOut old'), 'not revoked: the grant may be shared');
      assert.deepEqual(
        events.flatMap((e) => e.removed ?? []).map((s) => s.id),
        ['old'],
      );
    });
  });

  describe('removeSession', () => {
    it('CL-12 revokes at HQ, forgets, and fires removed', async () => {
      const oauth = new FakeOAuthClient();
      await oauth.put(session());
      const { provider, events } = window(oauth);
      await provider.removeSession('session-1');
      assert.deepEqual(oauth.calls, ['signOut session-1']);
      assert.deepEqual(await oauth.sessions(), []);
      assert.deepEqual(
        events.at(-1)?.removed?.map((s) => s.id),
        ['session-1'],
      );
    });

    it('forgets locally when HQ cannot be reached for the revoke', async () => {
      const oauth = new FakeOAuthClient();
      await oauth.put(session());
      oauth.signOutFails = true;
      const { provider } = window(oauth);
      await provider.removeSession('session-1');
      assert.deepEqual(oauth.calls, ['signOut session-1', 'forget session-1']);
      assert.deepEqual(await provider.getSessions(undefined), []);
    });
  });

  describe('windows', () => {
    it('CL-12 a sign-in and a sign-out in one window are seen by another through SecretStorage', async () => {
      const secrets = new TestSecretStorage();
      const first = window(new FakeOAuthClient(secrets));
      const second = window(new FakeOAuthClient(secrets));
      await first.provider.createSession(['read']);
      await settle();
      assert.deepEqual(
        second.events.at(-1)?.added?.map((s) => s.id),
        ['session-1'],
      );
      assert.equal((await second.provider.getSessions(['read'])).length, 1);

      await first.provider.removeSession('session-1');
      await settle();
      assert.deepEqual(
        second.events.at(-1)?.removed?.map((s) => s.id),
        ['session-1'],
      );
      assert.deepEqual(await second.provider.getSessions(undefined), []);
    });

    it('a token refreshed in another window fires changed', async () => {
      const secrets = new TestSecretStorage();
      const oauth = new FakeOAuthClient(secrets);
      await oauth.put(session());
      const { provider, events } = window(oauth);
      await provider.getSessions(undefined);
      await new FakeOAuthClient(secrets).put(session({ accessToken: 'access-token-2' }));
      await settle();
      assert.deepEqual(
        events.at(-1)?.changed?.map((s) => s.accessToken),
        ['access-token-2'],
      );
    });
  });

  describe('validCurrentSession', () => {
    it('returns the refreshed session', async () => {
      const oauth = new FakeOAuthClient();
      await oauth.put(session());
      const { provider } = window(oauth);
      assert.equal((await provider.validCurrentSession())?.accessToken, 'access-token-1');
      assert.deepEqual(oauth.calls, ['validSession session-1']);
    });

    it('CL-11 a refused refresh removes the session, fires removed and tells the user, once', async () => {
      const oauth = new FakeOAuthClient();
      await oauth.put(session());
      oauth.refreshFails = true;
      let ended = 0;
      const provider = new LensesAuthenticationProvider({
        oauth,
        settings: () => settings(),
        ui: new FakeAuthUi(),
        redirect: async () => undefined,
        secretsChanged: oauth.secrets.onDidChange,
        sessionEnded: () => void ended++,
        logger: new RecordingLogger(),
      });
      const events: Array<{ removed?: readonly { id: string }[] }> = [];
      provider.onDidChangeSessions((event) => events.push(event));
      await provider.getSessions(undefined);
      assert.equal(await provider.validCurrentSession(), undefined);
      assert.equal(await provider.validCurrentSession(), undefined);
      await settle();
      assert.deepEqual(
        events.flatMap((e) => e.removed ?? []).map((s) => s.id),
        ['session-1'],
      );
      assert.deepEqual(oauth.calls, ['validSession session-1'], 'no retry loop once the session is gone');
      assert.equal(ended, 1, 'one "session ended" notice');
    });
  });

  it('CL-14 logs token fingerprints, never tokens', async () => {
    const { provider, logger } = window();
    await provider.createSession(['read']);
    await provider.removeSession('session-1');
    assert.ok(logger.lines.length > 0);
    assert.doesNotMatch(logger.text, /access-token-1|refresh-token-1/);
    assert.match(logger.text, /token [0-9a-f]{8}/);
  });

  it('a lenses.url that is no URL is refused before any network, with the setting named', async () => {
    const { provider, oauth, ui } = window(new FakeOAuthClient(), { url: 'lenses.example.com' });
    await assert.rejects(provider.createSession(['read']));
    assert.deepEqual(oauth.calls, [], 'no sign-in attempted');
    assert.equal(ui.messages[0]?.severity, 'error');
    assert.match(ui.messages[0]?.message.text ?? '', /^`lenses\.url` is not a valid URL: "lenses\.example\.com" is not an absolute URL/);
    assert.doesNotMatch(ui.messages[0]?.message.text ?? '', /OAuth configuration|discover/i);
  });
});
