import { httpErrorIn, request, type OutboundResponse } from '../../http';
import { IntrospectionUnavailableError, outboundFailure } from './introspection';

export interface IntrospectionEndpointOptions {
  fetch?: typeof fetch;
  timeoutMs?: number;
}

const MAX_METADATA_BYTES = 256 * 1024;

/**
 * The `introspection_endpoint` of HQ's authorization-server metadata (RFC 8414 §2, then
 * OpenID discovery, as the sign-in finds HQ): what the embedded server introspects at,
 * instead of a path written into the code (`{issuer}/oauth2/introspect` when it names none,
 * as the official server falls back). The metadata's `issuer` must be `hqUrl`
 * (RFC 8414 §3.3), and the endpoint on HQ's origin: the request carries the user's token.
 * Throws `IntrospectionUnavailableError` saying what is wrong.
 */
export async function introspectionEndpointFromMetadata(hqUrl: string, options: IntrospectionEndpointOptions = {}): Promise<string> {
  const issuer = new URL(hqUrl);
  const path = issuer.pathname.replace(/\/+$/, '');
  const issuerId = `${issuer.origin}${path}`;
  const candidates = [`${issuer.origin}/.well-known/oauth-authorization-server${path}`, `${issuerId}/.well-known/openid-configuration`];
  for (const url of candidates) {
    const metadata = await getMetadata(options.fetch ?? fetch, url, options.timeoutMs ?? 5000);
    if (metadata === undefined) continue;
    if (typeof metadata.issuer !== 'string' || metadata.issuer.replace(/\/+$/, '') !== issuerId) {
      throw new IntrospectionUnavailableError(`The OAuth metadata at ${url} names another issuer than ${issuerId}`);
    }
    // As the official server: metadata naming no endpoint means Lenses' own path on the issuer.
    const endpoint = metadata.introspection_endpoint ?? `${issuerId}/oauth2/introspect`;
    if (typeof endpoint !== 'string')
      throw new IntrospectionUnavailableError(`Lenses HQ's OAuth metadata (${url}) has an introspection_endpoint that is not a string`);
    let parsed: URL;
    try {
      parsed = new URL(endpoint);
    } catch {
      throw new IntrospectionUnavailableError(`Lenses HQ's OAuth metadata names an introspection_endpoint that is not a URL`);
    }
    // The token goes in the request: never to another origin than the HQ it was issued by.
    if (parsed.origin !== issuer.origin)
      throw new IntrospectionUnavailableError(`Lenses HQ's introspection_endpoint ${parsed.origin} is not on ${issuer.origin}; refusing to send tokens there`);
    return parsed.href;
  }
  throw new IntrospectionUnavailableError(`Lenses HQ at ${issuerId} publishes no OAuth metadata (tried RFC 8414 and OpenID discovery)`);
}

/** The one HTTP call: GET a metadata document; undefined when it is not there (404 and the like). */
async function getMetadata(fetchImpl: typeof fetch, url: string, timeoutMs: number): Promise<Record<string, unknown> | undefined> {
  let response: OutboundResponse;
  try {
    // No token goes with it; a redirect is an answer like any other non-200 (not there).
    response = await request(
      url,
      { headers: { Accept: 'application/json' } },
      { fetch: fetchImpl, timeoutMs, maxResponseBytes: MAX_METADATA_BYTES, allowInsecureHttp: true },
    );
  } catch (error) {
    if (httpErrorIn(error)?.code === 'redirected') return undefined;
    throw new IntrospectionUnavailableError(`Lenses HQ's OAuth metadata (${url}) ${outboundFailure(error)}`);
  }
  if (response.status !== 200) return undefined;
  try {
    const parsed: unknown = JSON.parse(response.text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new IntrospectionUnavailableError(`Lenses HQ's OAuth metadata (${url}) is not a JSON object`);
}
