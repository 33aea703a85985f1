import assert from 'node:assert/strict';
import { networkInterfaces } from 'node:os';
import { LensesOAuthClient, OAuthError, SESSIONS_KEY, type OAuthErrorCode } from '../../../src/oauth';
import { hangingFetch, hungHq, json, MemorySecretStore, yieldingSleep, type FakeFetch } from './fakes';
import { RecordingLogger } from '../../support/recordingLogger';
import { callbackFor, fakeHq, instantBrowser, ISSUER, metadata, waitingBrowser } from './fakeHq';

function clientWith(fake: FakeFetch, openBrowser: (url: string) => Promise<boolean>, extra: Partial<ConstructorParameters<typeof LensesOAuthClient>[0]> = {}) {
  const secrets = new MemorySecretStore();
  const logger = new RecordingLogger();
  const client = new LensesOAuthClient({ secrets, logger, fetch: fake.fetch, openBrowser, sleep: yieldingSleep, ...extra });
  return { client, secrets, logger };
}

async function rejectsWith(promise: Promise<unknown>, code: OAuthErrorCode): Promise<OAuthError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof OAuthError, `expected OAuthError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    return error;
  }
  assert.fail(`expected OAuthError ${code}`);
}

const tokenRequests = (fake: FakeFetch) => fake.count('POST /oauth2/token');

describe('LensesOAuthClient.signIn (fake HQ)', () => {
  it('registers, authorizes with PKCE S256, state and resource, exchanges and stores the session', async () => {
    const fake = fakeHq();
    const browser = instantBrowser();
    const { client, secrets } = clientWith(fake, browser.openBrowser);
    const session = await client.signIn({ hqUrl: `${ISSUER}/`, scopes: ['read', 'write'] });

    const registration = JSON.parse(fake.requests.find((r) => r.url.pathname === '/oauth2/register')?.body ?? '{}') as Record<string, unknown>;
    assert.equal(registration.token_endpoint_auth_method, 'none');
    assert.equal(registration.client_name, 'Lenses MCP for VS Code');
    assert.deepEqual(registration.redirect_uris, ['http://127.0.0.1/callback']);

    const authorization = browser.opened[0];
    assert.equal(authorization.searchParams.get('code_challenge_method'), 'S256');
    assert.ok(authorization.searchParams.get('code_challenge'));
    assert.ok(authorization.searchParams.get('state'));
    assert.equal(authorization.searchParams.get('resource'), ISSUER);
    assert.equal(authorization.searchParams.get('scope'), 'read write');
    assert.match(authorization.searchParams.get('redirect_uri') ?? '', /^http:\/\/127\.0\.0\.1:\d+\/callback$/);

    const exchange = new URLSearchParams(fake.requests.find((r) => r.url.pathname === '/oauth2/token')?.body);
    assert.equal(exchange.get('grant_type'), 'authorization_code');
    assert.equal(exchange.get('resource'), ISSUER);
    assert.ok(exchange.get('code_verifier'));
    assert.equal(exchange.get('redirect_uri'), authorization.searchParams.get('redirect_uri'));

    assert.equal(session.issuer, ISSUER);
    assert.equal(session.resource, ISSUER);
    assert.deepEqual(session.account, { id: 'admin', label: 'admin' });
    assert.deepEqual(await client.sessions(), [session]);
    assert.ok(secrets.values.get(SESSIONS_KEY)?.includes(session.accessToken));
    const page = await browser.loaded.nth(1, 'the page after the redirect');
    assert.equal(page.status, 200);
    assert.match(page.text, /You are signed in to Lenses/);
  });

  it('reuses the client registered earlier with the same issuer', async () => {
    const fake = fakeHq();
    const browser = instantBrowser();
    const { client } = clientWith(fake, browser.openBrowser);
    await client.signIn({ hqUrl: ISSUER, scopes: ['read'] });
    await client.signIn({ hqUrl: ISSUER, scopes: ['read'] });
    assert.equal(fake.count('POST /oauth2/register'), 1);
    assert.equal(browser.opened[0].searchParams.get('client_id'), browser.opened[1].searchParams.get('client_id'));
  });

  it('labels the account "Lenses user" when introspection is unavailable', async () => {
    const fake = fakeHq().on('POST /oauth2/introspect', () => new Response('nope', { status: 500 }));
    const { client } = clientWith(fake, instantBrowser().openBrowser);
    const session = await client.signIn({ hqUrl: ISSUER, scopes: ['read'] });
    assert.equal(session.account.label, 'Lenses user');
  });

  it('uses the configured client ID instead of DCR', async () => {
    const fake = fakeHq({ metadata: metadata({ registration_endpoint: undefined }) });
    const browser = instantBrowser();
    const { client } = clientWith(fake, browser.openBrowser, { clientId: 'admin-made-client' });
    const session = await client.signIn({ hqUrl: ISSUER, scopes: ['read'] });
    assert.equal(session.clientId, 'admin-made-client');
    assert.equal(fake.count('POST /oauth2/register'), 0);
  });

  it('tells to set lenses.oauth.clientId when HQ has DCR off', async () => {
    const fake = fakeHq({ metadata: metadata({ registration_endpoint: undefined }) });
    const browser = instantBrowser();
    const { client } = clientWith(fake, browser.openBrowser);
    const error = await rejectsWith(client.signIn({ hqUrl: ISSUER, scopes: ['read'] }), 'dcr_unavailable');
    assert.match(error.message, /lenses\.oauth\.clientId/);
    assert.equal(browser.opened.length, 0);
  });

  it('completes through a vscode:// redirect (uri strategy) and registers that redirect too', async () => {
    const fake = fakeHq();
    const opened: URL[] = [];
    let deliver: ((url: URL) => void) | undefined;
    const { client } = clientWith(fake, async (url) => {
      const authorization = new URL(url);
      opened.push(authorization);
      deliver?.(new URL(`vscode://lenses.lenses-mcp/callback?code=c&state=${authorization.searchParams.get('state')}&iss=${encodeURIComponent(ISSUER)}`));
      return true;
    });
    const session = await client.signIn({
      hqUrl: ISSUER,
      scopes: ['read'],
      redirect: {
        kind: 'uri',
        redirectUri: 'vscode://lenses.lenses-mcp/callback',
        waitForCallback: () =>
          new Promise<URL>((resolve) => {
            deliver = resolve;
          }),
      },
    });
    assert.equal(opened[0].searchParams.get('redirect_uri'), 'vscode://lenses.lenses-mcp/callback');
    const registration = JSON.parse(fake.requests.find((r) => r.url.pathname === '/oauth2/register')?.body ?? '{}') as { redirect_uris: string[] };
    assert.deepEqual(registration.redirect_uris, ['http://127.0.0.1/callback', 'vscode://lenses.lenses-mcp/callback']);
    assert.equal(session.scopes[0], 'read');
  });

  it('fails with browser_unavailable when the browser cannot be opened', async () => {
    const { client } = clientWith(fakeHq(), async () => false);
    await rejectsWith(client.signIn({ hqUrl: ISSUER, scopes: ['read'], timeoutMs: 2000 }), 'browser_unavailable');
  });

  it('CL-01 a callback whose state differs is refused: the flow fails at its timeout with no token request', async () => {
    const fake = fakeHq();
    const browser = instantBrowser((params) => params.set('state', 'forged'));
    const { client, logger } = clientWith(fake, browser.openBrowser);
    const error = await rejectsWith(client.signIn({ hqUrl: ISSUER, scopes: ['read'], timeoutMs: 300 }), 'state_mismatch');
    assert.match(error.message, /did not belong to this sign-in \(state mismatch\) was ignored/);
    assert.equal(tokenRequests(fake), 0);
    const page = await browser.loaded.nth(1, 'the page after the redirect');
    assert.equal(page.status, 400);
    assert.match(page.text, /Lenses sign-in failed/);
    assert.match(logger.lines.join('\n'), /ignored a sign-in callback with a wrong or missing state/);
  });

  for (const [name, forge] of [
    ['wrong', (params: URLSearchParams) => params.set('state', 'forged')],
    ['missing', (params: URLSearchParams) => params.delete('state')],
  ] as const) {
    it(`CL-18 a callback with a ${name} state gets a 400 page and is ignored; the real callback still completes the sign-in`, async () => {
      const fake = fakeHq();
      let visits: Promise<number[]> = Promise.resolve([]);
      const { client } = clientWith(fake, async (url) => {
        const authorization = new URL(url);
        const redirect = new URL(authorization.searchParams.get('redirect_uri') ?? '');
        const real = new URLSearchParams({ code: 'the-code', state: authorization.searchParams.get('state') ?? '', iss: ISSUER });
        const stray = new URLSearchParams(real);
        stray.set('code', 'stray-code');
        forge(stray);
        // The browser visits the stray callback, then the real one, on its own.
        visits = (async () => [(await fetch(`${redirect.href}?${stray}`)).status, (await fetch(`${redirect.href}?${real}`)).status])();
        return true;
      });
      const session = await client.signIn({ hqUrl: ISSUER, scopes: ['read'], timeoutMs: 5000 });
      assert.equal(session.scopes[0], 'read');
      const exchanged = fake.requests.filter((r) => r.url.pathname === '/oauth2/token').map((r) => new URLSearchParams(r.body).get('code'));
      assert.deepEqual(exchanged, ['the-code'], 'only the real code was exchanged');
      assert.deepEqual(await visits, [400, 200]);
    });
  }

  it('CL-06 a callback on a wrong path is ignored and the right one still completes', async () => {
    const fake = fakeHq();
    const answers: number[] = [];
    const { client } = clientWith(fake, async (url) => {
      const authorization = new URL(url);
      const redirect = new URL(authorization.searchParams.get('redirect_uri') ?? '');
      const query = `?code=c&state=${authorization.searchParams.get('state')}&iss=${encodeURIComponent(ISSUER)}`;
      answers.push((await fetch(new URL(`/elsewhere${query}`, redirect))).status);
      void fetch(new URL(`${redirect.pathname}${query}`, redirect));
      return true;
    });
    await client.signIn({ hqUrl: ISSUER, scopes: ['read'] });
    assert.deepEqual(answers, [404]);
    assert.equal(tokenRequests(fake), 1);
  });

  it('CL-06 a second callback finds the listener closed', async () => {
    const fake = fakeHq();
    const browser = instantBrowser();
    const { client } = clientWith(fake, browser.openBrowser);
    await client.signIn({ hqUrl: ISSUER, scopes: ['read'] });
    const redirect = new URL(browser.opened[0].searchParams.get('redirect_uri') ?? '');
    await assert.rejects(fetch(`${redirect.href}?code=again&state=${browser.opened[0].searchParams.get('state')}`));
    assert.equal(tokenRequests(fake), 1);
  });

  it('CL-06 a callback after the timeout finds nothing listening', async () => {
    const fake = fakeHq();
    const opened: URL[] = [];
    const { client } = clientWith(fake, async (url) => {
      opened.push(new URL(url));
      return true;
    });
    const started = Date.now();
    await rejectsWith(client.signIn({ hqUrl: ISSUER, scopes: ['read'], timeoutMs: 150 }), 'timed_out');
    assert.ok(Date.now() - started < 2000);
    const redirect = opened[0].searchParams.get('redirect_uri') ?? '';
    await assert.rejects(fetch(`${redirect}?code=late&state=${opened[0].searchParams.get('state')}`));
    assert.equal(tokenRequests(fake), 0);
  });

  it('CL-06 a new sign-in cancels the pending one: one flow, one listener', async () => {
    const fake = fakeHq();
    const browser = waitingBrowser();
    const { client } = clientWith(fake, browser.openBrowser);
    const first = client.signIn({ hqUrl: ISSUER, scopes: ['read'] });
    const firstAuthorization = await browser.opened.nth(1, 'the first authorization URL');
    const second = client.signIn({ hqUrl: ISSUER, scopes: ['read'] });
    await rejectsWith(first, 'cancelled');
    await assert.rejects(fetch(callbackFor(firstAuthorization)));
    const secondAuthorization = await browser.opened.nth(2, 'the second authorization URL');
    void fetch(callbackFor(secondAuthorization));
    const session = await second;
    assert.equal(session.clientId, firstAuthorization.searchParams.get('client_id'));
    assert.equal(tokenRequests(fake), 2); // the client check of the second flow, and its exchange
  });

  it('CL-06 dispose (deactivate) ends a pending sign-in and closes its listener', async () => {
    const fake = fakeHq();
    const browser = waitingBrowser();
    const { client } = clientWith(fake, browser.openBrowser);
    const pending = client.signIn({ hqUrl: ISSUER, scopes: ['read'] });
    const authorization = await browser.opened.nth(1, 'the authorization URL');
    client.dispose();
    await rejectsWith(pending, 'cancelled');
    await assert.rejects(fetch(callbackFor(authorization)));
    assert.equal(tokenRequests(fake), 0, 'no code was exchanged');
  });

  it('CL-07 the loopback listener binds 127.0.0.1 only', async () => {
    const fake = fakeHq();
    const probes: Array<{ host: string; reached: boolean }> = [];
    const { client } = clientWith(fake, async (url) => {
      const authorization = new URL(url);
      const redirect = new URL(authorization.searchParams.get('redirect_uri') ?? '');
      assert.equal(redirect.hostname, '127.0.0.1');
      const others = [
        '[::1]',
        ...Object.values(networkInterfaces())
          .flat()
          .filter((i) => i && i.family === 'IPv4' && !i.internal)
          .map((i) => i?.address ?? ''),
      ];
      for (const host of others) {
        const reached = await fetch(`http://${host}:${redirect.port}/callback`, { signal: AbortSignal.timeout(1000) }).then(
          () => true,
          () => false,
        );
        probes.push({ host, reached });
      }
      void fetch(`${redirect.href}?code=c&state=${authorization.searchParams.get('state')}&iss=${encodeURIComponent(ISSUER)}`);
      return true;
    });
    await client.signIn({ hqUrl: ISSUER, scopes: ['read'] });
    assert.ok(probes.length >= 1);
    assert.deepEqual(
      probes.filter((p) => p.reached),
      [],
    );
  });

  it('CL-08 a DCR answer without client_id fails with a clear message', async () => {
    const fake = fakeHq({ register: () => json({ client_name: 'x' }, 201) });
    const browser = instantBrowser();
    const { client } = clientWith(fake, browser.openBrowser);
    const error = await rejectsWith(client.signIn({ hqUrl: ISSUER, scopes: ['read'] }), 'registration_failed');
    assert.match(error.message, /did not register this app: its answer carries no client_id/);
    assert.doesNotMatch(error.message, /HTTP 201/);
    assert.equal(browser.opened.length, 0);
  });

  for (const [name, extra] of [
    ['with', { client_secret_expires_at: 0 }],
    ['without', {}],
  ] as const) {
    it(`CL-08 a DCR answer with a client_secret nobody asked for (${name} client_secret_expires_at) is ignored: never stored, sent or logged; one log line`, async () => {
      const fake = fakeHq({
        register: () => json({ client_id: 'c1', client_secret: 's3cr3t-unasked', token_endpoint_auth_method: 'client_secret_basic', ...extra }, 201),
      });
      const { client, secrets, logger } = clientWith(fake, instantBrowser().openBrowser);
      const session = await client.signIn({ hqUrl: ISSUER, scopes: ['read'] });
      assert.equal(session.clientId, 'c1');
      for (const value of secrets.values.values()) assert.doesNotMatch(value, /s3cr3t-unasked/);
      for (const request of fake.requests) {
        if (request.url.pathname === '/oauth2/register') continue;
        assert.doesNotMatch(`${request.url.href} ${request.body}`, /s3cr3t-unasked/);
        assert.equal(request.headers.get('authorization'), null);
      }
      const exchange = new URLSearchParams(fake.requests.find((r) => r.url.pathname === '/oauth2/token')?.body);
      assert.equal(exchange.get('client_id'), 'c1');
      assert.doesNotMatch(logger.lines.join('\n'), /s3cr3t-unasked/);
      assert.equal(logger.lines.filter((l) => /client secret nobody asked for/.test(l)).length, 1);
    });
  }

  it('CL-08 a DCR error answer fails with what the authorization server answered', async () => {
    const cases: Array<[Response, RegExp]> = [
      [
        json({ error: 'invalid_client_metadata', error_description: 'redirect_uris must be https' }, 400),
        /answered "invalid_client_metadata" \(redirect_uris must be https\) with HTTP 400/,
      ],
      [new Response('<html>oops</html>', { status: 500, headers: { 'content-type': 'text/html' } }), /answered HTTP 500 \(text\/html\)/],
      [new Response('<html>spa</html>', { status: 201, headers: { 'content-type': 'text/html' } }), /its answer is not a JSON object but text\/html/],
    ];
    for (const [answer, message] of cases) {
      const fake = fakeHq({ register: () => answer.clone() });
      const { client } = clientWith(fake, instantBrowser().openBrowser);
      const error = await rejectsWith(client.signIn({ hqUrl: ISSUER, scopes: ['read'] }), 'registration_failed');
      assert.match(error.message, message);
      assert.doesNotMatch(error.message, /refused to register this app \(HTTP 201\)/);
    }
  });

  it('CL-09 the session holds the granted scopes when they are a subset of those asked', async () => {
    const fake = fakeHq({ token: () => json({ access_token: 'at-1', refresh_token: 'rt-1', token_type: 'Bearer', expires_in: 60, scope: 'read' }) });
    const { client, logger } = clientWith(fake, instantBrowser().openBrowser);
    const session = await client.signIn({ hqUrl: ISSUER, scopes: ['read', 'write', 'delete'] });
    assert.deepEqual(session.scopes, ['read']);
    assert.deepEqual((await client.sessions())[0].scopes, ['read']);
    assert.ok(logger.lines.some((l) => l.includes('"read"') && l.includes('asked for "read write delete"')));
  });

  it('CL-09 without a scope in the answer the asked scopes are kept', async () => {
    const fake = fakeHq({ token: () => json({ access_token: 'at-1', token_type: 'Bearer', expires_in: 60 }) });
    const { client } = clientWith(fake, instantBrowser().openBrowser);
    const session = await client.signIn({ hqUrl: ISSUER, scopes: ['read', 'write'] });
    assert.deepEqual(session.scopes, ['read', 'write']);
  });

  it('CL-13 plain http to a non-loopback HQ is refused before any request', async () => {
    const fake = fakeHq();
    const { client } = clientWith(fake, instantBrowser().openBrowser);
    const error = await rejectsWith(client.signIn({ hqUrl: 'http://hq.example.com', scopes: ['read'] }), 'insecure_http');
    assert.match(error.message, /insecure http/);
    assert.equal(fake.requests.length, 0);
  });

  it('CL-13 plain http endpoints in https metadata are refused too', async () => {
    const fake = fakeHq({ metadata: metadata({ token_endpoint: 'http://hq.example.com/oauth2/token' }) });
    const { client } = clientWith(fake, instantBrowser().openBrowser);
    await rejectsWith(client.signIn({ hqUrl: ISSUER, scopes: ['read'] }), 'insecure_http');
    assert.equal(fake.requests.filter((r) => r.url.protocol === 'http:').length, 0);
  });

  it('CL-13 plain http to a non-loopback HQ works with the explicit insecure setting', async () => {
    const http = 'http://hq.example.com';
    const fake = fakeHq({
      metadata: metadata({
        issuer: http,
        authorization_endpoint: `${http}/oauth2/authorize`,
        token_endpoint: `${http}/oauth2/token`,
        registration_endpoint: `${http}/oauth2/register`,
        introspection_endpoint: `${http}/oauth2/introspect`,
      }),
    });
    const browser = instantBrowser((params) => params.set('iss', http));
    const { client } = clientWith(fake, browser.openBrowser, { allowInsecureHttp: true });
    const session = await client.signIn({ hqUrl: http, scopes: ['read'] });
    assert.equal(session.issuer, http);
  });

  it('CL-15 an HQ that does not answer fails with unreachable, no hang', async () => {
    const browser = instantBrowser();
    const client = new LensesOAuthClient({ secrets: new MemorySecretStore(), fetch: hangingFetch, openBrowser: browser.openBrowser, networkTimeoutMs: 100 });
    const started = Date.now();
    const error = await rejectsWith(client.signIn({ hqUrl: ISSUER, scopes: ['read'] }), 'unreachable');
    assert.ok(Date.now() - started < 2000);
    assert.match(error.message, /did not answer/);
    assert.equal(browser.opened.length, 0);
  });

  it('CL-15 an HQ that refuses connections fails with unreachable', async () => {
    const refused: typeof fetch = async () => {
      throw new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED') });
    };
    const client = new LensesOAuthClient({ secrets: new MemorySecretStore(), fetch: refused, openBrowser: async () => true });
    const error = await rejectsWith(client.signIn({ hqUrl: ISSUER, scopes: ['read'] }), 'unreachable');
    assert.match(error.message, /Could not reach Lenses HQ/);
  });

  it('CL-15 sign-in can be cancelled while waiting for HQ', async () => {
    const hq = hungHq();
    const slow = new LensesOAuthClient({ secrets: new MemorySecretStore(), fetch: hq.fetch, openBrowser: async () => true });
    const cancel = new AbortController();
    const pending = slow.signIn({ hqUrl: ISSUER, scopes: ['read'], signal: cancel.signal });
    await hq.requests.nth(1, 'a request at the hung HQ');
    cancel.abort();
    await rejectsWith(pending, 'cancelled');
    assert.deepEqual(await slow.sessions(), []);
  });

  it('CL-15 sign-in cancelled while the browser is open: the late callback finds nothing listening, nothing is exchanged or stored', async () => {
    const fake = fakeHq();
    const browser = waitingBrowser();
    const { client, secrets } = clientWith(fake, browser.openBrowser);
    const cancel = new AbortController();
    const pending = client.signIn({ hqUrl: ISSUER, scopes: ['read'], signal: cancel.signal });
    const authorization = await browser.opened.nth(1, 'the authorization URL');
    cancel.abort();
    await rejectsWith(pending, 'cancelled');
    // The user finishes in the browser after cancelling.
    await assert.rejects(fetch(callbackFor(authorization, 'late')));
    assert.equal(fake.requests.filter((r) => r.url.pathname === '/oauth2/token' && r.body.includes('late')).length, 0);
    assert.deepEqual(await client.sessions(), []);
    assert.equal(secrets.values.get(SESSIONS_KEY), undefined);
  });
});
