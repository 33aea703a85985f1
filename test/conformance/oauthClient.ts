/**
 * The OAuth client under test for the conformance suite's `auth/*` client scenarios
 * (clientConformance.test.ts bundles and runs it): `node oauthClient.js <mcp-url>` with
 * MCP_CONFORMANCE_SCENARIO, MCP_CONFORMANCE_CONTEXT and MCP_CONFORMANCE_PROTOCOL_VERSION set.
 *
 * Everything OAuth is src/oauth (LensesOAuthClient: RFC 9728 discovery from the 401, issuer
 * checks, registration, PKCE, `iss`, the token request; StepUpAttempts for 403s). The MCP
 * requests are @modelcontextprotocol/client's, 2025 handshake or pinned 2026-07-28. The one
 * stand-in is the browser: it follows the authorization endpoint's redirect to our loopback
 * listener, as a browser would.
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { LensesOAuthClient, parseBearerChallenge, StepUpAttempts, type OAuthSession, type SecretStore } from '../../src/oauth';

/** The client metadata document URL the suite's CIMD scenario expects as client ID (it is never fetched). */
const CLIENT_METADATA_URL = 'https://conformance-test.local/client-metadata.json';
const MODERN_PROTOCOL_VERSION = '2026-07-28';

class MemorySecrets implements SecretStore {
  private readonly values = new Map<string, string>();
  get(key: string): Promise<string | undefined> {
    return Promise.resolve(this.values.get(key));
  }
  store(key: string, value: string): Promise<void> {
    this.values.set(key, value);
    return Promise.resolve();
  }
  delete(key: string): Promise<void> {
    this.values.delete(key);
    return Promise.resolve();
  }
}

/** A pre-registered client from MCP_CONFORMANCE_CONTEXT (auth/pre-registration), if the scenario gives one. */
function preRegistered(): { clientId: string; clientSecret?: string } | undefined {
  const raw = process.env.MCP_CONFORMANCE_CONTEXT;
  if (!raw) return undefined;
  const context = JSON.parse(raw) as { client_id?: unknown; client_secret?: unknown };
  if (typeof context.client_id !== 'string') return undefined;
  return { clientId: context.client_id, clientSecret: typeof context.client_secret === 'string' ? context.client_secret : undefined };
}

/**
 * The browser: GET the authorization URL without following its redirect, then deliver the
 * redirect (the authorization response) to wherever it points — our loopback listener.
 */
async function browser(url: string): Promise<boolean> {
  const answer = await fetch(url, { redirect: 'manual' });
  await answer.body?.cancel();
  const location = answer.headers.get('location');
  if (!location) {
    log(`the authorization endpoint answered HTTP ${answer.status} without a redirect`);
    return false;
  }
  const callback = await fetch(new URL(location, url), { redirect: 'manual' });
  await callback.text();
  return true;
}

function log(message: string): void {
  process.stderr.write(`oauthClient: ${message}\n`);
}

/**
 * fetch for the MCP transport: the session's bearer on every request; a 401 signs in from its
 * challenge (once per request), a 403 `insufficient_scope` steps up as StepUpAttempts plans it
 * (held ∪ challenged scopes, never the same step-up twice, none for scopes already held).
 */
class AuthorizedFetch {
  private session?: OAuthSession;
  private readonly stepUps = new StepUpAttempts();

  constructor(
    private readonly oauth: LensesOAuthClient,
    private readonly mcpUrl: string,
  ) {}

  readonly fetch = async (url: string | URL, init?: RequestInit): Promise<Response> => {
    let signedIn = false;
    for (;;) {
      // refreshed single-flight ahead of expiry, as the extension's sessions are
      if (this.session) this.session = await this.oauth.validSession(this.session.id);
      const headers = new Headers(init?.headers);
      if (this.session) headers.set('authorization', `Bearer ${this.session.accessToken}`);
      const response = await fetch(url, { ...init, headers });
      if (response.status !== 401 && response.status !== 403) {
        if (response.ok && this.session) this.stepUps.succeeded(this.mcpUrl);
        return response;
      }
      const header = response.headers.get('www-authenticate') ?? undefined;
      if (response.status === 401) {
        if (signedIn) return response;
        await response.body?.cancel();
        await this.replace(await this.oauth.signIn({ hqUrl: this.mcpUrl, mcpUrl: this.mcpUrl, challenge: header }));
        signedIn = true;
        continue;
      }
      const plan = this.stepUps.plan(this.mcpUrl, this.session?.scopes ?? [], parseBearerChallenge(header));
      if (plan.kind === 'refused') {
        log(`no step-up: ${plan.reason}`);
        return response;
      }
      await response.body?.cancel();
      log(`step-up asking "${plan.scopes.join(' ')}"`);
      await this.replace(await this.oauth.signIn({ hqUrl: this.mcpUrl, mcpUrl: this.mcpUrl, challenge: header, heldScopes: this.session?.scopes }));
    }
  };

  /** The new session replaces the earlier one, which is forgotten (CL-24). */
  private async replace(session: OAuthSession): Promise<void> {
    if (this.session && this.session.id !== session.id) await this.oauth.forget(this.session.id);
    this.session = session;
  }
}

async function main(): Promise<void> {
  const mcpUrl = process.argv.at(-1);
  if (!mcpUrl?.startsWith('http')) throw new Error('usage: oauthClient <mcp-server-url>');
  const protocolVersion = process.env.MCP_CONFORMANCE_PROTOCOL_VERSION;
  const configured = preRegistered();
  const oauth = new LensesOAuthClient({
    secrets: new MemorySecrets(),
    openBrowser: browser,
    clientName: 'Lenses MCP conformance client',
    clientId: configured?.clientId,
    clientSecret: configured?.clientSecret,
    clientMetadataUrl: CLIENT_METADATA_URL,
    networkTimeoutMs: 10_000,
    logger: {
      trace: () => {},
      debug: () => {},
      info: (message: string) => log(message),
      warn: (message: string) => log(message),
      error: (message: string | Error) => log(String(message)),
    },
  });
  const authorized = new AuthorizedFetch(oauth, mcpUrl);
  const client = new Client(
    { name: 'lenses-oauth-conformance', version: '1' },
    { versionNegotiation: { mode: protocolVersion === MODERN_PROTOCOL_VERSION ? { pin: MODERN_PROTOCOL_VERSION } : 'legacy' } },
  );
  const transport = new StreamableHTTPClientTransport(new URL(mcpUrl), { fetch: authorized.fetch });
  try {
    await client.connect(transport);
    await client.listTools();
    await client.callTool({ name: 'test-tool', arguments: {} });
  } finally {
    await client.close();
    oauth.dispose();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    log(`failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
