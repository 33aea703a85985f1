import assert from 'node:assert/strict';
import { LensesOAuthClient, OAuthError, SESSIONS_KEY, type OAuthErrorCode, type OAuthSession } from '../../../src/oauth';
import { REFRESH_LEASE_PREFIX } from '../../../src/oauth/refreshLease';
import { SessionStore } from '../../../src/oauth/sessionStore';
import { Arrivals, fakeSleep, json, MemorySecretStore, type FakeFetch } from './fakes';
import { RecordingLogger } from '../../support/recordingLogger';
import { fakeHq, storedSession } from './fakeHq';

// Several VS Code windows = several extension hosts, each with its own LensesOAuthClient,
// over ONE SecretStorage. Here: several clients over one MemorySecretStore and one fake clock.

const HOUR = 3600_000;
const LEASE_KEY = `${REFRESH_LEASE_PREFIX}s1`;

/**
 * A token endpoint like HQ's (AS-06): refresh tokens rotate, and a spent refresh token
 * used again is reuse — the whole grant is revoked. Optionally holds each answer.
 */
function rotatingHq(hold: () => Promise<void> = async () => {}) {
  const state = { valid: 'rt-old-secretvalue', spent: new Set<string>(), grantRevoked: false, refreshes: 0 };
  let issued = 0;
  const fake = fakeHq({
    token: async (_request, form) => {
      state.refreshes++;
      await hold();
      const presented = form.get('refresh_token') ?? '';
      if (state.spent.has(presented)) state.grantRevoked = true;
      if (state.grantRevoked || presented !== state.valid) return json({ error: 'invalid_grant', error_description: 'grant request is invalid' }, 400);
      state.spent.add(presented);
      issued++;
      state.valid = `rt-${issued}-secretvalue`;
      return json({ access_token: `at-${issued}-secretvalue`, refresh_token: state.valid, token_type: 'Bearer', expires_in: 3600 });
    },
  });
  return { fake, state };
}

/** Windows over one store and one fake clock; `sleeps` records every wait of any window (lease settle, waiting for another window). */
function windowsOver(fake: FakeFetch, session: OAuthSession = storedSession(), sleeps = new Arrivals<number>()) {
  const secrets = new MemorySecretStore();
  secrets.values.set(SESSIONS_KEY, JSON.stringify([session]));
  const clock = { now: HOUR - 30_000 }; // within the 60 s refresh margin
  const logger = new RecordingLogger();
  const sleep = fakeSleep(clock);
  const recordedSleep = (ms: number) => {
    sleeps.add(ms);
    return sleep(ms);
  };
  const window = () => new LensesOAuthClient({ secrets, logger, fetch: fake.fetch, now: () => clock.now, sleep: recordedSleep, openBrowser: async () => true });
  return { secrets, clock, logger, window, sleeps };
}

function stored(secrets: MemorySecretStore): OAuthSession[] {
  return JSON.parse(secrets.values.get(SESSIONS_KEY) ?? '[]') as OAuthSession[];
}

function isCode(code: OAuthErrorCode) {
  return (error: unknown) => error instanceof OAuthError && error.code === code;
}

/**
 * Holds the refresh answer until `others` more waits happened after the request reached HQ:
 * while the refreshing window awaits HQ, only the other windows (waiting for its lease) sleep.
 */
function heldUntilOthersWait(sleeps: Arrivals<number>, others: number): () => Promise<void> {
  return async () => {
    await sleeps.nth(sleeps.items.length + others, 'another window waiting for the lease');
  };
}

describe('LensesOAuthClient across windows sharing one SecretStore', () => {
  it('CL-10 two windows refreshing at the same moment send one refresh request and both get the new token', async () => {
    const sleeps = new Arrivals<number>();
    const { fake, state } = rotatingHq(heldUntilOthersWait(sleeps, 1));
    const { secrets, window, logger } = windowsOver(fake, storedSession(), sleeps);
    const [first, second] = [window(), window()];
    const writesBefore = secrets.writes.get(SESSIONS_KEY) ?? 0;

    const [a, b] = await Promise.all([first.validSession('s1'), second.validSession('s1')]);

    assert.equal(state.refreshes, 1);
    assert.equal(state.grantRevoked, false);
    assert.equal(a.accessToken, 'at-1-secretvalue');
    assert.equal(b.accessToken, 'at-1-secretvalue');
    assert.deepEqual(
      stored(secrets).map((s) => [s.id, s.accessToken, s.refreshToken]),
      [['s1', 'at-1-secretvalue', 'rt-1-secretvalue']],
    );
    assert.equal((secrets.writes.get(SESSIONS_KEY) ?? 0) - writesBefore, 1, 'the rotated refresh token is stored once');
    assert.equal(secrets.values.has(LEASE_KEY), false, 'the lease is released');
    assert.ok(logger.lines.every((l) => !l.includes('secretvalue')));
  });

  it('CL-10 three windows and two callers each still make one refresh request', async () => {
    const sleeps = new Arrivals<number>();
    const { fake, state } = rotatingHq(heldUntilOthersWait(sleeps, 2));
    const { window } = windowsOver(fake, storedSession(), sleeps);
    const windows = [window(), window(), window()];
    const sessions = await Promise.all(windows.flatMap((w) => [w.validSession('s1'), w.validSession('s1')]));
    assert.equal(state.refreshes, 1);
    assert.equal(state.grantRevoked, false);
    assert.deepEqual(new Set(sessions.map((s) => s.accessToken)), new Set(['at-1-secretvalue']));
  });

  it('CL-10 a window that refreshes after another window is done uses the stored token, no request', async () => {
    const { fake, state } = rotatingHq();
    const { window } = windowsOver(fake);
    const [first, second] = [window(), window()];
    const a = await first.validSession('s1');
    const b = await second.validSession('s1');
    assert.equal(state.refreshes, 1);
    assert.equal(b.accessToken, a.accessToken);
  });

  it('CL-10 invalid_grant after another window stored a renewed session: that session is used, not removed', async () => {
    const renewedElsewhere = storedSession({ accessToken: 'at-other-secretvalue', refreshToken: 'rt-other-secretvalue', expiresAt: 3 * HOUR });
    const later: { windows?: ReturnType<typeof windowsOver> } = {};
    const fake = fakeHq({
      token: () => {
        // another window (one without the lease, e.g. an older version) rotated the token first
        later.windows?.secrets.values.set(SESSIONS_KEY, JSON.stringify([renewedElsewhere]));
        return json({ error: 'invalid_grant' }, 400);
      },
    });
    const windows = (later.windows = windowsOver(fake));
    const session = await windows.window().validSession('s1');
    assert.equal(session.accessToken, 'at-other-secretvalue');
    assert.deepEqual(
      stored(windows.secrets).map((s) => s.refreshToken),
      ['rt-other-secretvalue'],
    );
    assert.equal(fake.count('POST /oauth2/token'), 1);
  });

  it('CL-11 invalid_grant while the store still holds the failed refresh token removes the session', async () => {
    const fake = fakeHq({ token: () => json({ error: 'invalid_grant' }, 400) });
    const { secrets, window } = windowsOver(fake);
    const [first, second] = [window(), window()];
    await assert.rejects(first.validSession('s1'), isCode('session_expired'));
    assert.equal(secrets.values.has(SESSIONS_KEY), false);
    await assert.rejects(second.validSession('s1'), isCode('session_expired'));
    assert.equal(fake.count('POST /oauth2/token'), 1, 'no loop, no second window retrying');
  });

  it('CL-10 the lease of a window that died mid-refresh is taken over once it expires', async () => {
    const { fake, state } = rotatingHq();
    const { secrets, clock, window } = windowsOver(fake);
    secrets.values.set(LEASE_KEY, JSON.stringify({ owner: 'crashed-window', until: clock.now + 5_000 }));
    const started = clock.now;
    const session = await window().validSession('s1');
    assert.equal(session.accessToken, 'at-1-secretvalue');
    assert.equal(state.refreshes, 1);
    assert.ok(clock.now - started >= 5_000, 'waited for the lease to expire first');
    assert.equal(secrets.values.has(LEASE_KEY), false);
  });

  it('CL-10 an expired lease left behind does not delay a refresh', async () => {
    const { fake, state } = rotatingHq();
    const { secrets, clock, window } = windowsOver(fake);
    secrets.values.set(LEASE_KEY, JSON.stringify({ owner: 'crashed-window', until: clock.now - 1 }));
    const started = clock.now;
    await window().validSession('s1');
    assert.equal(state.refreshes, 1);
    assert.ok(clock.now - started < 1_000);
  });

  it('CL-10 a window that waits too long for another gives up as unreachable, keeps the session, spends nothing', async () => {
    const { fake, state } = rotatingHq();
    const { secrets, clock, window } = windowsOver(fake);
    secrets.values.set(LEASE_KEY, JSON.stringify({ owner: 'stuck-window', until: clock.now + 60_000 }));
    await assert.rejects(window().validSession('s1'), isCode('unreachable'));
    assert.equal(state.refreshes, 0);
    assert.equal(stored(secrets).length, 1);
    assert.equal((JSON.parse(secrets.values.get(LEASE_KEY) ?? '{}') as { owner?: string }).owner, 'stuck-window', "another window's lease is not deleted");
  });

  it('CL-12 a sign-out in another window while this one waits for its refresh ends the session here too', async () => {
    const { fake, state } = rotatingHq();
    const { secrets, clock, window, sleeps } = windowsOver(fake);
    secrets.values.set(LEASE_KEY, JSON.stringify({ owner: 'other-window', until: clock.now + 30_000 }));
    const [waiting, other] = [window(), window()];
    const ended = assert.rejects(waiting.validSession('s1'), isCode('session_expired'));
    // The other window signs out once this one is waiting for the lease.
    await sleeps.nth(1, 'this window waiting for the lease');
    await other.forget('s1');
    await ended;
    assert.equal(state.refreshes, 0);
  });

  it('CL-12 a refresh finishing after another window signed out does not bring the session back', async () => {
    let signOut: () => Promise<void> = async () => {};
    const { fake } = rotatingHq(() => signOut());
    const { secrets, window } = windowsOver(fake);
    const [refreshing, other] = [window(), window()];
    signOut = () => other.signOut('s1');
    await assert.rejects(refreshing.validSession('s1'), isCode('session_expired'));
    assert.equal(secrets.values.has(SESSIONS_KEY), false);
    const revoked = fake.requests.filter((r) => r.url.pathname === '/oauth2/revoke').map((r) => new URLSearchParams(r.body).get('token'));
    assert.ok(revoked.includes('rt-1-secretvalue'), 'the refresh token issued after sign-out is revoked');
  });
});

/** A SecretStore where, once, another window writes back the list it read before our first write. */
class StaleWriteBack extends MemorySecretStore {
  staleWrites = 0;
  constructor(private readonly stale: string) {
    super();
    this.values.set(SESSIONS_KEY, stale);
  }
  override async store(key: string, value: string): Promise<void> {
    await super.store(key, value);
    if (key === SESSIONS_KEY && this.staleWrites === 0) {
      this.staleWrites++;
      await super.store(key, this.stale);
    }
  }
}

describe('SessionStore shared by several windows', () => {
  const session = (id: string) => storedSession({ id, accessToken: `at-${id}` });
  const ids = (secrets: MemorySecretStore) =>
    stored(secrets)
      .map((s) => s.id)
      .sort();

  function storesOver(initial: OAuthSession[]) {
    const secrets = new MemorySecretStore();
    secrets.values.set(SESSIONS_KEY, JSON.stringify(initial));
    const clock = { now: 0 };
    const window = () => new SessionStore(secrets, { sleep: fakeSleep(clock) });
    return { secrets, window };
  }

  it('CL-10 concurrent adds and removes from two windows lose nothing', async () => {
    const { secrets, window } = storesOver([session('s1'), session('s2')]);
    const [a, b] = [window(), window()];
    await Promise.all([a.put(session('s3')), b.remove('s1'), b.put(session('s4')), a.remove('s2')]);
    assert.deepEqual(ids(secrets), ['s3', 's4']);
  });

  it('CL-12 a removal is not undone by another window writing back the list it read before', async () => {
    const { secrets, window } = storesOver([session('s1'), session('s2')]);
    const [a, b] = [window(), window()];
    await Promise.all([a.put(session('s3')), b.remove('s2')]);
    assert.deepEqual(ids(secrets), ['s1', 's3']);
    assert.equal(await b.get('s2'), undefined);
  });

  it('replace does not add a session that is gone', async () => {
    const { secrets, window } = storesOver([session('s1')]);
    assert.deepEqual(await window().replace(session('s2'), session('s2').refreshToken), { kind: 'gone' });
    assert.equal((await window().replace({ ...session('s1'), accessToken: 'at-new' }, session('s1').refreshToken)).kind, 'replaced');
    assert.deepEqual(
      stored(secrets).map((s) => [s.id, s.accessToken]),
      [['s1', 'at-new']],
    );
  });

  it('CL-17 replace is a compare-and-swap on the spent refresh token: a stale list written back is overwritten again', async () => {
    const original = storedSession();
    const secrets = new StaleWriteBack(JSON.stringify([original]));
    const store = new SessionStore(secrets, { sleep: fakeSleep({ now: 0 }) });
    const renewed = { ...original, accessToken: 'at-1-secretvalue', refreshToken: 'rt-1-secretvalue' };
    assert.equal((await store.replace(renewed, original.refreshToken)).kind, 'replaced');
    assert.equal(secrets.staleWrites, 1, 'another window wrote back the list it read before ours');
    assert.deepEqual(
      stored(secrets).map((s) => s.refreshToken),
      ['rt-1-secretvalue'],
      'the spent refresh token did not stay',
    );
  });

  it('CL-17 replace keeps a newer refresh token another window stored, and never writes over it', async () => {
    const { secrets, window } = storesOver([storedSession({ refreshToken: 'rt-2-secretvalue' })]);
    const outcome = await window().replace(storedSession({ accessToken: 'at-1', refreshToken: 'rt-1-secretvalue' }), 'rt-old-secretvalue');
    assert.equal(outcome.kind, 'newer');
    assert.deepEqual(
      stored(secrets).map((s) => s.refreshToken),
      ['rt-2-secretvalue'],
    );
  });

  it('CL-12 sign-outs in two windows at once both stick (through the client)', async () => {
    const fake = fakeHq();
    const secrets = new MemorySecretStore();
    secrets.values.set(SESSIONS_KEY, JSON.stringify([session('s1'), session('s2'), session('s3')]));
    const clock = { now: 0 };
    const window = () => new LensesOAuthClient({ secrets, fetch: fake.fetch, now: () => clock.now, sleep: fakeSleep(clock), openBrowser: async () => true });
    await Promise.all([window().forget('s1'), window().forget('s3')]);
    assert.deepEqual(ids(secrets), ['s2']);
  });
});
