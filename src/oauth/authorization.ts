import * as oauth from 'oauth4webapi';
import { errorMessage } from '../errors';
import { OAuthError } from './errors';
import { isClientRejection } from './registration';

/** One authorization request and the secrets needed to finish it (never logged). */
export interface AuthorizationRequest {
  url: URL;
  state: string;
  codeVerifier: string;
  redirectUri: string;
}

/** Refuses an authorization server that does not offer PKCE S256 (CL-04). */
export function assertPkceS256(as: oauth.AuthorizationServer): void {
  if (!as.code_challenge_methods_supported?.includes('S256')) {
    throw new OAuthError(
      'pkce_unsupported',
      `The authorization server ${as.issuer} does not advertise PKCE S256, so signing in would not be safe. Ask your Lenses admin to enable PKCE.`,
    );
  }
}

/**
 * The authorization code request (RFC 6749 §4.1.1) with PKCE S256 (RFC 7636),
 * `state`, the resource indicator (RFC 8707 §2), and `scope` only when there is one.
 */
export async function buildAuthorizationRequest(
  as: oauth.AuthorizationServer,
  clientId: string,
  redirectUri: string,
  scopes: readonly string[],
  resource: string,
): Promise<AuthorizationRequest> {
  assertPkceS256(as);
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const url = new URL(as.authorization_endpoint ?? '');
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', clientId);
  url.searchParams.set('redirect_uri', redirectUri);
  // Nothing to ask for: `scope` is left out, never sent empty (MCP scope selection, step 3).
  if (scopes.length > 0) url.searchParams.set('scope', scopes.join(' '));
  url.searchParams.set('state', state);
  url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(codeVerifier));
  url.searchParams.set('code_challenge_method', 'S256');
  url.searchParams.set('resource', resource);
  return { url, state, codeVerifier, redirectUri };
}

/** An authorization error saying HQ does not know or accept the client. */
export class ClientRejectedError extends OAuthError {}

/**
 * Validates the authorization response: `iss` (RFC 9207 §2.4, CL-02), `state`
 * (CL-01), then errors (CL-05). Returns the parameters for the code exchange.
 */
export function validateCallback(as: oauth.AuthorizationServer, clientId: string, callback: URL, expectedState: string): URLSearchParams {
  const params = callback.searchParams;
  const iss = params.get('iss');
  if (iss !== null ? iss !== as.issuer : as.authorization_response_iss_parameter_supported === true) {
    throw new OAuthError('iss_mismatch', 'The sign-in response did not come from the expected Lenses HQ (issuer mismatch). Nothing was exchanged; try again.');
  }
  if (params.get('state') !== expectedState) {
    throw new OAuthError('state_mismatch', 'The sign-in response does not belong to this sign-in (state mismatch). Nothing was exchanged; try again.');
  }
  const error = params.get('error');
  if (error === 'access_denied') {
    throw new OAuthError('access_denied', 'Sign-in was cancelled in the browser.', { oauthError: error });
  }
  if (error !== null) {
    const description = params.get('error_description');
    const message = `Lenses HQ refused the sign-in (${error}${description ? `: ${description.slice(0, 200)}` : ''}).`;
    if (isClientRejection(error)) throw new ClientRejectedError('authorization_failed', message, { oauthError: error });
    throw new OAuthError('authorization_failed', message, { oauthError: error });
  }
  if (!params.get('code')) throw new OAuthError('authorization_failed', 'The sign-in response carried no authorization code.');
  try {
    return oauth.validateAuthResponse(as, { client_id: clientId }, params, expectedState);
  } catch (error) {
    throw new OAuthError('authorization_failed', 'The sign-in response is not valid.', { detail: errorMessage(error), cause: error });
  }
}
