import assert from 'node:assert/strict';
import { OAuthError, SESSIONS_KEY, type OAuthSession } from '../../../src/oauth';
import { DEFAULT_LEASE_TIMINGS, RefreshLeases } from '../../../src/oauth/refreshLease';
import { SessionRenewal, type RefreshGrant } from '../../../src/oauth/sessionRenewal';
import { SessionStore } from '../../../src/oauth/sessionStore';
import type { TokenSet } from '../../../src/oauth/tokens';
import { ISSUER, storedSession } from './fakeHq';
import { fakeSleep, MemorySecretStore } from './fakes';
import { RecordingLogger } from '../../support/recordingLogger';

// SessionRenewal on its own: the refresh-token grant is a fake, so no HTTP is involved.

const HOUR = 3600_000;
/** The fixture session, holding read only. */
const readSession = (overrides: Partial<OAuthSession> = {}) => storedSession({ scopes: ['read'], ...overrides });

/** A grant that records what it was asked and answers with `answer`. */
class FakeGrant implements RefreshGrant {
  readonly calls: string[] = [];
  constructor(private readonly answer: (refreshToken: string) => Promise<TokenSet>) {}
  async prepare(session: OAuthSession): Promise<void> {
    this.calls.push(`prepare ${session.issuer}`);
  }
  async redeem(_session: OAuthSession, refreshToken: string): Promise<TokenSet> {
    this.calls.push(`redeem ${refreshToken}`);
    return this.answer(refreshToken);
  }
  async revokeUnused(_session: OAuthSession, refreshToken: string): Promise<void> {
    this.calls.push(`revoke ${refreshToken}`);
  }
  async forgetClient(issuer: string): Promise<void> {
    this.calls.push(`forget ${issuer}`);
  }
}

function renewalWith(grant: RefreshGrant) {
  const secrets = new MemorySecretStore();
  secrets.values.set(SESSIONS_KEY, JSON.stringify([readSession()]));
  const clock = { now: HOUR - 30_000 }; // within the 60 s refresh margin
  const sleep = fakeSleep(clock);
  const store = new SessionStore(secrets, { sleep });
  const renewal = new SessionRenewal({
    store,
    leases: new RefreshLeases(secrets, () => clock.now, sleep, DEFAULT_LEASE_TIMINGS),
    grant,
    logger: new RecordingLogger(),
    now: () => clock.now,
    sleep,
    refreshMarginMs: 60_000,
  });
  return { renewal, store, secrets, clock };
}

describe('SessionRenewal with a fake refresh grant', () => {
  it('CL-10 concurrent renewals in one process spend the refresh token once and store the rotated one', async () => {
    const grant = new FakeGrant(async () => ({ accessToken: 'at-1-secretvalue', refreshToken: 'rt-1-secretvalue', expiresAt: 2 * HOUR, scopes: ['read'] }));
    const { renewal, store } = renewalWith(grant);

    const [a, b] = await Promise.all([renewal.renew('s1'), renewal.renew('s1')]);

    assert.deepEqual(grant.calls, [`prepare ${ISSUER}`, 'redeem rt-old-secretvalue']);
    assert.equal(a.accessToken, 'at-1-secretvalue');
    assert.equal(b.accessToken, 'at-1-secretvalue');
    assert.equal((await store.get('s1'))?.refreshToken, 'rt-1-secretvalue');
    assert.equal(renewal.isFresh(a), true);
  });

  it('CL-11 a refused refresh (invalid_client) ends the session and forgets the client registration', async () => {
    const grant = new FakeGrant(() => Promise.reject(new OAuthError('session_expired', 'refused', { status: 401, oauthError: 'invalid_client' })));
    const { renewal, store } = renewalWith(grant);

    await assert.rejects(
      renewal.renew('s1'),
      (error: unknown) => error instanceof OAuthError && error.code === 'session_expired' && error.oauthError === 'invalid_client',
    );

    assert.equal(await store.get('s1'), undefined);
    assert.deepEqual(grant.calls, [`prepare ${ISSUER}`, 'redeem rt-old-secretvalue', `forget ${ISSUER}`]);
  });

  it('a 5xx answer to the refresh keeps the session and says HQ could not renew it right now', async () => {
    const grant = new FakeGrant(() => Promise.reject(new OAuthError('session_expired', 'refused', { status: 503, oauthError: 'temporarily_unavailable' })));
    const { renewal, store } = renewalWith(grant);

    await assert.rejects(
      renewal.renew('s1'),
      (error: unknown) => error instanceof OAuthError && error.code === 'unreachable' && /could not renew the session right now/.test(error.message),
    );

    assert.equal((await store.get('s1'))?.refreshToken, 'rt-old-secretvalue');
  });

  it('a session without a refresh token is kept while its token lives, then ended without a request', async () => {
    const grant = new FakeGrant(() => Promise.reject(new Error('not called')));
    const { renewal, store, secrets, clock } = renewalWith(grant);
    secrets.values.set(SESSIONS_KEY, JSON.stringify([readSession({ refreshToken: undefined })]));

    assert.equal((await renewal.renew('s1')).accessToken, 'at-old-secretvalue');
    clock.now = HOUR + 1;
    await assert.rejects(renewal.renew('s1'), (error: unknown) => error instanceof OAuthError && error.code === 'session_expired');

    assert.equal(await store.get('s1'), undefined);
    assert.deepEqual(grant.calls, []);
  });
});
