import assert from 'node:assert/strict';
import { discoverFromResource, LensesOAuthClient, OAuthError, type OAuthErrorCode } from '../../../src/oauth';
import { FakeFetch, json, MemorySecretStore } from './fakes';
import { fakeHq, instantBrowser, ISSUER, metadata } from './fakeHq';

function isCode(code: OAuthErrorCode) {
  return (error: unknown) => error instanceof OAuthError && error.code === code;
}

/** Only discovery matters here: stop the flow right after it (no S256 → pkce_unsupported). */
async function discoveredWith(fake: FakeFetch, hqUrl: string): Promise<unknown> {
  const client = new LensesOAuthClient({ secrets: new MemorySecretStore(), fetch: fake.fetch, openBrowser: async () => true });
  return client.signIn({ hqUrl, scopes: ['read'] }).catch((error: unknown) => error);
}

const paths = (fake: FakeFetch) => fake.requests.map((r) => r.url.pathname);

describe('OAuth discovery', () => {
  it('tries RFC 8414 then OIDC for an issuer without a path', async () => {
    const fake = new FakeFetch().on('GET /.well-known/openid-configuration', () => json(metadata({ code_challenge_methods_supported: [] })));
    const error = await discoveredWith(fake, ISSUER);
    assert.ok(isCode('pkce_unsupported')(error));
    assert.deepEqual(paths(fake), ['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration']);
  });

  it('tries RFC 8414, OIDC path insertion, OIDC path appending for an issuer with a path (MCP order)', async () => {
    const fake = new FakeFetch();
    const error = await discoveredWith(fake, `${ISSUER}/tenant/`);
    assert.ok(isCode('discovery_failed')(error));
    assert.deepEqual(paths(fake), [
      '/.well-known/oauth-authorization-server/tenant',
      '/.well-known/openid-configuration/tenant',
      '/tenant/.well-known/openid-configuration',
    ]);
    assert.match((error as Error).message, /publishes no usable OAuth metadata/);
  });

  for (const [label, methods] of [
    ['absent', undefined],
    ['without S256', ['plain']],
  ] as const) {
    it(`CL-04 code_challenge_methods_supported ${label}: the flow does not start`, async () => {
      const fake = new FakeFetch().on('GET /.well-known/oauth-authorization-server', () => json(metadata({ code_challenge_methods_supported: methods })));
      const opened: string[] = [];
      const client = new LensesOAuthClient({
        secrets: new MemorySecretStore(),
        fetch: fake.fetch,
        openBrowser: async (url) => {
          opened.push(url);
          return true;
        },
      });
      const error = await client.signIn({ hqUrl: ISSUER, scopes: ['read'] }).catch((e: unknown) => e);
      assert.ok(isCode('pkce_unsupported')(error), String(error));
      assert.deepEqual(opened, [], 'no browser opened');
      assert.ok(!paths(fake).includes('/oauth2/register'), 'no registration');
      assert.ok(!paths(fake).includes('/oauth2/token'), 'no token request');
    });
  }

  it('CL-03 metadata whose issuer differs from the discovered URL fails', async () => {
    const fake = new FakeFetch().on('GET /.well-known/oauth-authorization-server', () => json(metadata({ issuer: 'https://other.example.com' })));
    const error = await discoveredWith(fake, ISSUER);
    assert.ok(isCode('issuer_mismatch')(error));
    assert.match((error as Error).message, /other\.example\.com/);
    // the next location was tried too, and nothing after discovery ran
    assert.deepEqual(paths(fake), ['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration']);
  });

  it('fails with discovery_failed on metadata that is not JSON', async () => {
    const fake = new FakeFetch().on('GET /.well-known/oauth-authorization-server', () => new Response('<html>', { headers: { 'content-type': 'text/html' } }));
    assert.ok(isCode('discovery_failed')(await discoveredWith(fake, ISSUER)));
  });

  it('fails with discovery_failed on a URL that is not one', async () => {
    assert.ok(isCode('discovery_failed')(await discoveredWith(new FakeFetch(), 'lenses')));
  });
});

describe('discoverFromResource (RFC 9728)', () => {
  const MCP = 'https://mcp.example.com/mcp';
  const prm = (overrides: Record<string, unknown> = {}) =>
    json({ resource: MCP, authorization_servers: [ISSUER], scopes_supported: ['read', 'write'], ...overrides });

  function remote(challenge?: string): FakeFetch {
    const fake = fakeHq();
    fake.on('POST /mcp', () => new Response(null, { status: 401, headers: challenge ? { 'www-authenticate': challenge } : {} }));
    return fake;
  }

  it('follows resource_metadata from the 401 challenge, then the authorization server', async () => {
    const fake = remote('Bearer resource_metadata="https://mcp.example.com/meta/prm", scope="read write"').on('GET /meta/prm', () => prm());
    const found = await discoverFromResource(MCP, { fetch: fake.fetch });
    assert.equal(found.resource, MCP);
    assert.equal(found.authorizationServer.issuer, ISSUER);
    assert.deepEqual(found.scopesSupported, ['read', 'write']);
    assert.deepEqual(paths(fake), ['/mcp', '/meta/prm', '/.well-known/oauth-authorization-server']);
  });

  it('falls back to the well-known paths (insertion, then root) without a challenge', async () => {
    const fake = remote().on('GET /.well-known/oauth-protected-resource', () => prm({ resource: 'https://mcp.example.com' }));
    const found = await discoverFromResource(MCP, { fetch: fake.fetch });
    assert.equal(found.authorizationServer.issuer, ISSUER);
    assert.deepEqual(paths(fake).slice(0, 3), ['/mcp', '/.well-known/oauth-protected-resource/mcp', '/.well-known/oauth-protected-resource']);
  });

  it('refuses metadata that names another resource', async () => {
    const fake = remote().on('GET /.well-known/oauth-protected-resource/mcp', () => prm({ resource: 'https://evil.example.com/mcp' }));
    await assert.rejects(discoverFromResource(MCP, { fetch: fake.fetch }), isCode('discovery_failed'));
  });

  it('fails clearly when the server publishes no metadata', async () => {
    await assert.rejects(discoverFromResource(MCP, { fetch: remote().fetch }), isCode('discovery_failed'));
  });

  it('CL-13 refuses a plain-http remote MCP server that is not loopback', async () => {
    const fake = remote();
    await assert.rejects(discoverFromResource('http://mcp.example.com/mcp', { fetch: fake.fetch }), isCode('insecure_http'));
    assert.equal(fake.requests.length, 0);
  });

  it('signs in for a remote MCP server with its resource in both requests', async () => {
    const fake = remote('Bearer resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource/mcp"').on(
      'GET /.well-known/oauth-protected-resource/mcp',
      () => prm(),
    );
    const browser = instantBrowser();
    const client = new LensesOAuthClient({ secrets: new MemorySecretStore(), fetch: fake.fetch, openBrowser: browser.openBrowser });
    const session = await client.signIn({ hqUrl: 'https://unused.example.com', mcpUrl: MCP, scopes: ['read'] });
    assert.equal(session.resource, MCP);
    assert.equal(browser.opened[0].searchParams.get('resource'), MCP);
    const exchange = new URLSearchParams(fake.requests.find((r) => r.url.pathname === '/oauth2/token')?.body);
    assert.equal(exchange.get('resource'), MCP);
  });
});
