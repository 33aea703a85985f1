import assert from 'node:assert/strict';
import { completeAuthorizationInBrowserless, CookieJar, createPkce, obtainTokens, postForm, registerClient, startHq, type RunningHq } from './testing/index';

const REDIRECT_URI = 'http://127.0.0.1/callback';

describe('HQ emulator: AS security cases', () => {
  let hq: RunningHq;
  let clientId: string;
  before(async () => {
    hq = await startHq({ port: 0 });
    clientId = await registerClient(hq, 'AS cases', REDIRECT_URI);
  });
  after(async () => {
    await hq.close();
  });

  function authorizeUrl(params: Record<string, string | undefined>): string {
    const url = new URL(`${hq.url}/oauth2/authorize`);
    const defaults: Record<string, string | undefined> = {
      response_type: 'code',
      client_id: clientId,
      redirect_uri: REDIRECT_URI,
      scope: 'read write',
      state: 'state-1',
    };
    for (const [key, value] of Object.entries({ ...defaults, ...params })) if (value !== undefined) url.searchParams.set(key, value);
    return url.href;
  }

  /** Authorizes as admin and returns the code with its verifier. */
  async function authorizationCode(): Promise<{ code: string; verifier: string }> {
    const pkce = createPkce();
    const callback = await completeAuthorizationInBrowserless(authorizeUrl({ code_challenge: pkce.challenge, code_challenge_method: 'S256' }), {
      username: 'admin',
      password: 'admin',
      tick: ['read', 'write'],
    });
    return { code: callback.searchParams.get('code') ?? '', verifier: pkce.verifier };
  }

  function exchange(code: string, verifier?: string) {
    return postForm(`${hq.url}/oauth2/token`, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      client_id: clientId,
      ...(verifier === undefined ? {} : { code_verifier: verifier }),
    });
  }

  for (const [label, params] of [
    ['without code_challenge', {}],
    ['with code_challenge_method plain', { code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' }],
  ] as const) {
    it(`AS-01 authorize ${label} is refused`, async () => {
      const response = await fetch(authorizeUrl(params), { redirect: 'manual' });
      const location = new URL(response.headers.get('location') ?? '', hq.url);
      assert.equal(location.origin + location.pathname, REDIRECT_URI);
      assert.equal(location.searchParams.get('error'), 'invalid_request');
      assert.match(location.searchParams.get('error_description') ?? '', /PKCE|code_challenge/);
      assert.equal(location.searchParams.get('code'), null);
    });
  }

  it('AS-02 token request with a wrong code_verifier gets invalid_grant', async () => {
    const { code } = await authorizationCode();
    const answer = await exchange(code, createPkce().verifier);
    assert.equal(answer.status, 400);
    assert.equal(answer.body.error, 'invalid_grant');
    assert.equal(answer.body.access_token, undefined);
  });

  it('AS-02 token request without code_verifier gets invalid_grant', async () => {
    const { code } = await authorizationCode();
    const answer = await exchange(code);
    assert.equal(answer.status, 400);
    assert.equal(answer.body.error, 'invalid_grant');
  });

  it('AS-03 code replay gets invalid_grant and revokes the tokens of the first exchange', async () => {
    const { code, verifier } = await authorizationCode();
    const first = await exchange(code, verifier);
    assert.equal(first.status, 200);
    assert.equal((await hq.introspect(String(first.body.access_token))).active, true);
    const replay = await exchange(code, verifier);
    assert.equal(replay.status, 400);
    assert.equal(replay.body.error, 'invalid_grant');
    assert.deepEqual(await hq.introspect(String(first.body.access_token)), { active: false });
    const refresh = await postForm(`${hq.url}/oauth2/token`, {
      grant_type: 'refresh_token',
      refresh_token: String(first.body.refresh_token),
      client_id: clientId,
    });
    assert.equal(refresh.body.error, 'invalid_grant');
  });

  for (const [label, redirectUri] of [
    ['path', 'http://127.0.0.1/elsewhere'],
    ['host', 'http://attacker.example/callback'],
  ] as const) {
    it(`AS-04 unregistered redirect URI (${label}) shows an error page and does not redirect`, async () => {
      const response = await fetch(authorizeUrl({ redirect_uri: redirectUri, code_challenge: createPkce().challenge, code_challenge_method: 'S256' }), {
        redirect: 'manual',
      });
      assert.equal(response.status, 400);
      assert.equal(response.headers.get('location'), null);
      const html = await response.text();
      assert.match(html, /Lenses HQ \(emulator\)/);
      assert.match(html, /redirect_uri/);
    });
  }

  it('AS-05 loopback redirect on any port is accepted (RFC 8252)', async () => {
    const pkce = createPkce();
    const callback = await completeAuthorizationInBrowserless(
      authorizeUrl({ redirect_uri: 'http://127.0.0.1:54321/callback', code_challenge: pkce.challenge, code_challenge_method: 'S256' }),
      { username: 'admin', password: 'admin', tick: ['read'] },
    );
    assert.equal(callback.origin, 'http://127.0.0.1:54321');
    const code = callback.searchParams.get('code') ?? '';
    const answer = await postForm(`${hq.url}/oauth2/token`, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: 'http://127.0.0.1:54321/callback',
      client_id: clientId,
      code_verifier: pkce.verifier,
    });
    assert.equal(answer.status, 200);
  });

  it('AS-06 refresh-token reuse after rotation gets invalid_grant and revokes the whole grant', async () => {
    const tokens = await obtainTokens(hq, { clientId, scopes: ['read'] });
    const refresh = (refreshToken: string) =>
      postForm(`${hq.url}/oauth2/token`, { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId });
    const rotated = await refresh(tokens.refreshToken ?? '');
    assert.equal(rotated.status, 200);
    const reuse = await refresh(tokens.refreshToken ?? '');
    assert.equal(reuse.status, 400);
    assert.equal(reuse.body.error, 'invalid_grant');
    assert.deepEqual(await hq.introspect(String(rotated.body.access_token)), { active: false });
    assert.equal((await refresh(String(rotated.body.refresh_token))).body.error, 'invalid_grant');
  });

  it('AS-07 partial consent: the token carries only the ticked scopes', async () => {
    const pkce = createPkce();
    const callback = await completeAuthorizationInBrowserless(
      authorizeUrl({ scope: 'read write delete', code_challenge: pkce.challenge, code_challenge_method: 'S256' }),
      { username: 'alice', password: 'alice', tick: ['read'] },
    );
    const answer = await exchange(callback.searchParams.get('code') ?? '', pkce.verifier);
    assert.equal(answer.body.scope, 'read');
    assert.equal((await hq.introspect(String(answer.body.access_token))).scope, 'read');
    const refreshed = await postForm(`${hq.url}/oauth2/token`, {
      grant_type: 'refresh_token',
      refresh_token: String(answer.body.refresh_token),
      client_id: clientId,
    });
    assert.equal(refreshed.body.scope, 'read');
  });

  it('AS-07 partial consent on a second sign-in in the same browser session narrows the new token', async () => {
    const cookies = new CookieJar();
    const signIn = async (tick: Array<'read' | 'write' | 'delete'>, password: string) => {
      const pkce = createPkce();
      const callback = await completeAuthorizationInBrowserless(
        authorizeUrl({ scope: 'read write delete', code_challenge: pkce.challenge, code_challenge_method: 'S256' }),
        { username: 'alice', password, tick, cookies },
      );
      return (await exchange(callback.searchParams.get('code') ?? '', pkce.verifier)).body.scope;
    };
    assert.equal(await signIn(['read', 'write', 'delete'], 'alice'), 'read write delete');
    // a wrong password proves the second sign-in reuses the session (no login form shown)
    assert.equal(await signIn(['read'], 'not-asked'), 'read');
  });

  it('AS-08 unauthenticated introspection is allowed', async () => {
    const tokens = await obtainTokens(hq, { clientId, scopes: ['read', 'write'] });
    const answer = await postForm(`${hq.url}/oauth2/introspect`, { token: tokens.accessToken, token_type_hint: 'access_token' });
    assert.equal(answer.status, 200);
    assert.equal(answer.body.active, true);
    assert.equal(answer.body.scope, 'read write');
    assert.equal(answer.body.sub, 'admin');
    const unknown = await postForm(`${hq.url}/oauth2/introspect`, { token: 'not-a-token' });
    assert.deepEqual(unknown, { status: 200, body: { active: false } });
    const refreshAsAccess = await postForm(`${hq.url}/oauth2/introspect`, { token: tokens.refreshToken ?? '' });
    assert.deepEqual(refreshAsAccess.body, { active: false }, 'a refresh token is never an active bearer');
  });

  it('AS-09 revoking an authorization via the connected-apps API makes its access and refresh tokens inactive at once', async () => {
    const tokens = await obtainTokens(hq, { username: 'alice', scopes: ['read', 'write'], clientName: 'To revoke' });
    const observer = await obtainTokens(hq, { username: 'alice', scopes: ['read'], clientName: 'Observer' });
    const list = await fetch(`${hq.url}/api/v0/users/me/oauth2/authorizations`, { headers: { authorization: `Bearer ${observer.accessToken}` } });
    const { items } = (await list.json()) as { items: Array<{ authorization_id: string; app_client_id: string }> };
    const target = items.find((item) => item.app_client_id === tokens.clientId);
    assert.ok(target);
    const deleted = await fetch(`${hq.url}/api/v0/users/me/oauth2/authorizations/${encodeURIComponent(target.authorization_id)}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${observer.accessToken}` },
    });
    assert.equal(deleted.status, 204);
    assert.deepEqual(await hq.introspect(tokens.accessToken), { active: false });
    const refresh = await postForm(`${hq.url}/oauth2/token`, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refreshToken ?? '',
      client_id: tokens.clientId,
    });
    assert.equal(refresh.body.error, 'invalid_grant');
    assert.equal((await hq.introspect(observer.accessToken)).active, true, 'other authorizations are untouched');
  });
});
