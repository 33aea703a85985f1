import * as oauth from 'oauth4webapi';
import { errorMessage } from '../errors';
import { silentLogger, type Logger } from '../log';
import { parseBearerChallenge, type BearerChallenge } from './challenge';
import { OAuthError } from './errors';
import { assertSecureUrl, Transport, type StepOptions } from './transport';

/** An HQ URL as an issuer identifier: no query or fragment, no trailing slash on a path. */
export function issuerUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new OAuthError('discovery_failed', `"${raw}" is not a valid URL. Set the Lenses HQ URL, e.g. https://lenses.example.com.`);
  }
  url.search = '';
  url.hash = '';
  if (url.pathname !== '/') url.pathname = url.pathname.replace(/\/+$/, '');
  return url;
}

/** The URL as a resource indicator (RFC 8707 §2): HQ's URL without a trailing slash. */
export function resourceIndicator(url: URL): string {
  return url.href.replace(/\/+$/, '');
}

/**
 * True when two issuer identifiers are the same (RFC 8414 §3.3, MCP 2026-07-28: identical).
 * The one difference allowed is the empty path of an origin, which URL parsing turns into
 * "/" (`https://as.example.com` = `https://as.example.com/`); `…/tenant` ≠ `…/tenant/`.
 */
export function sameIssuer(a: string, b: string): boolean {
  return withoutRootSlash(a) === withoutRootSlash(b);
}

function withoutRootSlash(issuer: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\/[^/?#]+\/$/i.test(issuer) ? issuer.slice(0, -1) : issuer;
}

/** One well-known location of authorization-server metadata. */
interface MetadataLocation {
  name: string;
  url: URL;
}

/**
 * The well-known URLs of an issuer's metadata in the MCP authorization spec's order
 * (2025-11-25 "Authorization Server Metadata Discovery"): with a path, RFC 8414 path
 * insertion, OIDC path insertion, OIDC path appending; without one, RFC 8414 then OIDC.
 */
export function authorizationServerMetadataUrls(issuer: URL): MetadataLocation[] {
  const path = issuer.pathname.replace(/\/+$/, '');
  const at = (pathname: string) => {
    const url = new URL(issuer.origin);
    url.pathname = pathname;
    return url;
  };
  if (!path) {
    return [
      { name: 'RFC 8414', url: at('/.well-known/oauth-authorization-server') },
      { name: 'OpenID Connect', url: at('/.well-known/openid-configuration') },
    ];
  }
  return [
    { name: 'RFC 8414 (path insertion)', url: at(`/.well-known/oauth-authorization-server${path}`) },
    { name: 'OpenID Connect (path insertion)', url: at(`/.well-known/openid-configuration${path}`) },
    { name: 'OpenID Connect (path appending)', url: at(`${path}/.well-known/openid-configuration`) },
  ];
}

/**
 * Authorization server metadata for an issuer, from every well-known location in the
 * spec's order until one answers with usable metadata. A document whose `issuer` is not
 * the one asked for is never used (RFC 8414 §3.3, CL-03), and neither is one that is not
 * valid metadata (an HTML page answering 200): the next location is tried, and only when
 * none is usable does discovery fail, saying what each answered.
 */
export async function discoverAuthorizationServer(
  issuer: string,
  transport: Transport,
  signal?: AbortSignal,
  logger: Logger = silentLogger,
): Promise<oauth.AuthorizationServer> {
  let issuerAsUrl: URL;
  try {
    issuerAsUrl = new URL(issuer);
  } catch {
    throw new OAuthError('discovery_failed', `"${issuer}" is not a valid authorization server URL.`);
  }
  const refusals: string[] = [];
  let mismatched: string | undefined;
  for (const location of authorizationServerMetadataUrls(issuerAsUrl)) {
    const outcome = await transport.run(`discovery of ${issuerAsUrl.host}`, signal, async (options) => {
      const response = await plainGet(location.url, options);
      if (response.status !== 200) {
        await response.body?.cancel();
        return { refused: `HTTP ${response.status}` };
      }
      return processMetadata(issuer, issuerAsUrl, response);
    });
    if ('metadata' in outcome) {
      logger.info(`OAuth: discovered authorization server ${outcome.metadata.issuer} (${location.name})`);
      return outcome.metadata;
    }
    if (outcome.mismatch) mismatched = outcome.mismatch;
    refusals.push(`${location.name}: ${outcome.refused}`);
    logger.debug(`OAuth: ${location.name} metadata of ${issuer} not used (${outcome.refused})`);
  }
  if (mismatched !== undefined) {
    throw new OAuthError(
      'issuer_mismatch',
      `The authorization server at ${issuer} published metadata for another issuer (${mismatched.slice(0, 200)}), which is never used. Check the URL (it must be the authorization server's own address).`,
      { detail: refusals.join('; ') },
    );
  }
  throw new OAuthError(
    'discovery_failed',
    `${issuer} publishes no usable OAuth metadata (tried ${refusals.join('; ')}). Check the URL and that OAuth is enabled there.`,
    { detail: refusals.join('; ') },
  );
}

/** A GET with the step's fetch and signal (oauth4webapi has no helper for some forms). */
async function plainGet(url: URL, options: StepOptions): Promise<Response> {
  const fetchImpl = options[oauth.customFetch];
  const signal = typeof options.signal === 'function' ? options.signal(url.href) : options.signal;
  const init = { method: 'GET' as const, headers: { accept: 'application/json' }, redirect: 'manual' as const, body: undefined, signal };
  return fetchImpl ? fetchImpl(url.href, init) : fetch(url.href, init);
}

type MetadataOutcome = { metadata: oauth.AuthorizationServer } | { refused: string; mismatch?: string };

async function processMetadata(issuer: string, issuerAsUrl: URL, response: Response): Promise<MetadataOutcome> {
  let metadata: oauth.AuthorizationServer;
  try {
    metadata = await oauth.processDiscoveryResponse(issuerAsUrl, response);
  } catch (error) {
    if (error instanceof oauth.OperationProcessingError && error.code === oauth.JSON_ATTRIBUTE_COMPARISON) {
      const claimed = claimedIssuer(error.cause);
      return { refused: `metadata of another issuer${claimed ? ` (${claimed})` : ''}`, mismatch: claimed ?? 'another issuer' };
    }
    return { refused: `not valid metadata (${errorMessage(error).slice(0, 120)})` };
  }
  if (!sameIssuer(metadata.issuer, issuer)) return { refused: `metadata of another issuer (${metadata.issuer})`, mismatch: metadata.issuer };
  if (!metadata.authorization_endpoint || !metadata.token_endpoint) return { refused: 'metadata without an authorization or token endpoint' };
  return { metadata };
}

function claimedIssuer(cause: unknown): string | undefined {
  if (typeof cause !== 'object' || cause === null || !('body' in cause)) return undefined;
  const body = cause.body;
  if (typeof body !== 'object' || body === null || !('issuer' in body)) return undefined;
  return typeof body.issuer === 'string' ? body.issuer : undefined;
}

/** What a protected resource (a remote MCP server) told us about itself and its authorization server. */
export interface DiscoveredResource {
  /** The RFC 8707 resource to ask tokens for (RFC 9728 `resource`, verbatim). */
  resource: string;
  authorizationServer: oauth.AuthorizationServer;
  /** RFC 9728 `scopes_supported`, when the metadata lists them. */
  scopesSupported?: string[];
  /** The challenge discovery started from: the caller's, or the one the probe received. */
  challenge?: BearerChallenge;
}

export interface ResourceDiscoveryOptions {
  fetch?: typeof fetch;
  signal?: AbortSignal;
  timeoutMs?: number;
  allowInsecureHttp?: boolean;
  logger?: Logger;
  /**
   * The `WWW-Authenticate` value of the 401 (or 403) the caller's MCP transport received,
   * raw or parsed. Without one, discovery makes its own unauthenticated `initialize` POST.
   */
  challenge?: string | BearerChallenge;
}

/**
 * From an MCP server URL to its authorization server (MCP authorization 2025-11-25,
 * "Protected Resource Metadata Discovery"): RFC 9728 metadata at the `resource_metadata`
 * of the 401 challenge, else at the well-known URIs (path insertion, then root); then the
 * first authorization server's metadata.
 */
export async function discoverFromResource(mcpUrl: string, options: ResourceDiscoveryOptions = {}): Promise<DiscoveredResource> {
  const allowInsecureHttp = options.allowInsecureHttp ?? false;
  const transport = new Transport({ fetch: options.fetch ?? fetch, timeoutMs: options.timeoutMs ?? 30_000, allowInsecureHttp });
  return discoverResourceWith(mcpUrl, transport, {
    signal: options.signal,
    logger: options.logger ?? silentLogger,
    allowInsecureHttp,
    challenge: options.challenge,
  });
}

/** One place protected-resource metadata may be, and the `resource` it must then name (RFC 9728 §3.3). */
interface ResourceMetadataLocation {
  name: string;
  url: URL;
  expected: URL;
}

/**
 * Where to look for the protected-resource metadata of `resource`, in the spec's order:
 * the challenge's `resource_metadata` (its document must name the URL requested), the
 * path-inserted well-known URI (must name the MCP URL), then the root one (must name the
 * origin, the URL the suffix was inserted into).
 */
export function resourceMetadataLocations(resource: URL, challenge: BearerChallenge | undefined, logger: Logger = silentLogger): ResourceMetadataLocation[] {
  const locations: ResourceMetadataLocation[] = [];
  if (challenge?.resourceMetadata) {
    try {
      locations.push({ name: 'the 401 challenge', url: new URL(challenge.resourceMetadata, resource), expected: resource });
    } catch {
      logger.warn(`OAuth: ${resource.href} advertised an invalid resource_metadata URL`);
    }
  }
  const path = resource.pathname.replace(/\/+$/, '');
  if (path) {
    const inserted = new URL(resource.origin);
    inserted.pathname = `/.well-known/oauth-protected-resource${path}`;
    inserted.search = resource.search;
    locations.push({ name: 'path insertion', url: inserted, expected: resource });
  }
  const root = new URL(resource.origin);
  root.pathname = '/.well-known/oauth-protected-resource';
  locations.push({ name: 'root', url: root, expected: new URL(resource.origin) });
  return locations;
}

export interface ResourceDiscoveryStep {
  signal?: AbortSignal;
  logger: Logger;
  allowInsecureHttp: boolean;
  challenge?: string | BearerChallenge;
}

export async function discoverResourceWith(mcpUrl: string, transport: Transport, step: ResourceDiscoveryStep): Promise<DiscoveredResource> {
  const { signal, logger } = step;
  const resourceUrl = mcpResourceUrl(mcpUrl);
  assertSecureUrl(resourceUrl, step.allowInsecureHttp);

  const challenge =
    typeof step.challenge === 'string' ? parseBearerChallenge(step.challenge) : (step.challenge ?? (await probe(resourceUrl, transport, signal, logger)));
  const refusals: string[] = [];
  for (const location of resourceMetadataLocations(resourceUrl, challenge, logger)) {
    const outcome = await transport.run(
      `resource metadata of ${resourceUrl.host}`,
      signal,
      async (options): Promise<{ metadata: oauth.ResourceServer } | { refused: string }> => {
        const response = await plainGet(location.url, options);
        if (response.status !== 200) {
          await response.body?.cancel();
          return { refused: `HTTP ${response.status}` };
        }
        try {
          return { metadata: await oauth.processResourceDiscoveryResponse(location.expected, response) };
        } catch (error) {
          return { refused: `not valid for ${location.expected.href} (${errorMessage(error).slice(0, 120)})` };
        }
      },
    );
    if (!('metadata' in outcome)) {
      refusals.push(`${location.name}: ${outcome.refused}`);
      logger.debug(`OAuth: protected-resource metadata of ${resourceUrl.href} at ${location.url.href} not used (${outcome.refused})`);
      continue;
    }
    const { metadata } = outcome;
    const server = metadata.authorization_servers?.find((entry) => typeof entry === 'string' && entry.length > 0);
    if (!server)
      throw new OAuthError('discovery_failed', `${resourceUrl.href} names no authorization server in its metadata (RFC 9728 authorization_servers).`);
    logger.info(`OAuth: ${metadata.resource} is protected by ${server} (metadata from ${location.name})`);
    const authorizationServer = await discoverAuthorizationServer(server, transport, signal, logger);
    return { resource: metadata.resource, authorizationServer, scopesSupported: metadata.scopes_supported, challenge };
  }
  throw new OAuthError(
    'discovery_failed',
    `${resourceUrl.href} publishes no usable protected-resource metadata (RFC 9728; tried ${refusals.join('; ')}). Is it an OAuth-protected MCP server?`,
    { detail: refusals.join('; ') },
  );
}

/** The MCP URL as a resource: as given (the canonical URI keeps its path), without a fragment. */
function mcpResourceUrl(mcpUrl: string): URL {
  let url: URL;
  try {
    url = new URL(mcpUrl);
  } catch {
    throw new OAuthError('discovery_failed', `"${mcpUrl}" is not a valid MCP server URL.`);
  }
  url.hash = '';
  return url;
}

/**
 * What an MCP client's first request learns: an unauthenticated `initialize` POST (every
 * streamable-HTTP server takes POST; a GET may be answered 405), whose 401 names the
 * metadata. Anything else means no challenge: the well-known URIs are tried.
 */
async function probe(resource: URL, transport: Transport, signal: AbortSignal | undefined, logger: Logger): Promise<BearerChallenge | undefined> {
  const response = await transport.fetch(
    `probe of ${resource.host}`,
    resource,
    {
      method: 'POST',
      headers: { accept: 'application/json, text/event-stream', 'content-type': 'application/json', 'mcp-protocol-version': MCP_PROTOCOL_VERSION },
      body: JSON.stringify(initializeRequest()),
    },
    signal,
  );
  await response.body?.cancel().catch(() => undefined);
  const challenge = response.status === 401 || response.status === 403 ? parseBearerChallenge(response.headers.get('www-authenticate')) : undefined;
  logger.debug(`OAuth: ${resource.href} answered an unauthenticated initialize with HTTP ${response.status}${challenge ? ' and a Bearer challenge' : ''}`);
  return challenge;
}

/** The MCP protocol version the probe speaks. */
export const MCP_PROTOCOL_VERSION = '2025-11-25';

/** A JSON-RPC `initialize` request, as an MCP client's first message. */
export function initializeRequest(): Record<string, unknown> {
  return {
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: MCP_PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'lenses-mcp-vscode', version: '0' } },
  };
}

/** The `resource_metadata` parameter of a Bearer challenge (RFC 9728 §5.1). */
export function resourceMetadataParameter(header: string | null): string | undefined {
  return parseBearerChallenge(header)?.resourceMetadata;
}
