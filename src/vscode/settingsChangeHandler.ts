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
  /** The HQ URL in use after the last change (`hqUrl()` already holds a valid one while the setting is mid-edit). */
  private hqUrlInUse: string;

  constructor(private readonly parts: SettingsChangeParts) {
    this.hqUrlInUse = parts.hqUrl();
  }

  async configurationChanged(changed: (section: string) => boolean): Promise<void> {
    if (!changed('lenses')) return;
    const { auth, mcp, views, hqUrl, announceSetAside, logger } = this.parts;
    // An edit of lenses.url that leaves the URL in use as it was (empty or not yet a URL, or
    // the same address again) is no change: nothing is set aside, the server is not told.
    const url = hqUrl();
    const urlChanged = changed(SETTING.url) && url !== this.hqUrlInUse;
    this.hqUrlInUse = url;
    const affects = (section: string) => (section === SETTING.url ? urlChanged : changed(section));
    if (changed(SETTING.url) && !urlChanged && !otherLensesSettingChanged(changed)) {
      logger.debug(`lenses.url edited; still using ${url || 'no Lenses HQ'} until it holds another valid URL`);
      return;
    }
    try {
      const before = await auth.currentSession();
      await auth.reconcile();
      if (before && !(await auth.currentSession())) void announceSetAside(before, url, urlChanged);
      await mcp.configurationChanged(affects);
    } catch (error) {
      logger.error(`Could not apply the new Lenses settings: ${errorMessage(error)}`);
    }
    views.refresh();
  }
}

/** The settings besides lenses.url a change event can name. */
const OTHER_SETTINGS = Object.values(SETTING).filter((section) => section !== SETTING.url);

function otherLensesSettingChanged(changed: (section: string) => boolean): boolean {
  return OTHER_SETTINGS.some((section) => changed(section));
}
