import { errorMessage } from '../errors';
import type { Logger } from '../log';
import type { AccountViews } from './accountViews';
import type { LensesAuthenticationProvider } from './authProvider';
import type { LensesSession } from './oauthPort';
import { SETTING } from './settings';

export interface SettingsChangeParts {
  auth: Pick<LensesAuthenticationProvider, 'currentSession' | 'reconcile'>;
  mcp: { configurationChanged(affects: (section: string) => boolean): Promise<void> };
  views: Pick<AccountViews, 'refresh'>;
  hqUrl: () => string;
  /** Tells the user the change set the session aside (`setAsideNotice.ts`). */
  announceSetAside: (session: LensesSession, hqUrl: string, urlChanged: boolean) => Promise<void>;
  logger: Logger;
}

/**
 * Applies a change of the `lenses.*` settings: the session is checked against the new
 * settings (one for another HQ is set aside, and the user told so), the MCP definitions
 * follow, and the account views are refreshed even when that failed.
 */
export class SettingsChangeHandler {
  constructor(private readonly parts: SettingsChangeParts) {}

  async configurationChanged(affects: (section: string) => boolean): Promise<void> {
    if (!affects('lenses')) return;
    const { auth, mcp, views, hqUrl, announceSetAside, logger } = this.parts;
    try {
      const before = await auth.currentSession();
      await auth.reconcile();
      if (before && !(await auth.currentSession())) void announceSetAside(before, hqUrl(), affects(SETTING.url));
      await mcp.configurationChanged(affects);
    } catch (error) {
      logger.error(`Could not apply the new Lenses settings: ${errorMessage(error)}`);
    }
    views.refresh();
  }
}
