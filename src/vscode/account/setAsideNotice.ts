import type { LensesSession } from './oauthPort';
import { describeSetAside } from '../userMessages';
import { showSignInNeeded } from '../vscodeUi';

/** One notification: a settings change set the session aside (it stays stored for the old HQ). */
export async function announceSetAside(session: LensesSession, hqUrl: string, urlChanged: boolean): Promise<void> {
  await showSignInNeeded(describeSetAside(session, hqUrl, urlChanged));
}
