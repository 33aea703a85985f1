import assert from 'node:assert/strict';
import { LensesOAuthClient, OAuthError } from '../../../src/oauth';
import { json, MemorySecretStore, yieldingSleep, type RecordedRequest } from './fakes';
import { RecordingLogger } from '../../support/recordingLogger';
import { fakeHq, instantBrowser, ISSUER, metadata } from './fakeHq';

const SECRET = 'dcr-s3cr3t-value';
const CLIENT_KEY = `lenses.oauth.client/${ISSUER}`;

/** A fake HQ that allows no public clients: DCR answers with a secret, the methods it lists. */
function confidentialHq(methods: string[], register: (request: RecordedRequest) => Response = registeredWithSecret) {
  return fakeHq({ metadata: metadata({ token_endpoint_auth_methods_supported: methods }), register });
}

function registeredWithSecret(request: RecordedRequest): Response {
  const asked = (JSON.parse(request.body) as { token_endpoint_auth_method?: string }).token_endpoint_auth_method;
  return json({ client_id: 'conf-1', client_secret: SECRET, client_secret_expires_at: 0, token_endpoint_auth_method: asked }, 201);
}

function clientWith(fake: ReturnType<typeof fakeHq>, secrets = new MemorySecretStore(), now = () => Date.now()) {
  const logger = new RecordingLogger();
  const client = new LensesOAuthClient({ secrets, logger, fetch: fake.fetch, openBrowser: instantBrowser().openBrowser, sleep: yieldingSleep, now });
  return { client, secrets, logger };
}

const basic = `Basic ${btoa(`conf-1:${SECRET}`)}`;
const requestsTo = (fake: ReturnType<typeof fakeHq>, path: string) => fake.requests.filter((r) => r.url.pathname === path);
const asked = (fake: ReturnType<typeof fakeHq>) =>
  (JSON.parse(requestsTo(fake, '/oauth2/register')[0]?.body ?? '{}') as { token_endpoint_auth_method?: string }).token_endpoint_auth_method;

describe('LensesOAuthClient: confidential registration where public clients are not allowed (CL-28)', () => {
  it('CL-28 an authorization server without "none" gets a client_secret_basic registration; token, introspection and revocation carry the secret in Basic', async () => {
    const fake = confidentialHq(['client_secret_basic', 'client_secret_post']);
    const { client, secrets, logger } = clientWith(fake);
    const session = await client.signIn({ hqUrl: ISSUER, scopes: ['read'] });
    assert.equal(asked(fake), 'client_secret_basic');
    assert.equal(session.clientId, 'conf-1');
    assert.equal(requestsTo(fake, '/oauth2/introspect').length, 1);
    for (const path of ['/oauth2/token', '/oauth2/introspect']) {
      for (const request of requestsTo(fake, path)) {
        assert.equal(request.headers.get('authorization'), basic, path);
        assert.equal(new URLSearchParams(request.body).get('client_secret'), null, path);
      }
    }
    await client.signOut(session.id);
    const revocations = requestsTo(fake, '/oauth2/revoke');
    assert.equal(revocations.length, 2);
    for (const request of revocations) assert.equal(request.headers.get('authorization'), basic);
    // never in a URL or a log line; kept only in the issuer's record, and that is gone with the sign-out
    for (const request of fake.requests) assert.doesNotMatch(request.url.href, /s3cr3t/);
    assert.doesNotMatch(logger.lines.join('\n'), /s3cr3t/);
    assert.ok(logger.lines.some((line) => /confidential client \(client_secret_basic/.test(line)));
    assert.equal(secrets.values.has(CLIENT_KEY), false);
    for (const value of secrets.values.values()) assert.doesNotMatch(value, /s3cr3t/);
  });

  it('CL-28 the secret is kept only in the registration record bound to the issuer, and the refresh authenticates with it', async () => {
    let clock = 1_000_000;
    const fake = confidentialHq(['client_secret_basic']);
    const { client, secrets } = clientWith(fake, new MemorySecretStore(), () => clock);
    const session = await client.signIn({ hqUrl: ISSUER, scopes: ['read'] });
    const keysWithSecret = [...secrets.values].filter(([, value]) => value.includes(SECRET)).map(([key]) => key);
    assert.deepEqual(keysWithSecret, [CLIENT_KEY]);
    assert.equal((JSON.parse(secrets.values.get(CLIENT_KEY) ?? '{}') as { issuer?: string }).issuer, ISSUER);
    clock += 2 * 3600_000;
    const renewed = await client.validSession(session.id);
    assert.notEqual(renewed.accessToken, session.accessToken);
    const refresh = requestsTo(fake, '/oauth2/token').find((r) => new URLSearchParams(r.body).get('grant_type') === 'refresh_token');
    assert.equal(refresh?.headers.get('authorization'), basic);
  });

  it('CL-28 an authorization server that takes only client_secret_post gets that: the secret in the token request body, never in the URL', async () => {
    const fake = confidentialHq(['client_secret_post']);
    const { client } = clientWith(fake);
    const session = await client.signIn({ hqUrl: ISSUER, scopes: ['read'] });
    assert.equal(asked(fake), 'client_secret_post');
    const exchange = requestsTo(fake, '/oauth2/token')[0];
    assert.equal(exchange.headers.get('authorization'), null);
    const form = new URLSearchParams(exchange.body);
    assert.equal(form.get('client_id'), 'conf-1');
    assert.equal(form.get('client_secret'), SECRET);
    await client.signOut(session.id);
    for (const request of requestsTo(fake, '/oauth2/revoke')) assert.equal(new URLSearchParams(request.body).get('client_secret'), SECRET);
  });

  it('CL-28 public registration stays the rule wherever "none" is listed, or nothing is', async () => {
    for (const methods of [['none', 'client_secret_basic'], undefined]) {
      const fake = fakeHq({ metadata: metadata(methods ? { token_endpoint_auth_methods_supported: methods } : {}) });
      const { client } = clientWith(fake);
      await client.signIn({ hqUrl: ISSUER, scopes: ['read'] });
      assert.equal(asked(fake), 'none', JSON.stringify(methods));
      assert.equal(requestsTo(fake, '/oauth2/token')[0].headers.get('authorization'), null);
    }
  });

  it('CL-28 a confidential registration answered without a secret fails saying so, before any browser opens', async () => {
    const fake = confidentialHq(['client_secret_basic'], () => json({ client_id: 'conf-1' }, 201));
    const { client } = clientWith(fake);
    await assert.rejects(
      client.signIn({ hqUrl: ISSUER, scopes: ['read'] }),
      (error: unknown) =>
        error instanceof OAuthError && error.code === 'registration_failed' && /allows no public clients.*without a client secret/.test(error.message),
    );
    assert.equal(requestsTo(fake, '/oauth2/token').length, 0);
  });

  it('CL-28 the cached confidential client is reused with its secret; an expired secret means a new registration', async () => {
    let clock = 1_000_000;
    let registrations = 0;
    const fake = confidentialHq(['client_secret_basic'], () =>
      json({ client_id: `conf-${++registrations}`, client_secret: SECRET, client_secret_expires_at: Math.floor(clock / 1000) + 3600 }, 201),
    );
    const secrets = new MemorySecretStore();
    const { client } = clientWith(fake, secrets, () => clock);
    await client.signIn({ hqUrl: ISSUER, scopes: ['read'] });
    await client.signIn({ hqUrl: ISSUER, scopes: ['read'] });
    assert.equal(registrations, 1);
    // the client check before the second sign-in authenticated too
    const checks = requestsTo(fake, '/oauth2/token').filter((r) => new URLSearchParams(r.body).get('grant_type') === 'refresh_token');
    assert.equal(checks.length, 1);
    assert.equal(checks[0].headers.get('authorization'), basic);
    clock += 2 * 3600_000;
    const session = await client.signIn({ hqUrl: ISSUER, scopes: ['read'] });
    assert.equal(registrations, 2);
    assert.equal(session.clientId, 'conf-2');
  });

  it('CL-28 a stored secret the server refuses (401 invalid_client at the client check) is dropped and the client registers again', async () => {
    let registrations = 0;
    const fake = fakeHq({
      metadata: metadata({ token_endpoint_auth_methods_supported: ['client_secret_basic'] }),
      register: () => json({ client_id: `conf-${++registrations}`, client_secret: SECRET, token_endpoint_auth_method: 'client_secret_basic' }, 201),
      token: (request, form) => {
        if (request.headers.get('authorization') !== `Basic ${btoa(`conf-${registrations}:${SECRET}`)}`) {
          return new Response(JSON.stringify({ error: 'invalid_client' }), {
            status: 401,
            headers: { 'content-type': 'application/json', 'www-authenticate': 'Basic realm="hq"' },
          });
        }
        if (form.get('grant_type') === 'refresh_token') return json({ error: 'invalid_grant' }, 400);
        return json({ access_token: `at-${registrations}`, refresh_token: 'rt', token_type: 'Bearer', expires_in: 3600, scope: 'read' });
      },
    });
    const secrets = new MemorySecretStore();
    secrets.values.set(
      CLIENT_KEY,
      JSON.stringify({
        clientId: 'conf-old',
        redirectUris: ['http://127.0.0.1/callback'],
        issuer: ISSUER,
        confidential: { method: 'client_secret_basic', secret: 'rotated-away' },
      }),
    );
    const { client, logger } = clientWith(fake, secrets);
    const session = await client.signIn({ hqUrl: ISSUER, scopes: ['read'] });
    assert.equal(registrations, 1);
    assert.equal(session.clientId, 'conf-1');
    assert.ok(logger.lines.some((line) => /no longer knows client conf-old/.test(line)));
    assert.doesNotMatch(secrets.values.get(CLIENT_KEY) ?? '', /rotated-away/);
  });

  it('CL-28 signing out of one of two sessions keeps the secret; the last sign-out forgets it', async () => {
    const fake = confidentialHq(['client_secret_basic']);
    const { client, secrets } = clientWith(fake);
    const first = await client.signIn({ hqUrl: ISSUER, scopes: ['read'] });
    const second = await client.signIn({ hqUrl: ISSUER, scopes: ['write'] });
    await client.signOut(first.id);
    assert.ok(secrets.values.get(CLIENT_KEY)?.includes(SECRET));
    await client.signOut(second.id);
    assert.equal(secrets.values.has(CLIENT_KEY), false);
  });
});
