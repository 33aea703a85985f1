import type { OAuthSession, RedirectStrategy, SignInOptions } from '../../oauth';
import { parseScopes, type Scope } from '../../scopes';

/**
 * A stored Lenses sign-in (granted scopes, account, tokens) as the VS Code layer sees it:
 * the core's `OAuthSession`, whose scopes are any strings, with `scopes` read as Lenses
 * scopes (read/write/delete; others dropped) and `grantedScopes` keeping all of them.
 */
export type LensesSession = Omit<OAuthSession, 'scopes'> & {
  scopes: Scope[];
  /** Every granted scope string as the authorization server wrote it (a remote server's step-up keeps them). */
  grantedScopes?: readonly string[];
};

/** Where the authorization response comes back: loopback listener, or a `vscode://` URI. */
export type RedirectChoice = RedirectStrategy;

/** The parts of `LensesOAuthClient` the VS Code layer uses, in the Lenses view; tests pass a hand-written fake. */
export interface OAuthClientPort {
  signIn(options: SignInOptions): Promise<LensesSession>;
  sessions(): Promise<LensesSession[]>;
  validSession(sessionId: string, signal?: AbortSignal): Promise<LensesSession>;
  signOut(sessionId: string): Promise<void>;
  forget(sessionId: string): Promise<void>;
}

/** The Lenses view of a core session (the one place generic scope strings become Lenses scopes). */
export function lensesSession(session: OAuthSession): LensesSession {
  return { ...session, scopes: parseScopes(session.scopes), grantedScopes: [...session.scopes] };
}

/** The stable `code` of an `OAuthError` (or any coded error), for the log. */
export function errorCode(error: unknown): string | undefined {
  if (error instanceof Error && 'code' in error && typeof error.code === 'string') return error.code;
  return undefined;
}
