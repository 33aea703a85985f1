import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ALL_SCOPES } from '../../src/scopes';
import type { Principal } from '../api/index';
import type { AuthorizationServer } from './authorizationServer';

/** The bearer token of a request: exactly one `Authorization: Bearer …` header, else undefined. */
export function bearerToken(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i.exec(header.trim());
  return match?.[1];
}

/**
 * Authenticates Lenses API calls the way HQ does: the static API key (all scopes,
 * subject "api-key"), or a live OAuth access token issued by this HQ (any audience:
 * the MCP server forwards the user's token as is).
 */
export function createAuthenticator(apiKey: string, server: Pick<AuthorizationServer, 'accessTokenHolder'>) {
  const key = Buffer.from(apiKey);
  return async function authenticate(request: IncomingMessage): Promise<Principal | undefined> {
    const token = bearerToken(request);
    if (!token) return undefined;
    const candidate = Buffer.from(token);
    if (candidate.length === key.length && timingSafeEqual(candidate, key)) {
      return { subject: 'api-key', scopes: new Set(ALL_SCOPES), via: 'api-key' };
    }
    const holder = await server.accessTokenHolder(token);
    return holder ? { subject: holder.accountId, scopes: new Set(holder.scopes), via: 'oauth' } : undefined;
  };
}
