import type { Scope } from '../../src/scopes';
import { ApiProblem } from './http';
import type { Principal } from './routes';

/** The access problems every route shares (RFC 6750 §3 challenges on 401/403). */

export function unauthorized(tokenSent: boolean): ApiProblem {
  return new ApiProblem(
    401,
    'unauthorized',
    'Unauthorized',
    tokenSent ? 'The bearer token is not valid, has expired or was revoked' : 'A bearer token is required (Authorization: Bearer <token>)',
    undefined,
    { 'WWW-Authenticate': tokenSent ? 'Bearer realm="lenses", error="invalid_token"' : 'Bearer realm="lenses"' },
  );
}

export function forbidden(needed: Scope, principal: Principal): ApiProblem {
  const held = [...principal.scopes].join(' ');
  return new ApiProblem(403, 'insufficient-scope', 'Forbidden', `This operation needs the '${needed}' scope; the token has: ${held || 'none'}`, undefined, {
    'WWW-Authenticate': `Bearer realm="lenses", error="insufficient_scope", scope="${needed}"`,
  });
}

/** 404 for a proxy call to an environment HQ does not have. */
export function environmentNotFound(name: string): ApiProblem {
  return new ApiProblem(404, 'not-found', 'Not Found', `Environment '${name}' does not exist`);
}

/** 503 for a proxy call to an environment whose agent is not connected. */
export function agentNotConnected(name: string): ApiProblem {
  return new ApiProblem(
    503,
    'agent-not-connected',
    'Agent not connected',
    `The agent of environment '${name}' is not connected, so its Lenses API cannot be reached`,
  );
}
