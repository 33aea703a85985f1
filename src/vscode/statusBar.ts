import { COMMAND } from './commandIds';
import type { LensesSession } from './oauthPort';

/** What the status bar item shows: text, tooltip and the command a click runs. */
export interface StatusBarContent {
  text: string;
  tooltip: string;
  command: string;
}

/** "$(account) <account> · read write" when signed in, "$(sign-in) Sign in to Lenses" otherwise. */
export function statusBarContent(session: LensesSession | undefined, hqUrl: string): StatusBarContent {
  if (!session) return { text: '$(sign-in) Sign in to Lenses', tooltip: 'Lenses: not signed in. Click to sign in.', command: COMMAND.signIn };
  const scopes = session.scopes.length > 0 ? session.scopes.join(' ') : 'no scopes';
  return {
    text: `$(account) ${session.account.label} · ${scopes}`,
    tooltip: `Signed in to Lenses${hqUrl ? ` at ${hqUrl}` : ''} as ${session.account.label} (${scopes}). Click to show the logs.`,
    command: COMMAND.showLogs,
  };
}
