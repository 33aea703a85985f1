import type { LensesOAuthClient, OAuthSession, RedirectStrategy } from '../oauth';

/** A stored Lenses sign-in (granted scopes, account, tokens): `OAuthSession` of src/oauth. */
export type LensesSession = OAuthSession;

/** Where the authorization response comes back: loopback listener, or a `vscode://` URI. */
export type RedirectChoice = RedirectStrategy;

/** The parts of `LensesOAuthClient` the VS Code layer uses; tests pass a hand-written fake. */
export type OAuthClientPort = Pick<LensesOAuthClient, 'signIn' | 'sessions' | 'validSession' | 'signOut' | 'forget'>;

/** The stable `code` of an `OAuthError` (or any coded error), for the log. */
export function errorCode(error: unknown): string | undefined {
  if (error instanceof Error && 'code' in error && typeof error.code === 'string') return error.code;
  return undefined;
}
