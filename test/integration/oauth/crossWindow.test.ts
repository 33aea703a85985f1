import assert from 'node:assert/strict';
import { completeAuthorizationInBrowserless, postForm, startHq, type RunningHq } from '../../../hq-emulator/testing';
import { LensesOAuthClient, SESSIONS_KEY, type OAuthSession } from '../../../src/oauth';
import { REFRESH_LEASE_PREFIX } from '../../../src/oauth/refreshLease';
import { MemorySecretStore } from '../../unit/oauth/fakes';
import { RecordingLogger } from '../../support/recordingLogger';

/** Tokens that live 5 s: with the default 60 s margin every validSession() refreshes. */
const TOKEN_TTL_SECONDS = 5;

describe('OAuth client: two windows over one SecretStore against the HQ emulator', function () {
  this.timeout(20_000);
  let hq: RunningHq;
  before(async () => {
    hq = await startHq({ port: 0, tokenTtlSeconds: TOKEN_TTL_SECONDS });
  });
  after(async () => {
    await hq.close();
  });

  /** Two "windows" (clients) sharing one store, counting token requests on the wire. */
  function twoWindows() {
    const secrets = new MemorySecretStore();
    const logger = new RecordingLogger();
    const tokenRequests: string[] = [];
    const countingFetch: typeof fetch = (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (url.endsWith('/oauth2/token')) tokenRequests.push(url);
      return fetch(input, init);
    };
    const openBrowser = async (url: string) => {
      void completeAuthorizationInBrowserless(url, { username: 'admin', password: 'admin', tick: ['read', 'write'], deliver: true }).catch(() => undefined);
      return true;
    };
    const window = () => new LensesOAuthClient({ secrets, logger, fetch: countingFetch, openBrowser });
    return { secrets, logger, tokenRequests, first: window(), second: window() };
  }

  it('CL-10 two windows refreshing at once stay signed in in both; the grant stays active at HQ', async () => {
    const { secrets, tokenRequests, first, second } = twoWindows();
    const signedIn = await first.signIn({ hqUrl: hq.url, scopes: ['read', 'write'], timeoutMs: 5000 });
    const before = tokenRequests.length;

    const [a, b] = await Promise.all([first.validSession(signedIn.id), second.validSession(signedIn.id)]);

    assert.equal(tokenRequests.length - before, 1, 'one refresh request');
    assert.notEqual(a.accessToken, signedIn.accessToken);
    assert.equal(a.accessToken, b.accessToken);
    assert.equal((await hq.introspect(a.accessToken)).active, true, 'the grant was not revoked as refresh token reuse');
    const stored = JSON.parse(secrets.values.get(SESSIONS_KEY) ?? '[]') as OAuthSession[];
    assert.deepEqual(
      stored.map((s) => [s.id, s.refreshToken]),
      [[signedIn.id, a.refreshToken]],
    );
    assert.equal(secrets.values.has(`${REFRESH_LEASE_PREFIX}${signedIn.id}`), false);

    // still signed in in both windows: each can renew again, in turn
    const again = await second.validSession(signedIn.id);
    assert.equal((await hq.introspect(again.accessToken)).active, true);
    assert.equal((await first.validSession(signedIn.id)).id, signedIn.id);
    assert.equal((await first.sessions()).length, 1);
    assert.equal((await second.sessions()).length, 1);
  });

  it('CL-10 control: the emulator revokes the whole grant when a rotated refresh token is used twice', async () => {
    const { first } = twoWindows();
    const signedIn = await first.signIn({ hqUrl: hq.url, scopes: ['read'], timeoutMs: 5000 });
    const form = { grant_type: 'refresh_token', refresh_token: signedIn.refreshToken ?? '', client_id: signedIn.clientId };
    const once = await postForm(`${hq.url}/oauth2/token`, form);
    const twice = await postForm(`${hq.url}/oauth2/token`, form);
    assert.equal(once.status, 200);
    assert.equal(twice.body.error, 'invalid_grant');
    assert.equal((await hq.introspect(String(once.body.access_token))).active, false);
  });
});
