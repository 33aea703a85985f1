import type { Logger } from '../../log';
import type { IntrospectorFor } from '../../mcp/auth/embeddedAuthenticator';
import { IntrospectionUnavailableError, TokenIntrospector } from '../../mcp/auth/introspection';
import { introspectionEndpointFromMetadata } from '../../mcp/auth/introspectionEndpoint';
import type { SessionCheck } from '../account/signIn';

/**
 * RFC 7662 introspectors of the embedded server, one per HQ (the sessions name theirs, and
 * `lenses.url` may change), so a cached answer of one HQ never stands for another.
 */
export function introspectorsPerHq(defaultHqUrl: string, cacheTtlSeconds: number, logger: Logger, timeoutMs?: number): IntrospectorFor {
  const introspectors = new Map<string, TokenIntrospector>();
  return (hqUrl) => {
    const base = hqUrl ?? defaultHqUrl;
    let introspector = introspectors.get(base);
    if (!introspector) {
      // The endpoint comes from HQ's metadata, not a fixed path (issue 9, point 9).
      introspector = new TokenIntrospector({ url: () => introspectionEndpointFromMetadata(base), cacheTtlSeconds, logger, timeoutMs });
      introspectors.set(base, introspector);
    }
    return introspector;
  };
}

/** Sign In's cheap check of a stored session: one uncached RFC 7662 introspection at HQ. */
export async function checkSessionWithHq(hqUrl: string, accessToken: string, fetchImpl?: typeof fetch): Promise<SessionCheck> {
  try {
    const answer = await new TokenIntrospector({
      url: () => introspectionEndpointFromMetadata(hqUrl, { fetch: fetchImpl }),
      cacheTtlSeconds: 0,
      fetch: fetchImpl,
    }).introspect(accessToken);
    return answer.active ? 'active' : 'inactive';
  } catch (error) {
    if (error instanceof IntrospectionUnavailableError) return 'unreachable';
    throw error;
  }
}
