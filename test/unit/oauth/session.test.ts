import assert from 'node:assert/strict';
import { HttpError } from '../../../src/http';
import { LensesOAuthClient, OAuthError, SESSIONS_KEY, type OAuthSession } from '../../../src/oauth';
import { Arrivals, hangingFetch, hungHq, json, MemorySecretStore, yieldingSleep, type FakeFetch } from './fakes';
import { RecordingLogger } from '../../support/recordingLogger';
import { fakeHq, ISSUER, storedSession } from './fakeHq';

const HOUR = 3600_000;

function setup(fake: FakeFetch, session: OAuthSession = storedSession(), extra: Partial<ConstructorParameters<typeof LensesOAuthClient>[0]> = {}) {
  const secrets = new MemorySecretStore();
  secrets.values.set(SESSIONS_KEY, JSON.stringify([session]));
  const clock = { now: 0 };
  const logger = new RecordingLogger();
  const client = new LensesOAuthClient({
    secrets,
    logger,
    fetch: fake.fetch,
    now: () => clock.now,
    sleep: yieldingSleep,
    openBrowser: async () => true,
    ...extra,
  });
  return { client, secrets, clock, logger };
}

const refreshRequests = (fake: FakeFetch) =>
  fake.requests.filter((r) => r.url.pathname === '/oauth2/token' && new URLSearchParams(r.body).get('grant_type') === 'refresh_token');

describe('LensesOAuthClient sessions (fake HQ)', () => {
  it('returns a session that is not near expiry without any request', async () => {
    const fake = fakeHq();
    const { client } = setup(fake);
    const session = await client.validSession('s1');
    assert.equal(session.accessToken, 'at-old-secretvalue');
    assert.equal(fake.requests.length, 0);
  });

  it('refreshes ahead of expiry with the resource and stores the rotated tokens', async () => {
    const fake = fakeHq({ token: () => json({ access_token: 'at-new', refresh_token: 'rt-new', token_type: 'Bearer', expires_in: 3600, scope: 'read' }) });
    const { client, clock } = setup(fake);
    clock.now = HOUR - 30_000; // within the 60 s margin
    const session = await client.validSession('s1');
    assert.equal(session.accessToken, 'at-new');
    assert.equal(session.refreshToken, 'rt-new');
    assert.equal(session.expiresAt, clock.now + HOUR);
    assert.deepEqual(session.scopes, ['read']);
    const form = new URLSearchParams(refreshRequests(fake)[0].body);
    assert.equal(form.get('refresh_token'), 'rt-old-secretvalue');
    assert.equal(form.get('resource'), ISSUER);
    assert.equal(form.get('client_id'), 'client-1');
    assert.deepEqual(await client.sessions(), [session]);
  });

  it('keeps the refresh token when HQ does not rotate it', async () => {
    const fake = fakeHq({ token: () => json({ access_token: 'at-new', token_type: 'Bearer', expires_in: 3600 }) });
    const { client, clock } = setup(fake);
    clock.now = HOUR;
    const session = await client.validSession('s1');
    assert.equal(session.refreshToken, 'rt-old-secretvalue');
    assert.deepEqual(session.scopes, ['read', 'write']);
  });

  it('CL-10 two refreshes at once make one request and store the rotated token once', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const refreshing = new Arrivals<true>();
    const fake = fakeHq({
      token: async () => {
        refreshing.add(true);
        await gate;
        return json({ access_token: 'at-new', refresh_token: 'rt-new', token_type: 'Bearer', expires_in: 3600 });
      },
    });
    const { client, clock, secrets } = setup(fake);
    clock.now = HOUR;
    const writesBefore = secrets.writes.get(SESSIONS_KEY) ?? 0;
    const both = Promise.all([client.validSession('s1'), client.validSession('s1')]);
    // Answer only once the refresh is at HQ, so both callers are waiting on it.
    await refreshing.nth(1, 'the refresh request');
    release();
    const [a, b] = await both;
    assert.equal(a.accessToken, 'at-new');
    assert.equal(b.accessToken, 'at-new');
    assert.equal(refreshRequests(fake).length, 1);
    assert.equal((secrets.writes.get(SESSIONS_KEY) ?? 0) - writesBefore, 1);
  });

  it('CL-10 a refresh done by another window (same store) is used instead of refreshing again', async () => {
    const fake = fakeHq();
    const { client, clock, secrets } = setup(fake);
    clock.now = HOUR;
    const other = storedSession({ accessToken: 'at-other-window', refreshToken: 'rt-other-window', expiresAt: 3 * HOUR });
    // the other window wrote between this caller's read and its refresh
    const realGet = secrets.get.bind(secrets);
    let reads = 0;
    secrets.get = async (key) => {
      if (key === SESSIONS_KEY && ++reads === 2) secrets.values.set(SESSIONS_KEY, JSON.stringify([other]));
      return realGet(key);
    };
    const session = await client.validSession('s1');
    assert.equal(session.accessToken, 'at-other-window');
    assert.equal(refreshRequests(fake).length, 0);
  });

  it('CL-11 a refresh answered invalid_grant removes the session and says to sign in again, without a loop', async () => {
    const fake = fakeHq({ token: () => json({ error: 'invalid_grant', error_description: 'grant request is invalid' }, 400) });
    const { client, clock } = setup(fake);
    clock.now = HOUR;
    await assert.rejects(
      client.validSession('s1'),
      (error: unknown) => error instanceof OAuthError && error.code === 'session_expired' && /Sign in again/.test(error.message),
    );
    assert.deepEqual(await client.sessions(), []);
    await assert.rejects(client.validSession('s1'), (error: unknown) => error instanceof OAuthError && error.code === 'session_expired');
    assert.equal(refreshRequests(fake).length, 1);
  });

  it('CL-11 a refresh rejected for the client also forgets the cached client', async () => {
    const fake = fakeHq({ token: () => json({ error: 'invalid_client' }, 401) });
    const { client, clock, secrets } = setup(fake);
    secrets.values.set(`lenses.oauth.client/${ISSUER}`, JSON.stringify({ clientId: 'client-1', redirectUris: ['http://127.0.0.1/callback'] }));
    clock.now = HOUR;
    await assert.rejects(client.validSession('s1'), (error: unknown) => error instanceof OAuthError && error.code === 'session_expired');
    assert.equal(secrets.values.has(`lenses.oauth.client/${ISSUER}`), false);
  });

  it('a 5xx on refresh keeps the session and reports HQ unreachable', async () => {
    const fake = fakeHq({ token: () => json({ error: 'server_error' }, 503) });
    const { client, clock } = setup(fake);
    clock.now = HOUR;
    await assert.rejects(client.validSession('s1'), (error: unknown) => error instanceof OAuthError && error.code === 'unreachable');
    assert.equal((await client.sessions()).length, 1);
  });

  /** A client whose stored session is due for refresh while HQ never answers (100 ms network timeout). */
  function clientOfHungHq() {
    const { secrets } = setup(fakeHq());
    const client = new LensesOAuthClient({
      secrets,
      fetch: hangingFetch,
      now: () => HOUR,
      sleep: yieldingSleep,
      openBrowser: async () => true,
      networkTimeoutMs: 100,
    });
    return { client, secrets };
  }

  it('an HQ that does not answer in time: the OAuthError keeps the HTTP timeout as its cause', async () => {
    const { client } = clientOfHungHq();
    await assert.rejects(
      client.validSession('s1'),
      (error: unknown) => error instanceof OAuthError && error.code === 'unreachable' && error.cause instanceof HttpError && error.cause.code === 'timeout',
    );
  });

  it('CL-15 a hung HQ during refresh fails with unreachable and keeps the session; a caller can cancel', async () => {
    const { client, secrets } = clientOfHungHq();
    await assert.rejects(client.validSession('s1'), (error: unknown) => error instanceof OAuthError && error.code === 'unreachable');
    assert.equal((await client.sessions()).length, 1);
    const hung = hungHq();
    const cancellable = new LensesOAuthClient({ secrets, fetch: hung.fetch, now: () => HOUR, sleep: yieldingSleep, openBrowser: async () => true });
    const controller = new AbortController();
    const pending = cancellable.validSession('s1', controller.signal);
    await hung.requests.nth(1, 'the refresh at the hung HQ');
    controller.abort();
    await assert.rejects(pending, (error: unknown) => error instanceof OAuthError && error.code === 'cancelled');
    assert.equal((await client.sessions()).length, 1, 'cancelling keeps the session');
  });

  it('CL-12 sign-out revokes the refresh and access tokens (RFC 7009) and removes the session', async () => {
    const fake = fakeHq();
    const { client, secrets } = setup(fake);
    await client.signOut('s1');
    const revoked = fake.requests.filter((r) => r.url.pathname === '/oauth2/revoke').map((r) => new URLSearchParams(r.body));
    assert.deepEqual(
      revoked.map((f) => [f.get('token'), f.get('token_type_hint'), f.get('client_id')]),
      [
        ['rt-old-secretvalue', 'refresh_token', 'client-1'],
        ['at-old-secretvalue', 'access_token', 'client-1'],
      ],
    );
    assert.deepEqual(await client.sessions(), []);
    assert.equal(secrets.values.has(SESSIONS_KEY), false);
  });

  it('CL-12 sign-out forgets the session even when HQ cannot revoke, and logs fingerprints only', async () => {
    const fake = fakeHq().on('POST /oauth2/revoke', () => json({ error: 'server_error' }, 500));
    const { client, logger } = setup(fake);
    await client.signOut('s1');
    assert.deepEqual(await client.sessions(), []);
    assert.ok(logger.at('warn').some((l) => l.includes('could not revoke')));
    assert.ok(logger.lines.every((l) => !l.includes('secretvalue')));
  });

  it('forget removes the session without revoking', async () => {
    const fake = fakeHq();
    const { client } = setup(fake);
    await client.forget('s1');
    assert.deepEqual(await client.sessions(), []);
    assert.equal(fake.requests.length, 0);
  });

  it('ignores a corrupted store instead of crashing', async () => {
    const fake = fakeHq();
    const { client, secrets } = setup(fake);
    secrets.values.set(SESSIONS_KEY, '{not json');
    assert.deepEqual(await client.sessions(), []);
  });
});
