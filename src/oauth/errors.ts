/**
 * Stable error codes of the OAuth client. The VS Code layer maps each code to user
 * text in one place; messages here are plain sentences a user can act on and never
 * contain a token, a code or a verifier.
 */
export type OAuthErrorCode =
  | 'unreachable' // HQ did not answer (refused, DNS, timeout)
  | 'discovery_failed' // no usable RFC 8414 / OIDC / RFC 9728 metadata
  | 'issuer_mismatch' // metadata `issuer` differs from the discovered URL (CL-03)
  | 'pkce_unsupported' // no S256 in code_challenge_methods_supported (CL-04)
  | 'dcr_unavailable' // no registration endpoint and no configured client ID
  | 'registration_failed' // DCR answered badly (CL-08)
  | 'state_mismatch' // callback `state` differs (CL-01)
  | 'iss_mismatch' // callback `iss` differs or is missing (CL-02)
  | 'access_denied' // the user denied consent (CL-05)
  | 'authorization_failed' // any other authorization error response
  | 'browser_unavailable' // the browser could not be opened
  | 'timed_out' // the browser step took longer than its timeout (CL-06)
  | 'cancelled' // the caller aborted
  | 'token_exchange_failed' // the token endpoint refused the code
  | 'session_expired' // refresh refused (CL-11) or no such session
  | 'insecure_http'; // plain http to a non-loopback host (CL-13)

export interface OAuthErrorDetails {
  /** HTTP status of the answer that caused the error, when there was one. */
  status?: number;
  /** The OAuth `error` code the server sent (e.g. `invalid_grant`). */
  oauthError?: string;
  /** Technical detail for the log (never a secret). */
  detail?: string;
  /** The error this one wraps (an HttpError, oauth4webapi's error), kept as `cause` like the other errors. */
  cause?: unknown;
}

/** An OAuth client failure with a stable `code`. Cancellation is code `cancelled`. */
export class OAuthError extends Error {
  override readonly name = 'OAuthError';
  readonly status?: number;
  readonly oauthError?: string;
  readonly detail?: string;

  constructor(
    readonly code: OAuthErrorCode,
    message: string,
    details: OAuthErrorDetails = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.status = details.status;
    this.oauthError = details.oauthError;
    this.detail = details.detail;
  }
}

/** True for an OAuthError, optionally of one of the given codes. */
export function isOAuthError(error: unknown, ...codes: OAuthErrorCode[]): error is OAuthError {
  return error instanceof OAuthError && (codes.length === 0 || codes.includes(error.code));
}

/** No such session (never signed in, signed out, or removed meanwhile). */
export function notSignedIn(): OAuthError {
  return new OAuthError('session_expired', 'You are not signed in to Lenses. Sign in again.');
}

/** The session is over: HQ refused to renew it, or its token expired with nothing to renew it. */
export function sessionEnded(oauthError?: string): OAuthError {
  return new OAuthError('session_expired', 'Your Lenses session has ended. Sign in again.', { oauthError });
}
