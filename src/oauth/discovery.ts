import * as oauth from 'oauth4webapi';
import { errorMessage } from '../errors';
import { silentLogger, type Logger } from '../log';
import { OAuthError } from './errors';
import { assertSecureUrl, Transport } from './transport';

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
 * Authorization server metadata for an issuer, tried in the MCP authorization spec's
 * order: RFC 8414 (path insertion), OIDC path insertion, OIDC path appending; for an
 * issuer without a path just RFC 8414 then OIDC. The `issuer` must equal the URL
 * (RFC 8414 §3.3, CL-03).
 */
export async function discoverAuthorizationServer(issuer: URL, transport: Transport, signal?: AbortSignal, logger: Logger = silentLogger): Promise<oauth.AuthorizationServer> {
  const hasPath = issuer.pathname !== '/';
  const attempts: Array<{ name: string; request: (options: Parameters<typeof oauth.discoveryRequest>[1]) => Promise<Response> }> = [
    { name: 'RFC 8414', request: (options) => oauth.discoveryRequest(issuer, { ...options, algorithm: 'oauth2' }) },
  ];
  if (hasPath) {
    const inserted = new URL(`/.well-known/openid-configuration${issuer.pathname}`, issuer);
    attempts.push({ name: 'OIDC (path insertion)', request: (options) => plainGet(inserted, options) });
  }
  attempts.push({ name: 'OIDC', request: (options) => oauth.discoveryRequest(issuer, { ...options, algorithm: 'oidc' }) });

  // One step, one timeout, however many well-known URLs are tried.
  const metadata = await transport.run(`discovery of ${issuer.host}`, signal, async (options) => {
    for (const attempt of attempts) {
      const response = await attempt.request(options);
      if (response.status === 200) {
        const found = await processMetadata(issuer, response);
        logger.info(`OAuth: discovered authorization server ${found.issuer} (${attempt.name})`);
        return found;
      }
      await response.body?.cancel();
      logger.debug(`OAuth: ${attempt.name} metadata of ${issuer.href} answered HTTP ${response.status}`);
    }
    return undefined;
  });
  if (metadata) return metadata;
  throw new OAuthError('discovery_failed', `${issuer.href} publishes no OAuth metadata (tried RFC 8414 and OpenID discovery). Check the Lenses HQ URL and that OAuth is enabled in HQ.`);
}

async function plainGet(url: URL, options: Parameters<typeof oauth.discoveryRequest>[1]): Promise<Response> {
  const fetchImpl = options?.[oauth.customFetch];
  const signal = typeof options?.signal === 'function' ? options.signal(url.href) : options?.signal;
  const init = { method: 'GET' as const, headers: { accept: 'application/json' }, redirect: 'manual' as const, body: undefined, signal };
  return fetchImpl ? fetchImpl(url.href, init) : fetch(url.href, init);
}

async function processMetadata(issuer: URL, response: Response): Promise<oauth.AuthorizationServer> {
  let metadata: oauth.AuthorizationServer;
  try {
    metadata = await oauth.processDiscoveryResponse(issuer, response);
  } catch (error) {
    if (error instanceof oauth.OperationProcessingError && error.code === oauth.JSON_ATTRIBUTE_COMPARISON) {
      throw new OAuthError('issuer_mismatch', `The authorization server at ${issuer.href} claims to be a different issuer. Check the Lenses HQ URL (it must be HQ's own address).`, { detail: error.message });
    }
    throw new OAuthError('discovery_failed', `The OAuth metadata of ${issuer.href} is not valid.`, { detail: errorMessage(error) });
  }
  if (!metadata.authorization_endpoint || !metadata.token_endpoint) {
    throw new OAuthError('discovery_failed', `The OAuth metadata of ${issuer.href} names no authorization or token endpoint.`);
  }
  return metadata;
}

/** What a protected resource (a remote MCP server) told us about itself and its authorization server. */
export interface DiscoveredResource {
  /** The RFC 8707 resource to ask tokens for (RFC 9728 `resource`). */
  resource: string;
  authorizationServer: oauth.AuthorizationServer;
  scopesSupported?: string[];
}

export interface ResourceDiscoveryOptions {
  fetch?: typeof fetch;
  signal?: AbortSignal;
  timeoutMs?: number;
  allowInsecureHttp?: boolean;
  logger?: Logger;
}

/**
 * From an MCP server URL to its authorization server: RFC 9728 protected-resource
 * metadata named by the `resource_metadata` of a 401's WWW-Authenticate, else at the
 * well-known paths (path insertion, then root); then the first authorization server's
 * metadata (RFC 8414 / OIDC).
 */
export async function discoverFromResource(mcpUrl: string, options: ResourceDiscoveryOptions = {}): Promise<DiscoveredResource> {
  const allowInsecureHttp = options.allowInsecureHttp ?? false;
  const transport = new Transport({ fetch: options.fetch ?? fetch, timeoutMs: options.timeoutMs ?? 30_000, allowInsecureHttp });
  return discoverResourceWith(mcpUrl, transport, options.signal, options.logger ?? silentLogger, allowInsecureHttp);
}

export async function discoverResourceWith(mcpUrl: string, transport: Transport, signal: AbortSignal | undefined, logger: Logger, allowInsecureHttp: boolean): Promise<DiscoveredResource> {
  const resourceUrl = issuerUrl(mcpUrl);
  assertSecureUrl(resourceUrl, allowInsecureHttp);

  const candidates: URL[] = [];
  const challenge = await transport.fetch(`probe of ${resourceUrl.host}`, resourceUrl, { method: 'GET', headers: { accept: 'application/json, text/event-stream' } }, signal);
  await challenge.body?.cancel();
  const advertised = challenge.status === 401 ? resourceMetadataParameter(challenge.headers.get('www-authenticate')) : undefined;
  if (advertised) {
    try {
      candidates.push(new URL(advertised, resourceUrl));
    } catch {
      logger.warn(`OAuth: ${resourceUrl.href} advertised an invalid resource_metadata URL`);
    }
  }
  const inserted = new URL(resourceUrl.href);
  inserted.pathname = resourceUrl.pathname === '/' ? '/.well-known/oauth-protected-resource' : `/.well-known/oauth-protected-resource${resourceUrl.pathname}`;
  candidates.push(inserted, new URL('/.well-known/oauth-protected-resource', resourceUrl));

  for (const candidate of candidates) {
    const metadata = await transport.run(`resource metadata of ${resourceUrl.host}`, signal, async (stepOptions) => {
      const response = await plainGet(candidate, stepOptions);
      if (response.status !== 200) {
        await response.body?.cancel();
        return undefined;
      }
      try {
        return await oauth.processResourceDiscoveryResponse(resourceUrl, response);
      } catch (error) {
        throw new OAuthError('discovery_failed', `The protected-resource metadata of ${resourceUrl.href} is not valid or names another resource.`, { detail: errorMessage(error) });
      }
    });
    if (!metadata) continue;
    const server = metadata.authorization_servers?.[0];
    if (!server) throw new OAuthError('discovery_failed', `${resourceUrl.href} names no authorization server in its metadata.`);
    logger.info(`OAuth: ${metadata.resource} is protected by ${server}`);
    const authorizationServer = await discoverAuthorizationServer(issuerUrl(server), transport, signal, logger);
    return { resource: metadata.resource, authorizationServer, scopesSupported: metadata.scopes_supported };
  }
  throw new OAuthError('discovery_failed', `${resourceUrl.href} publishes no protected-resource metadata (RFC 9728). Is it an OAuth-protected MCP server?`);
}

/** The `resource_metadata` parameter of a Bearer challenge (RFC 9728 §5.1). */
export function resourceMetadataParameter(header: string | null): string | undefined {
  if (!header) return undefined;
  const match = /(?:^|[\s,])resource_metadata\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/i.exec(header);
  if (!match) return undefined;
  return (match[1] ?? match[2]).replace(/\\(.)/g, '$1');
}
