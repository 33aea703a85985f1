import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { LensesAuthenticationProvider } from '../../../src/vscode/account/authProvider';
import { changeGrantedScopes, type ScopeChangeDependencies } from '../../../src/vscode/account/scopeChange';
import { EndedSessionNote, ENDED_SESSION_KEY } from '../../../src/vscode/account/sessionEnd';
import { signIn, type SessionCheck, type SignInDependencies } from '../../../src/vscode/account/signIn';
import type { EndedSession } from '../../../src/vscode/account/sessionEnd';
import type { LensesSession } from '../../../src/vscode/account/oauthPort';
import type { Scope } from '../../../src/scopes';
import type { UserMessage } from '../../../src/vscode/userMessages';
import { FakeAuthUi, FakeOAuthClient, session, settings, settle, TestSecretStorage } from './fakes';
import { RecordingLogger } from '../../support/recordingLogger';

type ChangeEvent = vscode.AuthenticationProviderAuthenticationSessionsChangeEvent;

/** One VS Code window: a provider over the shared SecretStorage. */
function window(secrets: TestSecretStorage) {
  const oauth = new FakeOAuthClient(secrets);
  const ended: EndedSession[] = [];
  const events: ChangeEvent[] = [];
  const provider = new LensesAuthenticationProvider({
    oauth,
    settings: () => settings(),
    ui: new FakeAuthUi(),
    redirect: async () => undefined,
    secretsChanged: secrets.onDidChange,
    endedNote: new EndedSessionNote(secrets),
    sessionEnded: (value) => ended.push(value),
    logger: new RecordingLogger(),
  });
  provider.onDidChangeSessions((event) => events.push(event));
  return { provider, oauth, ended, events };
}

describe('CL-19 HQ no longer accepts the session', () => {
  it('CL-19 endSession forgets the session in every window at once and notes why', async () => {
    const secrets = new TestSecretStorage();
    const first = window(secrets);
    await first.oauth.put(session());
    const second = window(secrets);
    await first.provider.reconcile();
    assert.ok(await second.provider.currentSession());

    assert.equal(await first.provider.endSession('inactive', 'access-token-1'), true);
    await settle();
    assert.equal(await first.provider.currentSession(), undefined);
    assert.equal(await second.provider.currentSession(), undefined, 'the other window follows through SecretStorage');
    assert.deepEqual(
      second.events.at(-1)?.removed?.map((s) => s.id),
      ['session-1'],
      "the other window's provider fired its change event",
    );
    assert.deepEqual(
      first.ended.map((e) => [e.account, e.cause]),
      [['alice', 'inactive']],
      'this window tells the user once',
    );
    assert.equal((await second.provider.lastEndedSession())?.cause, 'inactive', 'every window shows the ended state');
    assert.ok(!first.oauth.calls.some((call) => call.startsWith('signOut')), 'no revoke: HQ dropped it already');
  });

  it('CL-19 a token no stored session holds (refreshed or replaced since) ends nothing', async () => {
    const secrets = new TestSecretStorage();
    const { provider, oauth, ended } = window(secrets);
    await oauth.put(session({ accessToken: 'newer-token' }));
    assert.equal(await provider.endSession('unauthorized', 'older-token'), false);
    assert.ok(await provider.currentSession());
    assert.deepEqual(ended, []);
  });

  it('CL-19 refresh refused (invalid_grant) is the same end: noted, told once, gone', async () => {
    const secrets = new TestSecretStorage();
    const { provider, oauth, ended } = window(secrets);
    await oauth.put(session());
    oauth.refreshFails = true;
    assert.equal(await provider.validCurrentSession(), undefined);
    assert.deepEqual(
      ended.map((e) => e.cause),
      ['refresh_refused'],
    );
    assert.equal((await provider.lastEndedSession())?.cause, 'refresh_refused');
  });

  it('CL-19 the ended note is cleared by the next sign-in and by a sign-out', async () => {
    const secrets = new TestSecretStorage();
    const { provider, oauth } = window(secrets);
    await oauth.put(session());
    await provider.endSession('inactive');
    assert.ok(secrets.values.has(ENDED_SESSION_KEY));
    await provider.createSession(['read']);
    assert.equal(await provider.lastEndedSession(), undefined);
    await provider.endSession('unauthorized');
    assert.ok(secrets.values.has(ENDED_SESSION_KEY));
    await oauth.put(session({ id: 'session-2' }));
    await provider.reconcile();
    await provider.removeSession('session-2');
    assert.equal(await provider.lastEndedSession(), undefined);
  });

  it('an unreachable HQ during a refresh is not an end: the session stays and the error is passed on', async () => {
    const secrets = new TestSecretStorage();
    const { provider, oauth, ended } = window(secrets);
    await oauth.put(session());
    const unreachable = new Error('Could not reach Lenses HQ (refresh)');
    oauth.refreshUnreachable = unreachable;
    await assert.rejects(provider.validCurrentSession(), unreachable);
    assert.ok(await provider.currentSession(), 'kept');
    assert.deepEqual(ended, []);
    assert.equal(await provider.lastEndedSession(), undefined);
  });
});

/** Sign In's steps, recorded. */
function signInDeps(current: LensesSession | undefined | Error, check: SessionCheck, changeScopesPicked = false) {
  const steps: string[] = [];
  const dependencies: SignInDependencies = {
    validCurrentSession: async () => {
      if (current instanceof Error) throw current;
      return current;
    },
    hqUrl: () => 'https://hq.example.com/',
    checkWithHq: async () => {
      steps.push('check');
      return check;
    },
    endSession: async (cause, token) => {
      steps.push(`end ${cause} ${token}`);
      return true;
    },
    startSignIn: async () => void steps.push('browser sign-in'),
    showAlreadySignedIn: async (text) => {
      steps.push(`told: ${text}`);
      return changeScopesPicked;
    },
    changeScopes: async () => void steps.push('change scopes'),
    logger: new RecordingLogger(),
  };
  return { dependencies, steps };
}

describe('Lenses: Sign In always signs in', () => {
  it('CL-19 a stored session HQ says is inactive is forgotten and a fresh browser sign-in starts', async () => {
    const { dependencies, steps } = signInDeps(session(), 'inactive');
    assert.equal(await signIn(dependencies), 'started');
    assert.deepEqual(steps, ['check', 'end inactive access-token-1', 'browser sign-in']);
  });

  it('without a session it starts the browser sign-in, checking nothing', async () => {
    const { dependencies, steps } = signInDeps(undefined, 'active');
    assert.equal(await signIn(dependencies), 'started');
    assert.deepEqual(steps, ['browser sign-in']);
  });

  it('a live session: "Already signed in as alice (read write)" with Change Granted Scopes…', async () => {
    const { dependencies, steps } = signInDeps(session({ scopes: ['read', 'write'] }), 'active', true);
    assert.equal(await signIn(dependencies), 'already-signed-in');
    assert.deepEqual(steps, ['check', 'told: Already signed in to Lenses as alice (read write).', 'change scopes']);
  });

  it('HQ unreachable: the session is kept, the user is told it could not be checked; no sign-in over it', async () => {
    const { dependencies, steps } = signInDeps(session({ scopes: ['read'] }), 'unreachable');
    assert.equal(await signIn(dependencies), 'already-signed-in');
    assert.deepEqual(steps, [
      'check',
      'told: Already signed in to Lenses as alice (read). Lenses HQ at https://hq.example.com could not be reached to check the session.',
    ]);
  });

  it('a refresh HQ could not answer keeps the session and starts nothing', async () => {
    const { dependencies, steps } = signInDeps(new Error('Lenses HQ could not renew the session right now.'), 'active');
    assert.equal(await signIn(dependencies), 'already-signed-in');
    assert.deepEqual(steps, []);
  });
});

function scopeChangeDeps(current: LensesSession | undefined, picked: Scope[] | undefined, signInFails = false) {
  const steps: string[] = [];
  const messages: Array<{ severity: string; message: UserMessage }> = [];
  let ticked: readonly Scope[] = [];
  const dependencies: ScopeChangeDependencies = {
    currentSession: async () => current,
    configuredScopes: () => ['read', 'write', 'delete'],
    pickScopes: async (shown) => {
      ticked = shown;
      return picked;
    },
    signOut: async (id) => void steps.push(`revoke ${id}`),
    signIn: async (scopes) => {
      steps.push(`sign in ${scopes.join(' ')}`);
      if (signInFails) throw new Error('Sign-in was cancelled');
      return session({ id: 'session-2', scopes: [...scopes] });
    },
    showMessage: (severity, message) => messages.push({ severity, message }),
    logger: new RecordingLogger(),
  };
  return { dependencies, steps, messages, ticked: () => ticked };
}

describe('Lenses: Change Granted Scopes…', () => {
  it('ticks the granted scopes, revokes the old grant, then re-consents for the picked ones', async () => {
    const { dependencies, steps, ticked } = scopeChangeDeps(session({ scopes: ['read', 'write'] }), ['read', 'write', 'delete']);
    assert.equal(await changeGrantedScopes(dependencies), 'changed');
    assert.deepEqual(ticked(), ['read', 'write']);
    assert.deepEqual(steps, ['revoke session-1', 'sign in read write delete']);
  });

  it('the same scopes: nothing changes, nothing is revoked', async () => {
    const { dependencies, steps, messages } = scopeChangeDeps(session({ scopes: ['read', 'write'] }), ['write', 'read']);
    assert.equal(await changeGrantedScopes(dependencies), 'unchanged');
    assert.deepEqual(steps, []);
    assert.match(messages[0].message.text, /already holds read write/);
  });

  it('dismissed or nothing ticked: nothing happens', async () => {
    for (const picked of [undefined, []]) {
      const { dependencies, steps } = scopeChangeDeps(session(), picked);
      assert.equal(await changeGrantedScopes(dependencies), 'cancelled');
      assert.deepEqual(steps, []);
    }
  });

  it('a failed or cancelled re-consent says the earlier session was ended and offers Sign In', async () => {
    const { dependencies, steps, messages } = scopeChangeDeps(session({ scopes: ['read'] }), ['read', 'write'], true);
    assert.equal(await changeGrantedScopes(dependencies), 'failed');
    assert.deepEqual(steps, ['revoke session-1', 'sign in read write']);
    assert.deepEqual(messages.at(-1)?.message.actions, ['signIn']);
  });

  it('signed out: the configured scopes are ticked and it signs in with the picked ones', async () => {
    const { dependencies, steps, ticked } = scopeChangeDeps(undefined, ['read']);
    assert.equal(await changeGrantedScopes(dependencies), 'changed');
    assert.deepEqual(ticked(), ['read', 'write', 'delete']);
    assert.deepEqual(steps, ['sign in read']);
  });
});
