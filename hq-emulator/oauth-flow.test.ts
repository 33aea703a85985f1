import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CookieJar } from './testing/cookieJar';
import { completeAuthorizationInBrowserless, createPkce, obtainTokens, postForm, registerClient, startHq, type RunningHq } from './testing/index';

describe('HQ emulator: the OAuth flow', () => {
  let hq: RunningHq;
  before(async () => {
    hq = await startHq({ port: 0 });
  });
  after(async () => {
    await hq.close();
  });

  it('publishes RFC 8414 metadata at Lenses paths', async () => {
    const response = await fetch(`${hq.url}/.well-known/oauth-authorization-server`);
    assert.equal(response.status, 200);
    const metadata = (await response.json()) as Record<string, unknown>;
    assert.equal(metadata.issuer, hq.url);
    assert.equal(metadata.authorization_endpoint, `${hq.url}/oauth2/authorize`);
    assert.equal(metadata.token_endpoint, `${hq.url}/oauth2/token`);
    assert.equal(metadata.registration_endpoint, `${hq.url}/oauth2/register`);
    assert.equal(metadata.introspection_endpoint, `${hq.url}/oauth2/introspect`);
    assert.equal(metadata.revocation_endpoint, `${hq.url}/oauth2/revoke`);
    assert.deepEqual(metadata.code_challenge_methods_supported, ['S256']);
    assert.equal(metadata.authorization_response_iss_parameter_supported, true);
    for (const scope of ['read', 'write', 'delete']) assert.ok((metadata.scopes_supported as string[]).includes(scope), scope);
  });

  it('runs discovery → DCR → authorize (PKCE) → login + consent → code → introspect → refresh → revoke', async () => {
    const redirectUri = 'http://127.0.0.1/callback';
    const registration = await fetch(`${hq.url}/oauth2/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_name: 'Flow test',
        redirect_uris: [redirectUri],
        token_endpoint_auth_method: 'none',
        application_type: 'native',
        grant_types: ['authorization_code', 'refresh_token'],
      }),
    });
    assert.equal(registration.status, 201);
    const client = (await registration.json()) as Record<string, unknown>;
    assert.equal(client.token_endpoint_auth_method, 'none');
    assert.equal(client.client_secret, undefined);
    const clientId = String(client.client_id);

    const pkce = createPkce();
    const state = randomBytes(8).toString('hex');
    const resource = 'http://127.0.0.1:8000/mcp';
    const authorize = new URL(`${hq.url}/oauth2/authorize`);
    authorize.search = new URLSearchParams({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: redirectUri,
      scope: 'read write delete',
      state,
      code_challenge: pkce.challenge,
      code_challenge_method: 'S256',
      resource,
    }).toString();
    const callback = await completeAuthorizationInBrowserless(authorize.href, { username: 'alice', password: 'alice', tick: ['read', 'write', 'delete'] });
    assert.equal(callback.searchParams.get('state'), state);
    assert.equal(callback.searchParams.get('iss'), hq.url);
    const code = callback.searchParams.get('code');
    assert.ok(code);

    const exchanged = await postForm(`${hq.url}/oauth2/token`, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      code_verifier: pkce.verifier,
      client_id: clientId,
    });
    assert.equal(exchanged.status, 200);
    assert.equal(exchanged.body.token_type, 'Bearer');
    assert.equal(exchanged.body.scope, 'read write delete');
    assert.equal(exchanged.body.expires_in, 3600);
    assert.equal(typeof exchanged.body.refresh_token, 'string');
    const accessToken = String(exchanged.body.access_token);
    assert.ok(!accessToken.includes('.'), 'access tokens are opaque, not JWTs');

    const introspection = await hq.introspect(accessToken);
    assert.equal(introspection.active, true);
    assert.equal(introspection.scope, 'read write delete');
    assert.equal(introspection.client_id, clientId);
    assert.equal(introspection.sub, 'alice');
    assert.equal(introspection.username, 'alice');
    assert.equal(introspection.aud, resource);
    assert.equal(introspection.token_type, 'Bearer');
    assert.ok(Number(introspection.exp) > Number(introspection.iat));

    const refreshed = await postForm(`${hq.url}/oauth2/token`, {
      grant_type: 'refresh_token',
      refresh_token: String(exchanged.body.refresh_token),
      client_id: clientId,
    });
    assert.equal(refreshed.status, 200);
    assert.notEqual(refreshed.body.refresh_token, exchanged.body.refresh_token, 'refresh tokens rotate');
    assert.equal(refreshed.body.scope, 'read write delete');
    const second = String(refreshed.body.access_token);
    assert.equal((await hq.introspect(second)).aud, resource, 'refreshed token keeps the granted resource');

    const revoked = await postForm(`${hq.url}/oauth2/revoke`, { token: second, token_type_hint: 'access_token', client_id: clientId });
    assert.equal(revoked.status, 200);
    assert.deepEqual(await hq.introspect(second), { active: false });
  });

  it('defaults the audience to the HQ URL when no resource is asked for', async () => {
    const clientId = await registerClient(hq, 'No resource', 'http://127.0.0.1/callback');
    const tokens = await obtainTokens(hq, { clientId, scopes: ['read'] });
    const introspection = await hq.introspect(tokens.accessToken);
    assert.equal(introspection.aud, hq.url);
    assert.equal(introspection.scope, 'read');
  });

  it('shows the login form again with an error after a wrong password', async () => {
    const clientId = await registerClient(hq, 'Wrong password', 'http://127.0.0.1/callback');
    const authorize = new URL(`${hq.url}/oauth2/authorize`);
    authorize.search = new URLSearchParams({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: 'http://127.0.0.1/callback',
      scope: 'read',
      state: 's',
      code_challenge: createPkce().challenge,
      code_challenge_method: 'S256',
    }).toString();
    await assert.rejects(
      completeAuthorizationInBrowserless(authorize.href, { username: 'admin', password: 'nope', tick: ['read'] }),
      /refused the sign-in of admin: .*Wrong username or password/,
    );
  });

  it('sends access_denied to the client when the user presses Deny', async () => {
    const clientId = await registerClient(hq, 'Denied', 'http://127.0.0.1/callback');
    const authorize = new URL(`${hq.url}/oauth2/authorize`);
    authorize.search = new URLSearchParams({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: 'http://127.0.0.1/callback',
      scope: 'read write',
      state: 'st',
      code_challenge: createPkce().challenge,
      code_challenge_method: 'S256',
    }).toString();
    const callback = await completeAuthorizationInBrowserless(authorize.href, { username: 'admin', password: 'admin', tick: [], deny: true });
    assert.equal(callback.searchParams.get('error'), 'access_denied');
    assert.equal(callback.searchParams.get('state'), 'st');
    assert.equal(callback.searchParams.get('code'), null);
  });

  it('shows the client name and one ticked checkbox per requested scope on the consent page', async () => {
    const clientId = await registerClient(hq, 'Consent <page>', 'http://127.0.0.1/callback');
    const authorize = new URL(`${hq.url}/oauth2/authorize`);
    authorize.search = new URLSearchParams({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: 'http://127.0.0.1/callback',
      scope: 'read delete',
      state: 's',
      code_challenge: createPkce().challenge,
      code_challenge_method: 'S256',
    }).toString();
    const jar = new CookieJar();
    const get = async (url: string | URL, init: RequestInit = {}) => {
      const cookie = jar.header();
      const answer = await fetch(new URL(url, hq.url), {
        ...init,
        redirect: 'manual',
        headers: { ...(cookie ? { cookie } : {}), ...(init.headers as Record<string, string>) },
      });
      jar.store(answer);
      return answer;
    };
    let response = await get(authorize);
    response = await get(response.headers.get('location') ?? '');
    const login = await response.text();
    assert.match(login, /Lenses HQ \(emulator\)/);
    assert.match(login, /<input[^>]*name="username"/);
    assert.match(login, /<input[^>]*name="password"/);
    const action = /action="([^"]+)"/.exec(login)?.[1] ?? '';
    response = await get(action, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'username=admin&password=admin' });
    // resume at /oauth2/authorize, which sends the browser on to the consent interaction
    for (let step = 0; step < 3 && response.status === 303; step++) response = await get(response.headers.get('location') ?? '');
    const consent = await response.text();
    assert.match(consent, /Consent &#60;page&#62;/);
    assert.doesNotMatch(consent, /<script/);
    const boxes = [...consent.matchAll(/<input type="checkbox" name="scope" value="(\w+)"[^>]*checked>/g)].map((match) => match[1]);
    assert.deepEqual(boxes, ['read', 'delete']);
    assert.match(consent, /<button type="submit" id="allow"[^>]*>Allow<\/button>/);
    assert.match(consent, /<button type="submit" id="deny"[^>]*>Deny<\/button>/);
  });

  it('accepts DCR metadata that carries scope (as MCP clients send) and grants within it', async () => {
    const response = await fetch(`${hq.url}/oauth2/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_name: 'Scoped',
        redirect_uris: ['http://127.0.0.1/callback'],
        token_endpoint_auth_method: 'none',
        scope: 'read write delete',
      }),
    });
    assert.equal(response.status, 201);
    const { client_id: clientId } = (await response.json()) as { client_id: string };
    const tokens = await obtainTokens(hq, { clientId, scopes: ['read', 'write', 'delete'] });
    assert.equal(tokens.scope, 'read write delete');
  });

  it('delivers the code to a real loopback listener when asked to', async () => {
    const received: string[] = [];
    const listener = createServer((request, response) => {
      received.push(request.url ?? '');
      response.end('signed in');
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = listener.address() as AddressInfo;
      const clientId = await registerClient(hq, 'Listener', 'http://127.0.0.1/callback');
      const authorize = new URL(`${hq.url}/oauth2/authorize`);
      authorize.search = new URLSearchParams({
        response_type: 'code',
        client_id: clientId,
        redirect_uri: `http://127.0.0.1:${port}/callback`,
        scope: 'read',
        state: 'x',
        code_challenge: createPkce().challenge,
        code_challenge_method: 'S256',
      }).toString();
      const callback = await completeAuthorizationInBrowserless(authorize.href, { username: 'admin', password: 'admin', tick: ['read'], deliver: true });
      assert.equal(received.length, 1);
      assert.equal(new URL(received[0], callback).searchParams.get('code'), callback.searchParams.get('code'));
    } finally {
      await new Promise((resolve) => listener.close(resolve));
    }
  });
});
