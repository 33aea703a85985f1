import { errorMessage } from '../errors';
import type { Logger } from '../log';
import type { AccountViews } from './account/accountViews';
import type { LensesAuthenticationProvider } from './account/authProvider';
import type { LensesSession } from './account/oauthPort';
import { SETTING } from './settings';

/** How long `lenses.url` must hold one URL before it is used: longer than a pause in typing. */
export const URL_SETTLE_MS = 2000;

export interface SettingsChangeDependencies {
  auth: Pick<LensesAuthenticationProvider, 'currentSession' | 'reconcile'>;
  mcp: { configurationChanged(affects: (section: string) => boolean): Promise<void> };
  views: Pick<AccountViews, 'refresh'>;
  /** The HQ URL in use (`SettledLensesUrl`). */
  hqUrl: () => string;
  /** Takes the `lenses.url` setting's value now as the URL in use when it is a URL; true when that changed it. */
  acceptUrl: () => boolean;
  /** Tells the user the change set the session aside (`setAsideNotice.ts`). */
  announceSetAside: (session: LensesSession, hqUrl: string, urlChanged: boolean) => Promise<void>;
  logger: Logger;
  /** setTimeout, injectable for tests. */
  setTimer?: (run: () => void, ms: number) => { dispose(): void };
}

/**
 * Applies a change of the `lenses.*` settings: the session is checked against the new
 * settings (one for another HQ is set aside, and the user told so), the MCP definitions
 * follow, and the account views are refreshed even when that failed. An edit of
 * `lenses.url` counts once the setting has held one URL for `URL_SETTLE_MS`: empty, not yet
 * a URL, or a half-typed one that is soon typed on, changes nothing.
 */
export class SettingsChangeHandler {
  private pendingUrl: { dispose(): void } | undefined;

  constructor(private readonly parts: SettingsChangeDependencies) {}

  async configurationChanged(changed: (section: string) => boolean): Promise<void> {
    if (!changed('lenses')) return;
    if (changed(SETTING.url)) {
      this.pendingUrl?.dispose();
      const setTimer = this.parts.setTimer ?? defaultTimer;
      this.pendingUrl = setTimer(() => void this.urlSettled(), URL_SETTLE_MS);
      if (!otherLensesSettingChanged(changed)) return;
    }
    await this.apply((section) => section !== SETTING.url && changed(section), false);
  }

  dispose(): void {
    this.pendingUrl?.dispose();
  }

  private async urlSettled(): Promise<void> {
    this.pendingUrl = undefined;
    if (!this.parts.acceptUrl()) {
      this.parts.logger.debug(`lenses.url edited; still using ${this.parts.hqUrl() || 'no Lenses HQ'} (the setting holds no other URL)`);
      return;
    }
    await this.apply((section) => section === 'lenses' || section === SETTING.url, true);
  }

  private async apply(affects: (section: string) => boolean, urlChanged: boolean): Promise<void> {
    const { auth, mcp, views, hqUrl, announceSetAside, logger } = this.parts;
    try {
      const before = await auth.currentSession();
      await auth.reconcile();
      if (before && !(await auth.currentSession())) void announceSetAside(before, hqUrl(), urlChanged);
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

function defaultTimer(run: () => void, ms: number): { dispose(): void } {
  const timer = setTimeout(run, ms);
  return { dispose: () => clearTimeout(timer) };
}
