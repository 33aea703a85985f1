import type { Logger } from '../../log';
import { ALL_SCOPES, type Scope } from '../../scopes';
import type { LensesSession } from './oauthPort';
import type { UserMessage } from '../userMessages';

export interface ScopeChangeDependencies {
  currentSession(): Promise<LensesSession | undefined>;
  /** The scopes asked for when there is no session (`lenses.oauth.scopes`). */
  configuredScopes(): readonly Scope[];
  /** A multi-select pick of read/write/delete with `ticked` ticked; undefined when dismissed. */
  pickScopes(ticked: readonly Scope[]): Promise<Scope[] | undefined>;
  /** Signs out: revokes the session's grant at HQ (RFC 7009) and forgets it. */
  signOut(sessionId: string): Promise<void>;
  /** The browser sign-in for `scopes` (shows its own errors; throws on failure or cancel). */
  signIn(scopes: readonly Scope[]): Promise<LensesSession | { scopes: readonly string[] }>;
  showMessage(severity: 'error' | 'warning' | 'info', message: UserMessage): void;
  logger: Logger;
}

/** What "Lenses: Change Granted Scopes…" did. */
export type ScopeChangeOutcome = 'changed' | 'unchanged' | 'cancelled' | 'failed';

/**
 * "Lenses: Change Granted Scopes…": pick the scopes (the granted ones ticked), then the old
 * grant is revoked and HQ asks for consent again; the new session replaces the old one and
 * the tool list follows through the provider's change event. The old grant goes first: HQ
 * may reuse a grant for a second consent in the same browser, and revoking the old tokens
 * afterwards would then end the new session too.
 */
export async function changeGrantedScopes(dependencies: ScopeChangeDependencies): Promise<ScopeChangeOutcome> {
  const current = await dependencies.currentSession();
  const ticked = current ? current.scopes : dependencies.configuredScopes();
  const picked = await dependencies.pickScopes(ticked);
  if (!picked) return 'cancelled';
  const wanted = ALL_SCOPES.filter((scope) => picked.includes(scope));
  if (wanted.length === 0) {
    dependencies.showMessage('warning', { text: 'Pick at least one Lenses scope (read, write or delete).', actions: [] });
    return 'cancelled';
  }
  if (current && sameScopes(current.scopes, wanted)) {
    dependencies.showMessage('info', { text: `Lenses already holds ${wanted.join(' ')} for ${current.account.label}: nothing changed.`, actions: [] });
    return 'unchanged';
  }
  if (current) {
    dependencies.logger.info(
      `Changing the granted scopes of ${current.account.label} from [${current.scopes.join(' ')}] to [${wanted.join(' ')}]: revoking the old grant first`,
    );
    await dependencies.signOut(current.id);
  }
  try {
    const session = await dependencies.signIn(wanted);
    dependencies.logger.info(`Granted scopes are now [${session.scopes.join(' ')}]`);
    return 'changed';
  } catch {
    // signIn told the user why (or they cancelled); say where that leaves them.
    if (current)
      dependencies.showMessage('warning', {
        text: 'The scope change was not completed, and the earlier Lenses session was ended. Sign in to keep using the Lenses tools.',
        actions: ['signIn'],
      });
    return 'failed';
  }
}

function sameScopes(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((scope) => b.includes(scope));
}
