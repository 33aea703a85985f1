import assert from 'node:assert/strict';
import { completeAuthorizationInBrowserless, startHq, type RunningHq } from '../../../hq-emulator/testing';
import { LensesOAuthClient } from '../../../src/oauth';
import { MemorySecretStore } from '../../unit/oauth/fakes';
import { RecordingLogger } from '../../support/recordingLogger';

/** Every request the client made, for "where did the secret go" checks. */
function recordingFetch() {
  const requests: Array<{ url: URL; headers: Headers; body: string; status?: number }> = [];
  const recorded: typeof fetch = async (input, init) => {
    const request = {
      url: new URL(input instanceof Request ? input.url : String(input)),
      headers: new Headers(init?.headers),
      body: typeof init?.body === 'string' ? init.body : '',
      status: undefined as number | undefined,
    };
    requests.push(request);
    const response = await fetch(input, init);
    request.status = response.status;
    return response;
  };
  return { fetch: recorded, requests };
}

describe('OAuth client against an HQ emulator that allows no public clients (CL-28)', function () {
  this.timeout(20_000);
  const running: RunningHq[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((hq) => hq.close()));
  });

  for (const method of ['client_secret_basic', 'client_secret_post'] as const) {
    it(`CL-28 registers as a confidential ${method} client, signs in, refreshes and revokes with the secret, keeps it only in the issuer's record and forgets it on sign-out`, async () => {
      const hq = await startHq({ port: 0, oauthModes: { clientAuthMethods: [method] } });
      running.push(hq);
      const secrets = new MemorySecretStore();
      const logger = new RecordingLogger();
      const network = recordingFetch();
      const clock = { offset: 0 };
      const client = new LensesOAuthClient({
        secrets,
        logger,
        fetch: network.fetch,
        now: () => Date.now() + clock.offset,
        openBrowser: async (url) => {
          void completeAuthorizationInBrowserless(url, { username: 'admin', password: 'admin', tick: ['read', 'write'], deliver: true }).catch(() => undefined);
          return true;
        },
      });
      const session = await client.signIn({ hqUrl: hq.url, scopes: ['read', 'write'], timeoutMs: 10_000 });
      assert.deepEqual(session.scopes, ['read', 'write']);
      assert.deepEqual(session.account, { id: 'admin', label: 'admin' }, 'introspected with the client authenticated');

      const registration = network.requests.find((r) => r.url.pathname === '/oauth2/register');
      assert.equal((JSON.parse(registration?.body ?? '{}') as { token_endpoint_auth_method?: string }).token_endpoint_auth_method, method);
      const record = JSON.parse(secrets.values.get(`lenses.oauth.client/${hq.url}`) ?? '{}') as {
        issuer?: string;
        confidential?: { method?: string; secret?: string };
      };
      assert.equal(record.issuer, hq.url);
      assert.equal(record.confidential?.method, method);
      const secret = record.confidential?.secret ?? '';
      assert.ok(secret.length >= 16, 'the emulator issued a secret');

      clock.offset = 2 * 3600_000; // past expiry: the refresh must authenticate too
      const renewed = await client.validSession(session.id);
      assert.notEqual(renewed.accessToken, session.accessToken);
      await client.signOut(session.id);
      // RFC 7009: 200 for any token, 401 invalid_client when the client authentication is refused
      const revocations = network.requests.filter((r) => r.url.pathname === '/oauth2/revoke');
      assert.deepEqual(
        revocations.map((r) => r.status),
        [200, 200],
      );
      assert.ok(logger.lines.some((line) => /revoked refresh token/.test(line)));

      for (const request of network.requests) assert.doesNotMatch(request.url.href, new RegExp(secret));
      assert.doesNotMatch(logger.lines.join('\n'), new RegExp(secret));
      assert.equal(secrets.values.has(`lenses.oauth.client/${hq.url}`), false, 'the registration and its secret are forgotten with the sign-out');
      for (const value of secrets.values.values()) assert.doesNotMatch(value, new RegExp(secret));
    });
  }
});
