import assert from 'node:assert/strict';
import { completeAuthorizationInBrowserless, startHq, type HqOptions, type RunningHq } from '../../../hq-emulator/testing';
import { startChallengeOnlyResource, type ChallengeOnlyResource, type ChallengeOnlyResourceOptions } from '../../../hq-emulator/oauth/challengeOnlyResource';
import { LensesOAuthClient, OAuthError, type LensesOAuthClientOptions } from '../../../src/oauth';
import type { Scope } from '../../../src/scopes';
import { MemorySecretStore } from '../../unit/oauth/fakes';
import { RecordingLogger } from '../../support/recordingLogger';

/** A user at the consent page, ticking `tick`; every authorization URL the client opened is kept. */
function browser(tick: Scope[]) {
  const urls: URL[] = [];
  const openBrowser = async (url: string) => {
    urls.push(new URL(url));
    void completeAuthorizationInBrowserless(url, { username: 'admin', password: 'admin', tick, deliver: true }).catch(() => undefined);
    return true;
  };
  return { openBrowser, urls };
}

/** Every request the client made (URL, method, headers, body), for "never sent" checks. */
function recordingFetch() {
  const requests: Array<{ url: URL; method: string; headers: Headers; body: string }> = [];
  const recorded: typeof fetch = (input, init) => {
    requests.push({
      url: new URL(input instanceof Request ? input.url : String(input)),
      method: init?.method ?? 'GET',
      headers: new Headers(init?.headers),
      body: typeof init?.body === 'string' ? init.body : '',
    });
    return fetch(input, init);
  };
  return { fetch: recorded, requests };
}

function newClient(tick: Scope[], extra: Partial<LensesOAuthClientOptions> = {}) {
  const secrets = new MemorySecretStore();
  const logger = new RecordingLogger();
  const user = browser(tick);
  const network = recordingFetch();
  const client = new LensesOAuthClient({ secrets, logger, openBrowser: user.openBrowser, fetch: network.fetch, ...extra });
  return { client, secrets, logger, user, network };
}

describe('OAuth client held to the MCP authorization spec (HQ emulator and a stand-in MCP server)', function () {
  this.timeout(20_000);
  const running: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((server) => server.close()));
  });

  async function hq(options: HqOptions = {}): Promise<RunningHq> {
    const started = await startHq({ port: 0, ...options });
    running.push(started);
    return started;
  }

  async function resource(options: ChallengeOnlyResourceOptions): Promise<ChallengeOnlyResource> {
    const started = await startChallengeOnlyResource(options);
    running.push(started);
    return started;
  }

  describe('discovery', () => {
    it('signs in to an MCP server that advertises its metadata only through the 401 challenge of a POST (GET is 405, well-known URIs 404)', async () => {
      const as = await hq();
      const mcp = await resource({ hqUrl: as.url, challengeScope: 'read' });
      const { client, user } = newClient(['read']);
      const session = await client.signIn({ hqUrl: as.url, mcpUrl: mcp.mcpUrl, timeoutMs: 10_000 });
      assert.equal(session.resource, mcp.mcpUrl);
      assert.equal(session.issuer, as.url);
      assert.deepEqual(session.scopes, ['read']);
      assert.equal(user.urls[0].searchParams.get('resource'), mcp.mcpUrl);
      assert.deepEqual(
        mcp.requests.slice(0, 2).map((r) => `${r.method} ${r.path}`),
        ['POST /mcp', 'GET /private/resource-metadata-of-mcp'],
      );
    });

    it('signIn accepts the challenge the MCP transport already received: no probe of its own', async () => {
      const as = await hq();
      const mcp = await resource({ hqUrl: as.url });
      const challenge = (await fetch(mcp.mcpUrl, { method: 'POST', body: '{}' })).headers.get('www-authenticate') ?? '';
      mcp.requests.length = 0;
      const { client } = newClient(['read']);
      const session = await client.signIn({ hqUrl: as.url, mcpUrl: mcp.mcpUrl, challenge, scopes: ['read'], timeoutMs: 10_000 });
      assert.equal(session.resource, mcp.mcpUrl);
      assert.deepEqual(
        mcp.requests.map((r) => `${r.method} ${r.path}`),
        ['GET /private/resource-metadata-of-mcp'],
      );
    });

    it('finds metadata at the root well-known URI whose resource is the origin (RFC 9728 §3.3), for an MCP URL with a path', async () => {
      const as = await hq();
      const mcp = await resource({ hqUrl: as.url, placement: 'root' });
      const { client } = newClient(['read']);
      const session = await client.signIn({ hqUrl: as.url, mcpUrl: mcp.mcpUrl, scopes: ['read'], timeoutMs: 10_000 });
      assert.equal(session.resource, mcp.origin);
      assert.deepEqual(mcp.requests.map((r) => `${r.method} ${r.path}`).slice(0, 3), [
        'POST /mcp',
        'GET /.well-known/oauth-protected-resource/mcp',
        'GET /.well-known/oauth-protected-resource',
      ]);
    });

    it('signs in to an authorization server that publishes only OpenID Connect discovery', async () => {
      const as = await hq({ oauthModes: { oidcDiscoveryOnly: true } });
      const { client, network } = newClient(['read']);
      const session = await client.signIn({ hqUrl: as.url, scopes: ['read'], timeoutMs: 10_000 });
      assert.equal(session.issuer, as.url);
      const discovery = network.requests.filter((r) => r.url.pathname.startsWith('/.well-known/')).map((r) => r.url.pathname);
      assert.deepEqual(discovery, ['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration']);
    });
  });

  describe('scopes', () => {
    it("asks the challenge's scope first, and leaves scope out when neither the challenge nor the metadata names any", async () => {
      const as = await hq();
      const withScope = await resource({ hqUrl: as.url, challengeScope: 'read write', scopesSupported: ['read'] });
      const first = newClient(['read', 'write']);
      await first.client.signIn({ hqUrl: as.url, mcpUrl: withScope.mcpUrl, timeoutMs: 10_000 });
      assert.equal(first.user.urls[0].searchParams.get('scope'), 'read write');

      const supported = await resource({ hqUrl: as.url, scopesSupported: ['read', 'delete'] });
      const second = newClient(['read', 'delete']);
      await second.client.signIn({ hqUrl: as.url, mcpUrl: supported.mcpUrl, timeoutMs: 10_000 });
      assert.equal(second.user.urls[0].searchParams.get('scope'), 'read delete');

      const none = await resource({ hqUrl: as.url });
      const third = newClient([]);
      await third.client.signIn({ hqUrl: as.url, mcpUrl: none.mcpUrl, timeoutMs: 10_000 }).catch(() => undefined);
      assert.equal(third.user.urls[0].searchParams.has('scope'), false);
    });

    it('CL-24 step-up after 403 insufficient_scope asks the union of held and challenged scopes, once', async () => {
      const as = await hq();
      const mcp = await resource({ hqUrl: as.url, challengeScope: 'read', toolCallNeeds: ['write'] });
      const { client, user } = newClient(['read', 'write']);
      const first = await client.signIn({ hqUrl: as.url, mcpUrl: mcp.mcpUrl, timeoutMs: 10_000 });
      assert.deepEqual(first.scopes, ['read']);

      const call = await fetch(mcp.mcpUrl, {
        method: 'POST',
        headers: { authorization: `Bearer ${first.accessToken}` },
        body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call' }),
      });
      assert.equal(call.status, 403);
      const challenge = call.headers.get('www-authenticate') ?? '';
      assert.match(challenge, /insufficient_scope/);

      const stepped = await client.signIn({ hqUrl: as.url, mcpUrl: mcp.mcpUrl, challenge, heldScopes: first.scopes, timeoutMs: 10_000 });
      assert.equal(user.urls[1].searchParams.get('scope'), 'read write');
      assert.deepEqual(stepped.scopes, ['read', 'write']);
      const retried = await fetch(mcp.mcpUrl, {
        method: 'POST',
        headers: { authorization: `Bearer ${stepped.accessToken}` },
        body: JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/call' }),
      });
      assert.equal(retried.status, 200);
    });
  });

  describe('registration', () => {
    it('CL-08 a DCR answer with a client secret nobody asked for: signed in as a public client, the secret never stored, sent or logged', async () => {
      const as = await hq({ oauthModes: { dcrUnaskedSecret: true } });
      const { client, secrets, logger, network } = newClient(['read']);
      const session = await client.signIn({ hqUrl: as.url, scopes: ['read'], timeoutMs: 10_000 });
      const registration = network.requests.find((r) => r.url.pathname === '/oauth2/register');
      assert.ok(registration);
      for (const value of secrets.values.values()) assert.doesNotMatch(value, /unasked-/);
      assert.doesNotMatch(logger.lines.join('\n'), /unasked-/);
      for (const request of network.requests.filter((r) => r !== registration)) {
        assert.doesNotMatch(`${request.url.href} ${request.body}`, /unasked-/);
        assert.equal(request.headers.get('authorization'), null);
      }
      assert.equal(logger.lines.filter((line) => /client secret nobody asked for/.test(line)).length, 1);
      assert.equal((await client.validSession(session.id)).id, session.id);
      assert.equal((await as.introspect(session.accessToken)).active, true);
    });

    for (const method of ['client_secret_basic', 'client_secret_post'] as const) {
      it(`CL-23 a pre-registered confidential client authenticates with ${method} as the authorization server advertises; the secret is never stored or logged`, async () => {
        const secret = `s3cret-${method}`;
        const as = await hq({
          dcr: false,
          preRegisteredClients: [
            {
              client_id: 'vscode-confidential',
              client_name: 'VS Code',
              redirect_uris: ['http://127.0.0.1/callback'],
              client_secret: secret,
              token_endpoint_auth_method: method,
            },
          ],
          oauthModes: { clientAuthMethods: ['none', method] },
        });
        const { client, secrets, logger, network } = newClient(['read'], { clientId: 'vscode-confidential', clientSecret: secret, clientIssuer: as.url });
        const session = await client.signIn({ hqUrl: as.url, scopes: ['read'], timeoutMs: 10_000 });
        const exchange = network.requests.find((r) => r.url.pathname === '/oauth2/token');
        if (method === 'client_secret_basic') {
          assert.match(exchange?.headers.get('authorization') ?? '', /^Basic /);
          assert.doesNotMatch(exchange?.body ?? '', /client_secret=/);
        } else {
          assert.equal(new URLSearchParams(exchange?.body).get('client_secret'), secret);
          assert.equal(exchange?.headers.get('authorization'), null);
        }
        await client.signOut(session.id);
        for (const value of secrets.values.values()) assert.doesNotMatch(value, new RegExp(secret));
        assert.doesNotMatch(logger.lines.join('\n'), new RegExp(secret));
        assert.equal((await as.introspect(session.accessToken)).active, false, 'revoked with the client authenticated');
        assert.equal(network.requests.filter((r) => r.url.pathname === '/oauth2/register').length, 0);
      });
    }

    it('CL-23 a wrong client secret fails at the code exchange saying the authorization server refused the client', async () => {
      const as = await hq({
        dcr: false,
        preRegisteredClients: [
          { client_id: 'vscode-confidential', client_name: 'VS Code', redirect_uris: ['http://127.0.0.1/callback'], client_secret: 'right' },
        ],
      });
      const { client } = newClient(['read'], { clientId: 'vscode-confidential', clientSecret: 'wrong' });
      await assert.rejects(
        client.signIn({ hqUrl: as.url, scopes: ['read'], timeoutMs: 10_000 }),
        (error: unknown) =>
          error instanceof OAuthError && error.code === 'token_exchange_failed' && error.oauthError === 'invalid_client' && !error.message.includes('wrong'),
      );
    });

    const DOCUMENT_URL = 'https://lenses-mcp.example.com/oauth/client.json';
    const document = {
      client_id: DOCUMENT_URL,
      client_name: 'Lenses MCP for VS Code',
      application_type: 'native',
      redirect_uris: ['http://127.0.0.1/callback'],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };

    it('CL-25 uses the client metadata document URL as client ID where the authorization server advertises support, instead of DCR', async () => {
      const as = await hq({ oauthModes: { clientIdMetadataDocuments: { [DOCUMENT_URL]: document } } });
      const { client, network, secrets } = newClient(['read'], { clientMetadataUrl: DOCUMENT_URL });
      const session = await client.signIn({ hqUrl: as.url, scopes: ['read'], timeoutMs: 10_000 });
      assert.equal(session.clientId, DOCUMENT_URL);
      assert.equal(network.requests.filter((r) => r.url.pathname === '/oauth2/register').length, 0);
      assert.equal(
        [...secrets.values.keys()].some((key) => key.startsWith('lenses.oauth.client/')),
        false,
        'a CIMD client ID is not cached as a registration',
      );
      const refreshed = await client.validSession(session.id);
      assert.equal(refreshed.clientId, DOCUMENT_URL);
    });

    it('registration order: configured client ID first, then the metadata document, then DCR (MCP spec order)', async () => {
      const as = await hq({
        preRegisteredClients: [{ client_id: 'vscode-configured', client_name: 'VS Code', redirect_uris: ['http://127.0.0.1/callback'] }],
        oauthModes: { clientIdMetadataDocuments: { [DOCUMENT_URL]: document } },
      });
      const configured = newClient(['read'], { clientId: 'vscode-configured', clientMetadataUrl: DOCUMENT_URL });
      assert.equal((await configured.client.signIn({ hqUrl: as.url, scopes: ['read'], timeoutMs: 10_000 })).clientId, 'vscode-configured');

      const noDocumentSupport = await hq();
      const dcr = newClient(['read'], { clientMetadataUrl: DOCUMENT_URL });
      const viaDcr = await dcr.client.signIn({ hqUrl: noDocumentSupport.url, scopes: ['read'], timeoutMs: 10_000 });
      assert.notEqual(viaDcr.clientId, DOCUMENT_URL);
      assert.equal(dcr.network.requests.filter((r) => r.url.pathname === '/oauth2/register').length, 1);
    });

    it('CL-22 a configured client ID bound to another issuer is not used with this one (DCR instead)', async () => {
      const as = await hq({ preRegisteredClients: [{ client_id: 'vscode-configured', client_name: 'VS Code', redirect_uris: ['http://127.0.0.1/callback'] }] });
      const { client, logger } = newClient(['read'], { clientId: 'vscode-configured', clientIssuer: 'https://other-hq.example.com' });
      const session = await client.signIn({ hqUrl: as.url, scopes: ['read'], timeoutMs: 10_000 });
      assert.notEqual(session.clientId, 'vscode-configured');
      assert.ok(logger.lines.some((line) => /belongs to https:\/\/other-hq\.example\.com/.test(line)));
    });
  });
});
