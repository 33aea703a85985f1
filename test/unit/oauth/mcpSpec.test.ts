import assert from 'node:assert/strict';
import { lensesBearerOrigins } from '../../../src/http';
import {
  discoverFromResource,
  LensesOAuthClient,
  OAuthError,
  parseBearerChallenge,
  probeResource,
  selectScopes,
  SESSIONS_KEY,
  type OAuthErrorCode,
} from '../../../src/oauth';
import { FakeFetch, json, MemorySecretStore, yieldingSleep } from './fakes';
import { RecordingLogger } from '../../support/recordingLogger';
import { fakeHq, instantBrowser, ISSUER, metadata } from './fakeHq';

const MCP = 'https://mcp.example.com/mcp';
const paths = (fake: FakeFetch) => fake.requests.map((r) => `${r.method} ${r.url.pathname}`);

function isCode(code: OAuthErrorCode) {
  return (error: unknown) => error instanceof OAuthError && error.code === code;
}

function clientWith(fake: FakeFetch, extra: Partial<ConstructorParameters<typeof LensesOAuthClient>[0]> = {}) {
  const secrets = new MemorySecretStore();
  const logger = new RecordingLogger();
  const browser = instantBrowser();
  const client = new LensesOAuthClient({ secrets, logger, fetch: fake.fetch, openBrowser: browser.openBrowser, sleep: yieldingSleep, ...extra });
  return { client, secrets, logger, browser };
}

describe('parseBearerChallenge (RFC 6750 §3, RFC 9728 §5.1)', () => {
  it('reads resource_metadata, scope and error, quoted or not, among other challenges', () => {
    assert.deepEqual(
      parseBearerChallenge('Basic realm="x", Bearer error="insufficient_scope", scope="read write", resource_metadata="https://a.example/prm"'),
      {
        resourceMetadata: 'https://a.example/prm',
        scopes: ['read', 'write'],
        error: 'insufficient_scope',
      },
    );
    assert.deepEqual(parseBearerChallenge('bearer resource_metadata=https://a.example/prm'), {
      resourceMetadata: 'https://a.example/prm',
      scopes: undefined,
      error: undefined,
    });
    assert.equal(parseBearerChallenge('Basic realm="x"'), undefined);
    assert.equal(parseBearerChallenge(null), undefined);
  });
});

describe('selectScopes (MCP "Scope Selection Strategy")', () => {
  it('explicit, else the challenge, else scopes_supported, else none; held scopes are kept (union)', () => {
    const challenge = { scopes: ['write'] };
    assert.deepEqual(selectScopes({ explicit: ['read'], challenge, scopesSupported: ['a'] }), ['read']);
    assert.deepEqual(selectScopes({ challenge, scopesSupported: ['a'] }), ['write']);
    assert.deepEqual(selectScopes({ scopesSupported: ['a', 'b'] }), ['a', 'b']);
    assert.deepEqual(selectScopes({}), []);
    assert.deepEqual(selectScopes({ challenge, held: ['read', 'write', 'x:y'] }), ['read', 'write', 'x:y']);
  });
});

describe('OAuth client against the MCP authorization spec (fake servers)', () => {
  const prm = (resource: string, overrides: Record<string, unknown> = {}) => json({ resource, authorization_servers: [ISSUER], ...overrides });

  it('discovers from the 401 of an initialize POST when the server answers GET with 405', async () => {
    const fake = fakeHq()
      .on('GET /mcp', () => new Response(null, { status: 405 }))
      .on('POST /mcp', () => new Response(null, { status: 401, headers: { 'www-authenticate': 'Bearer resource_metadata="https://mcp.example.com/prm"' } }))
      .on('GET /prm', () => prm(MCP));
    const found = await discoverFromResource(MCP, { fetch: fake.fetch });
    assert.equal(found.resource, MCP);
    assert.deepEqual(paths(fake).slice(0, 2), ['POST /mcp', 'GET /prm']);
    const probe = fake.requests[0];
    assert.equal((JSON.parse(probe.body) as { method?: string }).method, 'initialize');
    assert.equal(probe.headers.get('authorization'), null);
  });

  it('CL-26 the root document must name the origin; one naming the full MCP URL there is never used', async () => {
    const rootNamesOrigin = fakeHq().on('GET /.well-known/oauth-protected-resource', () => prm('https://mcp.example.com'));
    assert.equal((await discoverFromResource(MCP, { fetch: rootNamesOrigin.fetch })).resource, 'https://mcp.example.com');
    const rootNamesMcpUrl = fakeHq().on('GET /.well-known/oauth-protected-resource', () => prm(MCP));
    await assert.rejects(
      discoverFromResource(MCP, { fetch: rootNamesMcpUrl.fetch }),
      (error: unknown) => isCode('discovery_failed')(error) && /root: not valid for https:\/\/mcp\.example\.com\//.test((error as Error).message),
    );
  });

  it('CL-26 a challenge document naming another resource is not used; the well-known URIs are tried next', async () => {
    const fake = fakeHq()
      .on('GET /prm', () => prm('https://evil.example.com/mcp'))
      .on('GET /.well-known/oauth-protected-resource/mcp', () => prm(MCP));
    const found = await discoverFromResource(MCP, { fetch: fake.fetch, challenge: 'Bearer resource_metadata="https://mcp.example.com/prm"' });
    assert.equal(found.resource, MCP);
    assert.deepEqual(paths(fake).slice(0, 2), ['GET /prm', 'GET /.well-known/oauth-protected-resource/mcp']);
  });

  it('an HTML page answering 200 at the RFC 8414 location does not end discovery: OpenID Connect is tried next', async () => {
    const fake = fakeHq()
      .on('GET /.well-known/oauth-authorization-server', () => new Response('<!doctype html><title>app</title>', { headers: { 'content-type': 'text/html' } }))
      .on('GET /.well-known/openid-configuration', () => json(metadata()));
    const { client } = clientWith(fake);
    const session = await client.signIn({ hqUrl: ISSUER, scopes: ['read'] });
    assert.equal(session.issuer, ISSUER);
  });

  it('CL-03 metadata of another issuer at one location is never used; the right one at a later location is', async () => {
    const fake = fakeHq()
      .on('GET /.well-known/oauth-authorization-server', () => json(metadata({ issuer: 'https://attacker.example.com' })))
      .on('GET /.well-known/openid-configuration', () => json(metadata()));
    const { client, browser } = clientWith(fake);
    await client.signIn({ hqUrl: ISSUER, scopes: ['read'] });
    assert.equal(browser.opened[0].origin, ISSUER);
  });

  it('CL-27 the issuer named by the resource is used exactly as written: "…/tenant/" is discovered and must match "…/tenant/"', async () => {
    const tenant = `${ISSUER}/tenant/`;
    const fake = new FakeFetch()
      .on('POST /mcp', () => new Response(null, { status: 401, headers: { 'www-authenticate': 'Bearer resource_metadata="https://hq.example.com/prm"' } }))
      .on('GET /prm', () => json({ resource: MCP, authorization_servers: [tenant] }))
      .on('GET /.well-known/oauth-authorization-server/tenant', () => json(metadata({ issuer: tenant })));
    const found = await discoverFromResource(MCP, { fetch: fake.fetch });
    assert.equal(found.authorizationServer.issuer, tenant);

    const withoutSlash = new FakeFetch()
      .on('POST /mcp', () => new Response(null, { status: 401, headers: { 'www-authenticate': 'Bearer resource_metadata="https://hq.example.com/prm"' } }))
      .on('GET /prm', () => json({ resource: MCP, authorization_servers: [tenant] }))
      .on('GET /.well-known/oauth-authorization-server/tenant', () => json(metadata({ issuer: `${ISSUER}/tenant` })));
    await assert.rejects(discoverFromResource(MCP, { fetch: withoutSlash.fetch }), isCode('issuer_mismatch'));
  });

  it('keeps scopes that are not Lenses scopes in the session and the store (a token answer of any server)', async () => {
    const fake = fakeHq({
      token: () => json({ access_token: 'at-1', refresh_token: 'rt-1', token_type: 'Bearer', expires_in: 3600, scope: 'read mcp:tools profile' }),
    });
    const { client, secrets } = clientWith(fake);
    const session = await client.signIn({ hqUrl: ISSUER, scopes: ['read', 'mcp:tools', 'profile'] });
    assert.deepEqual(session.scopes, ['read', 'mcp:tools', 'profile']);
    assert.deepEqual(
      (await client.sessions()).map((s) => s.scopes),
      [['read', 'mcp:tools', 'profile']],
    );
    assert.ok(secrets.values.get(SESSIONS_KEY)?.includes('mcp:tools'));
  });

  it('leaves scope out of the authorization request when there is none to ask (never "scope=")', async () => {
    const fake = fakeHq({ token: () => json({ access_token: 'at-1', token_type: 'Bearer', expires_in: 3600 }) });
    const { client, browser } = clientWith(fake);
    const session = await client.signIn({ hqUrl: ISSUER, scopes: [] });
    assert.equal(browser.opened[0].searchParams.has('scope'), false);
    assert.deepEqual(session.scopes, []);
  });

  it('CL-22 a cached DCR client is used only with the issuer it was registered with', async () => {
    const fake = fakeHq();
    const { client, secrets } = clientWith(fake);
    await secrets.store(
      `lenses.oauth.client/${ISSUER}`,
      JSON.stringify({ clientId: 'registered-elsewhere', redirectUris: ['http://127.0.0.1/callback'], issuer: 'https://other.example.com' }),
    );
    const session = await client.signIn({ hqUrl: ISSUER, scopes: ['read'] });
    assert.notEqual(session.clientId, 'registered-elsewhere');
    assert.equal(fake.count('POST /oauth2/register'), 1);
    assert.equal((JSON.parse(secrets.values.get(`lenses.oauth.client/${ISSUER}`) ?? '{}') as { issuer?: string }).issuer, ISSUER);
  });

  it('CL-23 a configured secret with an authorization server that lists client_secret_post only is sent in the body, never in a header', async () => {
    const fake = fakeHq({ metadata: metadata({ token_endpoint_auth_methods_supported: ['client_secret_post'] }) });
    const { client, logger } = clientWith(fake, { clientId: 'pre-registered', clientSecret: 'the-secret' });
    await client.signIn({ hqUrl: ISSUER, scopes: ['read'] });
    const exchange = fake.requests.find((r) => r.url.pathname === '/oauth2/token');
    assert.equal(new URLSearchParams(exchange?.body).get('client_secret'), 'the-secret');
    assert.equal(exchange?.headers.get('authorization'), null);
    assert.doesNotMatch(logger.lines.join('\n'), /the-secret/);
  });

  it('CL-23 client_secret_basic sends a client ID and secret with "-" "." "_" "~" unescaped, reserved characters form-encoded', async () => {
    const fake = fakeHq({ metadata: metadata({ token_endpoint_auth_methods_supported: ['client_secret_basic'] }) });
    const { client } = clientWith(fake, { clientId: 'pre-registered.client_1~a', clientSecret: 'the-secret:with%colon' });
    await client.signIn({ hqUrl: ISSUER, scopes: ['read'] });
    const exchange = fake.requests.find((r) => r.url.pathname === '/oauth2/token');
    const [scheme, credentials] = (exchange?.headers.get('authorization') ?? '').split(' ');
    assert.equal(scheme, 'Basic');
    assert.equal(Buffer.from(credentials ?? '', 'base64').toString('utf8'), 'pre-registered.client_1~a:the-secret%3Awith%25colon');
    assert.equal(new URLSearchParams(exchange?.body).get('client_secret'), null);
  });

  it('CL-23 a configured secret with an authorization server that takes no secret fails before the browser opens, naming what it takes', async () => {
    const fake = fakeHq({ metadata: metadata({ token_endpoint_auth_methods_supported: ['private_key_jwt'] }) });
    const { client, browser } = clientWith(fake, { clientId: 'pre-registered', clientSecret: 'the-secret' });
    await assert.rejects(
      client.signIn({ hqUrl: ISSUER, scopes: ['read'] }),
      (error: unknown) =>
        isCode('registration_failed')(error) && /private_key_jwt/.test((error as Error).message) && !/the-secret/.test((error as Error).message),
    );
    assert.equal(browser.opened.length, 0);
  });

  it('CL-25 a client metadata document URL that is not https with a path is refused with the reason, before any authorization request', async () => {
    const fake = fakeHq({ metadata: metadata({ client_id_metadata_document_supported: true }) });
    const { client, browser } = clientWith(fake, { clientMetadataUrl: 'http://example.com/client.json' });
    await assert.rejects(
      client.signIn({ hqUrl: ISSUER, scopes: ['read'] }),
      (error: unknown) => isCode('registration_failed')(error) && /must use https/.test((error as Error).message),
    );
    assert.equal(browser.opened.length, 0);
    assert.equal(fake.count('POST /oauth2/register'), 0);
  });

  it('CL-25 without client_id_metadata_document_supported the document URL is never sent: DCR as before', async () => {
    const fake = fakeHq();
    const { client, browser } = clientWith(fake, { clientMetadataUrl: 'https://example.com/client.json' });
    const session = await client.signIn({ hqUrl: ISSUER, scopes: ['read'] });
    assert.notEqual(session.clientId, 'https://example.com/client.json');
    assert.doesNotMatch(browser.opened[0].href, /client\.json/);
  });

  it('probeResource: the 403 challenge with a bearer the rule allows; a session a stateful server opened for it is closed', async () => {
    const origins = lensesBearerOrigins({ userHqUrl: () => ISSUER, confirmedMcpOrigins: () => ['https://mcp.example.com'] });
    const refused = new FakeFetch().on(
      'POST /mcp',
      () => new Response(null, { status: 403, headers: { 'www-authenticate': 'Bearer error="insufficient_scope", scope="write"' } }),
    );
    const answer = await probeResource(MCP, { fetch: refused.fetch, bearer: { token: 'tok', origins } });
    assert.deepEqual(answer.challenge, { resourceMetadata: undefined, scopes: ['write'], error: 'insufficient_scope' });
    assert.equal(refused.requests[0].headers.get('authorization'), 'Bearer tok');

    const stateful = new FakeFetch()
      .on('POST /mcp', () => json({ jsonrpc: '2.0', id: 1, result: {} }, 200, { 'mcp-session-id': 'sess-1' }))
      .on('DELETE /mcp', () => new Response(null, { status: 204 }));
    assert.equal((await probeResource(MCP, { fetch: stateful.fetch, bearer: { token: 'tok', origins } })).status, 200);
    assert.deepEqual(paths(stateful), ['POST /mcp', 'DELETE /mcp']);
    assert.equal(stateful.requests[1].headers.get('mcp-session-id'), 'sess-1');

    const elsewhere = new FakeFetch();
    await assert.rejects(probeResource('https://not-confirmed.example.com/mcp', { fetch: elsewhere.fetch, bearer: { token: 'tok', origins } }));
    assert.equal(elsewhere.requests.length, 0, 'CL-16: no bearer to an origin the rule does not allow');
  });
});
