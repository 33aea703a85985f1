import { COMMAND, FOCUS_CONNECTED_APPS } from '../commandIds';
import type { LensesSession } from './oauthPort';
import { SESSION_END_TEXT, type EndedSession } from './sessionEnd';

/** The status bar item's name in its context menu (where it can be hidden). */
export const STATUS_BAR_NAME = 'Lenses';

/** What the status bar item shows: text, tooltip, the command a click runs, and whether it warns. */
export interface StatusBarContent {
  text: string;
  tooltip: string;
  command: string;
  /** The warning colour: HQ ended the session (CL-19), the user did not sign out. */
  warning: boolean;
}

/**
 * "$(account) <account> · read write" when signed in (a click opens the account menu);
 * "$(sign-in) Lenses: Sign In" when signed out, in the warning colour when HQ ended the session.
 */
export function statusBarContent(session: LensesSession | undefined, hqUrl: string, ended?: EndedSession): StatusBarContent {
  if (!session) {
    if (ended) {
      return {
        text: '$(warning) Lenses: Sign In',
        tooltip: `${SESSION_END_TEXT[ended.cause]}: ${ended.account} was signed out. Click to sign in again.`,
        command: COMMAND.signIn,
        warning: true,
      };
    }
    return { text: '$(sign-in) Lenses: Sign In', tooltip: 'Lenses: not signed in. Click to sign in.', command: COMMAND.signIn, warning: false };
  }
  const scopes = session.scopes.length > 0 ? session.scopes.join(' ') : 'no scopes';
  return {
    text: `$(account) ${session.account.label} · ${scopes}`,
    tooltip: `Signed in to Lenses${hqUrl ? ` at ${hqUrl}` : ''} as ${session.account.label} (${scopes}). Click for Change Granted Scopes…, Connected Applications, Show Logs, Sign Out.`,
    command: COMMAND.accountMenu,
    warning: false,
  };
}

/** One entry of the account menu (the status bar's quick pick). */
export interface AccountMenuEntry {
  label: string;
  command: string;
}

/** The account menu, in this order. */
export const ACCOUNT_MENU: readonly AccountMenuEntry[] = [
  { label: '$(key) Change Granted Scopes…', command: COMMAND.changeScopes },
  { label: '$(plug) Connected Applications', command: FOCUS_CONNECTED_APPS },
  { label: '$(output) Show Logs', command: COMMAND.showLogs },
  { label: '$(sign-out) Sign Out', command: COMMAND.signOut },
];
