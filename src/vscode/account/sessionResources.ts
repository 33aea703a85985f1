import { issuerUrl, resourceIndicator } from '../../oauth/discovery';
import type { LensesSession } from './oauthPort';

/** The RFC 8707 resource of HQ sessions for this URL (as src/oauth computes it); undefined when unset or invalid. */
export function hqResource(hqUrl: string): string | undefined {
  if (!hqUrl) return undefined;
  try {
    return resourceIndicator(issuerUrl(hqUrl));
  } catch {
    return undefined;
  }
}

/** True for a session signed in to this HQ (not to a remote MCP server, not to another HQ). */
export function isHqSession(session: LensesSession, hqUrl: string): boolean {
  return session.resource === hqResource(hqUrl);
}

/** True for a session whose resource is the remote MCP server at `mcpUrl` (same origin). */
export function isRemoteMcpSession(session: LensesSession, mcpUrl: string): boolean {
  try {
    return new URL(session.resource).origin === new URL(mcpUrl).origin;
  } catch {
    return false;
  }
}
