import { fingerprint, type Logger } from '../../log';
import type { LensesSession } from './oauthPort';
import type { SessionEndCause } from './sessionEnd';
import { originOf } from '../settings';

/** What HQ says of a stored session's access token. */
export type SessionCheck = 'active' | 'inactive' | 'unreachable';

/** What "Lenses: Sign In" did. */
export type SignInOutcome = 'started' | 'already-signed-in';

export interface SignInDependencies {
  /** The current session, refreshed if due (undefined when none, or when the refresh was refused: it ended). */
  validCurrentSession(): Promise<LensesSession | undefined>;
  /** `lenses.url`, named when it could not be reached. */
  hqUrl(): string;
  /** RFC 7662 introspection of the session's access token at HQ: one cheap call. */
  checkWithHq(session: LensesSession): Promise<SessionCheck>;
  /** CL-19: forget the session HQ no longer accepts. */
  endSession(cause: SessionEndCause, accessToken: string): Promise<boolean>;
  /** A fresh browser sign-in through the provider's own `createSession` (no VS Code consent modal). */
  startSignIn(): Promise<void>;
  /** "Already signed in as …" with "Change Granted Scopes…"; true when that was picked. */
  showAlreadySignedIn(text: string): Promise<boolean>;
  changeScopes(): Promise<void>;
  logger: Logger;
}

/** "admin (read write)" */
export function describeAccount(session: Pick<LensesSession, 'account' | 'scopes'>): string {
  return `${session.account.label} (${session.scopes.length > 0 ? session.scopes.join(' ') : 'no scopes'})`;
}

/**
 * "Lenses: Sign In", the notification's Sign In and the welcome button: always signs in.
 * A stored session is checked with HQ first; one HQ no longer accepts is forgotten and a
 * fresh browser sign-in starts (CL-19). A live one is kept, and the user is told so, with
 * the way to other scopes. An unreachable HQ keeps the session (it may be fine) and says so.
 */
export async function signIn(dependencies: SignInDependencies): Promise<SignInOutcome> {
  let session: LensesSession | undefined;
  try {
    session = await dependencies.validCurrentSession();
  } catch (error) {
    // HQ could not renew it right now: the session is kept; say so rather than sign in over it.
    dependencies.logger.warn(`Could not check the Lenses session: ${error instanceof Error ? error.message : String(error)}`);
    return 'already-signed-in';
  }
  if (session) {
    const check = await dependencies.checkWithHq(session);
    dependencies.logger.info(`Sign In: HQ says token ${fingerprint(session.accessToken)} is ${check}`);
    if (check === 'inactive') {
      await dependencies.endSession('inactive', session.accessToken);
    } else {
      const note = check === 'unreachable' ? ` Lenses HQ at ${originOf(dependencies.hqUrl())} could not be reached to check the session.` : '';
      if (await dependencies.showAlreadySignedIn(`Already signed in to Lenses as ${describeAccount(session)}.${note}`)) await dependencies.changeScopes();
      return 'already-signed-in';
    }
  }
  await dependencies.startSignIn();
  return 'started';
}
