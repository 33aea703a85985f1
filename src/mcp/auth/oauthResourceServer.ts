import type { IncomingMessage } from 'node:http';
import { fingerprint, silentLogger, type Logger } from '../../log';
import { ALL_SCOPES, parseScopes, type Scope } from '../../scopes';
import type { RequestAuthentication, RequestAuthenticator } from './authentication';
import { IntrospectionUnavailableError, type TokenIntrospector } from './introspection';

export interface OAuthResourceServerOptions {
  /** Our resource identifier: `MCP_ADVERTISED_URL` + `/mcp` (RFC 8707 / RFC 9728 `resource`). */
  resource: string;
  /** The PRM URL advertised in challenges (`resource_metadata`). */
  resourceMetadataUrl: string;
  /** `MCP_SCOPES`: what a 401 asks for. */
  scopes: readonly Scope[];
  introspector: TokenIntrospector;
  now?: () => number;
  logger?: Logger;
}

const MAX_AUTHORIZATION_BYTES = 8 * 1024;
/** RFC 6750 §2.1 b64token. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/**
 * OAuth 2.1 resource server (MCP authorization spec): bearer from the Authorization header
 * only (RFC 6750 §2.1), validated by RFC 7662 introspection at HQ, RFC 6750 §3 challenges
 * with RFC 9728 `resource_metadata`. Fails closed (503 with `Retry-After`) when introspection
 * cannot answer or is at its cap (RS-11, RS-19).
 */
export class OAuthResourceServerAuthenticator implements RequestAuthenticator {
  private readonly now: () => number;
  private readonly logger: Logger;

  constructor(private readonly options: OAuthResourceServerOptions) {
    this.now = options.now ?? Date.now;
    this.logger = options.logger ?? silentLogger;
  }

  async authenticate(request: IncomingMessage): Promise<RequestAuthentication> {
    const headers = authorizationHeaders(request);
    if (headers.length === 0) return this.unauthorized('Authorization required: send "Authorization: Bearer <token>"', false);
    // RS-08: refused on the header alone, before any introspection.
    if (headers.length > 1) return this.badRequest('Send exactly one Authorization header');
    const header = headers[0];
    if (Buffer.byteLength(header) > MAX_AUTHORIZATION_BYTES) return this.badRequest('The Authorization header is larger than 8 KiB');
    const match = /^(\S+)(?: +(.*))?$/.exec(header.trim());
    if (!match || match[1].toLowerCase() !== 'bearer') return this.unauthorized('Only the Bearer authorization scheme is accepted', false);
    const token = (match[2] ?? '').trim();
    if (!token || !B64TOKEN.test(token)) return this.badRequest('The bearer token is empty or malformed');

    let answer;
    try {
      answer = await this.options.introspector.introspect(token);
    } catch (error) {
      if (error instanceof IntrospectionUnavailableError) {
        const retry = error.retryAfterSeconds;
        return {
          kind: 'rejected',
          status: 503,
          headers: { 'Retry-After': String(retry) },
          message: `Cannot validate the access token right now: ${error.message}. Try again in ${retry} s.`,
        };
      }
      throw error;
    }
    const problem = this.refusal(answer);
    if (problem) {
      this.logger.info(`Refused token ${fingerprint(token)}: ${problem}`);
      return this.unauthorized(`The access token is not valid: ${problem}`, true);
    }
    // The MCP session is bound to this subject: never leave it empty, or any valid token could use another's session.
    const subject = answer.sub ?? answer.username ?? (answer.client_id ? `client:${answer.client_id}` : `token:${fingerprint(token)}`);
    return { kind: 'granted', token, scopes: new Set(parseScopes(answer.scope)), subject };
  }

  insufficientScope(held: ReadonlySet<Scope>, needed: Scope): { status: number; headers: Record<string, string>; message: string } {
    const union = ALL_SCOPES.filter((scope) => held.has(scope) || scope === needed).join(' ');
    return {
      status: 403,
      headers: { 'WWW-Authenticate': `Bearer error="insufficient_scope", scope="${union}", resource_metadata="${this.options.resourceMetadataUrl}"` },
      message: `This tool needs the "${needed}" scope; sign in again granting "${union}".`,
    };
  }

  tokenRejected(token: string): void {
    this.options.introspector.evict(token);
  }

  private refusal(answer: { active: boolean; exp?: number; token_type?: string; aud?: string | string[] }): string | undefined {
    if (answer.active !== true) return 'inactive (unknown, expired or revoked)';
    if (typeof answer.exp !== 'number' || answer.exp * 1000 <= this.now()) return 'expired';
    if (answer.token_type !== undefined && answer.token_type.toLowerCase() !== 'bearer') return `not an access token (${answer.token_type})`;
    if (answer.aud !== undefined) {
      const audiences = Array.isArray(answer.aud) ? answer.aud : [answer.aud];
      if (!audiences.includes(this.options.resource)) return 'issued for another resource';
    }
    return undefined;
  }

  private challenge(invalidToken: boolean): string {
    const error = invalidToken ? 'error="invalid_token", ' : '';
    return `Bearer ${error}resource_metadata="${this.options.resourceMetadataUrl}", scope="${this.options.scopes.join(' ')}"`;
  }

  private unauthorized(message: string, invalidToken: boolean): RequestAuthentication {
    return { kind: 'rejected', status: 401, headers: { 'WWW-Authenticate': this.challenge(invalidToken) }, message };
  }

  private badRequest(message: string): RequestAuthentication {
    return {
      kind: 'rejected',
      status: 400,
      headers: { 'WWW-Authenticate': `Bearer error="invalid_request", resource_metadata="${this.options.resourceMetadataUrl}"` },
      message,
    };
  }
}

/** Every Authorization header as sent (Node joins nothing for it, but a repeat must be seen). */
function authorizationHeaders(request: IncomingMessage): string[] {
  const values: string[] = [];
  for (let i = 0; i < request.rawHeaders.length; i += 2) {
    if (request.rawHeaders[i].toLowerCase() === 'authorization') values.push(request.rawHeaders[i + 1]);
  }
  return values;
}
