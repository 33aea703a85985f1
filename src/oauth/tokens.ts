import * as oauth from 'oauth4webapi';
import { errorMessage } from '../errors';
import { fingerprint, type Logger } from '../log';
import { oauthClientOf, type TokenClient } from './clientAuth';
import { OAuthError } from './errors';
import { splitScope } from './scopeSelection';
import type { Transport } from './transport';

/** Tokens from one token-endpoint answer. */
export interface TokenSet {
  accessToken: string;
  refreshToken?: string;
  /** Epoch ms. */
  expiresAt: number;
  /** Granted: the answer's `scope`, else the asked ones (RFC 6749 §5.1); any scope strings. */
  scopes: string[];
}

/** Default lifetime when HQ sends no `expires_in` (HQ's tokens live an hour). */
const DEFAULT_EXPIRES_IN_S = 3600;

function toTokenSet(response: oauth.TokenEndpointResponse, asked: readonly string[], now: number, previousRefresh?: string): TokenSet {
  return {
    accessToken: response.access_token,
    // no refresh_token in a refresh answer = the old one stays valid (RFC 6749 §6)
    refreshToken: response.refresh_token ?? previousRefresh,
    expiresAt: now + (response.expires_in ?? DEFAULT_EXPIRES_IN_S) * 1000,
    scopes: response.scope !== undefined ? splitScope(response.scope) : [...asked],
  };
}

/**
 * The token endpoint's refusal as an OAuthError with its `error` code. A 401 with
 * `WWW-Authenticate` (a confidential client whose secret was refused, RFC 6749 §5.2
 * `invalid_client`) comes from oauth4webapi as a challenge error; its body still says why.
 */
async function tokenFailure(code: 'token_exchange_failed' | 'session_expired', message: string, error: unknown): Promise<OAuthError> {
  if (error instanceof OAuthError) return error;
  if (error instanceof oauth.WWWAuthenticateChallengeError) {
    const oauthError = await challengeBodyError(error.response);
    return new OAuthError(code, `${message} (${oauthError ?? `HTTP ${error.status}`})`, {
      status: error.status,
      oauthError,
      detail: errorMessage(error),
      cause: error,
    });
  }
  const body = error instanceof oauth.ResponseBodyError ? error : undefined;
  return new OAuthError(code, body ? `${message} (${body.error})` : message, {
    status: body?.status,
    oauthError: body?.error,
    detail: errorMessage(error),
    cause: error,
  });
}

async function challengeBodyError(response: Response): Promise<string | undefined> {
  try {
    const body: unknown = await response.json();
    return typeof body === 'object' && body !== null && 'error' in body && typeof body.error === 'string' ? body.error.slice(0, 80) : undefined;
  } catch {
    return undefined;
  }
}

/** Exchanges the code (RFC 6749 §4.1.3) with the PKCE verifier and the resource (RFC 8707 §2.2). */
export async function exchangeCode(
  transport: Transport,
  as: oauth.AuthorizationServer,
  tokenClient: TokenClient,
  callbackParams: URLSearchParams,
  redirectUri: string,
  codeVerifier: string,
  resource: string,
  asked: readonly string[],
  now: () => number,
  signal?: AbortSignal,
): Promise<TokenSet> {
  const client = oauthClientOf(tokenClient);
  return transport.run('code exchange', signal, async (options) => {
    const response = await oauth.authorizationCodeGrantRequest(as, client, tokenClient.auth, callbackParams, redirectUri, codeVerifier, {
      ...options,
      additionalParameters: { resource },
    });
    try {
      return toTokenSet(await oauth.processAuthorizationCodeResponse(as, client, response), asked, now());
    } catch (error) {
      throw await tokenFailure('token_exchange_failed', 'Lenses HQ refused to complete the sign-in', error);
    }
  });
}

/** Refreshes (RFC 6749 §6) with the resource; `invalid_grant` keeps its oauthError for the caller. */
export async function refreshTokens(
  transport: Transport,
  as: oauth.AuthorizationServer,
  tokenClient: TokenClient,
  refreshToken: string,
  resource: string,
  previousScopes: readonly string[],
  now: () => number,
  signal?: AbortSignal,
): Promise<TokenSet> {
  const client = oauthClientOf(tokenClient);
  return transport.run('token refresh', signal, async (options) => {
    const response = await oauth.refreshTokenGrantRequest(as, client, tokenClient.auth, refreshToken, {
      ...options,
      additionalParameters: { resource },
    });
    try {
      return toTokenSet(await oauth.processRefreshTokenResponse(as, client, response), previousScopes, now(), refreshToken);
    } catch (error) {
      throw await tokenFailure('session_expired', 'Lenses HQ refused to renew the session', error);
    }
  });
}

/** Revokes one token (RFC 7009 §2.1). */
export async function revokeToken(
  transport: Transport,
  as: oauth.AuthorizationServer,
  tokenClient: TokenClient,
  token: string,
  hint: 'access_token' | 'refresh_token',
  signal?: AbortSignal,
): Promise<void> {
  if (!as.revocation_endpoint) throw new OAuthError('discovery_failed', `${as.issuer} has no revocation endpoint.`);
  await transport.run('revocation', signal, async (options) => {
    const response = await oauth.revocationRequest(as, oauthClientOf(tokenClient), tokenClient.auth, token, {
      ...options,
      additionalParameters: { token_type_hint: hint },
    });
    await oauth.processRevocationResponse(response);
  });
}

/** No client authentication: HQ allows unauthenticated introspection (a public client has nothing to authenticate with). */
const unauthenticated: oauth.ClientAuth = () => {};

/**
 * The account behind an access token, by RFC 7662 introspection (unauthenticated for a
 * public client, as HQ allows; with its secret for a confidential one): `sub` is the id,
 * `username` the label. "Lenses user" when HQ will not say.
 */
export async function introspectAccount(
  transport: Transport,
  as: oauth.AuthorizationServer,
  tokenClient: TokenClient,
  accessToken: string,
  logger: Logger,
  signal?: AbortSignal,
): Promise<{ id: string; label: string }> {
  const fallback = { id: 'lenses-user', label: 'Lenses user' };
  if (!as.introspection_endpoint) return fallback;
  const client = oauthClientOf(tokenClient);
  const auth = tokenClient.method === 'none' ? unauthenticated : tokenClient.auth;
  try {
    const answer = await transport.run('introspection', signal, async (options) => {
      const response = await oauth.introspectionRequest(as, client, auth, accessToken, {
        ...options,
        additionalParameters: { token_type_hint: 'access_token' },
      });
      return oauth.processIntrospectionResponse(as, client, response);
    });
    if (!answer.active) return fallback;
    const id = typeof answer.sub === 'string' && answer.sub ? answer.sub : undefined;
    const name = typeof answer.username === 'string' && answer.username ? answer.username : undefined;
    if (!id && !name) return fallback;
    return { id: id ?? name ?? fallback.id, label: name ?? id ?? fallback.label };
  } catch (error) {
    if (error instanceof OAuthError && error.code === 'cancelled') throw error;
    logger.warn(`OAuth: could not introspect token ${fingerprint(accessToken)} for the account name: ${errorMessage(error)}`);
    return fallback;
  }
}
