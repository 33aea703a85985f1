import type * as vscode from 'vscode';
import type { Authorization } from '../../lenses/connectedApps';
import type { Logger } from '../../log';
import { LensesApiError, LensesConnectionError } from '../../lenses/errors';
import { applicationNodes, revokeConfirmation, type ApplicationNode } from './connectedApps';
import { Emitter } from '../emitter';
import { isOAuthError } from '../../oauth';
import type { LensesSession } from '../account/oauthPort';
import type { SessionEndCause } from '../account/sessionEnd';
import { describeLensesError, type UserMessage } from '../userMessages';

export interface ConnectedAppsUi {
  /** Modal warning with `detail`; true when "Revoke Access" was chosen. */
  confirmRevoke(confirmation: { message: string; detail: string }): Promise<boolean>;
  /** Progress shown in the view itself. */
  withViewProgress<T>(task: () => Promise<T>): Promise<T>;
  showMessage(severity: 'error' | 'info', message: UserMessage): void;
  /** Drives the "No applications hold a grant" welcome (context key). */
  setEmpty(empty: boolean): void;
  /**
   * Shows the welcome content of `problem` (context key `lenses.applicationsError`): why the
   * list could not be loaded, with Retry and Sign In buttons; undefined clears it. (A view
   * message would hide welcome content, and with it the buttons.)
   */
  setError(problem: ViewProblem | undefined): void;
}

/** Why the list could not be loaded: `unreachable` (network, timeout), `refused` (HQ answered an error), `failed` (anything else). */
export type ViewProblemKind = 'unreachable' | 'refused' | 'failed';

export interface ViewProblem {
  kind: ViewProblemKind;
  /** The full sentence (for the log, and what the welcome content paraphrases). */
  text: string;
}

/** The view reloads on becoming visible or on window focus at most this often. */
export const AUTO_REFRESH_INTERVAL_MS = 30_000;

export interface ConnectedAppsDependencies {
  /** The session to ask HQ with (silent, refreshed); undefined when signed out. */
  currentSession(): Promise<LensesSession | undefined>;
  hqUrl(): string;
  list(hqUrl: string, token: string): Promise<Authorization[]>;
  revoke(hqUrl: string, token: string, authorizationId: string): Promise<void>;
  /** This VS Code's grant was revoked: drop the session locally (no second revoke). */
  forgetSession(sessionId: string): Promise<void>;
  /** CL-19: HQ answered 401 to the list: the session holding `accessToken` ended. */
  endSession(cause: SessionEndCause, accessToken: string): Promise<boolean>;
  ui: ConnectedAppsUi;
  logger: Logger;
  now?(): number;
}

/**
 * The Connected Applications list: the user's OAuth grants at HQ, loaded on demand with
 * progress in the view, revoked with a modal confirmation. Revoking this VS Code's own
 * grant signs it out. A failure shows as the view's message (never a tree row); a 401 ends
 * the session (CL-19).
 */
export class ConnectedApplications {
  private readonly changes = new Emitter<void>();
  readonly onDidChange: vscode.Event<void> = this.changes.event;
  private loaded: Promise<ApplicationNode[]> | undefined;
  private loadedAt = -Infinity;

  constructor(private readonly dependencies: ConnectedAppsDependencies) {}

  /** The nodes to show: [] when signed out (the welcome shows) or when HQ failed (the message shows). */
  nodes(): Promise<ApplicationNode[]> {
    if (!this.loaded) {
      this.loadedAt = this.now();
      this.loaded = this.dependencies.ui.withViewProgress(() => this.load());
    }
    return this.loaded;
  }

  /** The applications (for the palette's quick pick). */
  applications(): Promise<ApplicationNode[]> {
    return this.nodes();
  }

  /** Forgets the list and asks the view to load it again. */
  refresh(): void {
    this.loaded = undefined;
    this.changes.fire();
  }

  /**
   * The view became visible or the window regained focus: reload when the list is older
   * than AUTO_REFRESH_INTERVAL_MS, so an application granted elsewhere shows up. True when reloading.
   */
  refreshIfStale(): boolean {
    if (this.now() - this.loadedAt < AUTO_REFRESH_INTERVAL_MS) return false;
    this.refresh();
    return true;
  }

  /** Asks for confirmation, revokes at HQ, signs out when it was our own grant. True when revoked. */
  async revoke(node: ApplicationNode): Promise<boolean> {
    const { logger, ui } = this.dependencies;
    if (!(await ui.confirmRevoke(revokeConfirmation(node)))) return false;
    const session = await this.dependencies.currentSession();
    if (!session) {
      ui.showMessage('error', { text: 'Sign in to Lenses to revoke applications.', actions: ['signIn'] });
      return false;
    }
    try {
      await this.dependencies.revoke(this.dependencies.hqUrl(), session.accessToken, node.authorizationId);
      logger.info(`Revoked access of "${node.label}" (authorization ${node.authorizationId})`);
    } catch (error) {
      logger.error(`Could not revoke "${node.label}": ${error instanceof Error ? error.message : String(error)}`);
      // CL-19: the session's own end says so (and offers Sign In); no second message.
      if (error instanceof LensesApiError && error.isUnauthorized) await this.dependencies.endSession('unauthorized', session.accessToken);
      else ui.showMessage('error', describeLensesError(error, `revoke "${node.label}"`, this.dependencies.hqUrl()));
      this.refresh();
      return false;
    }
    if (node.isSelf || node.clientId === session.clientId) {
      logger.info("Revoked this VS Code's own grant: signing out");
      await this.dependencies.forgetSession(session.id);
    }
    ui.showMessage('info', { text: `Revoked access for "${node.label}".`, actions: [] });
    this.refresh();
    return true;
  }

  dispose(): void {
    this.changes.dispose();
  }

  private now(): number {
    return this.dependencies.now?.() ?? Date.now();
  }

  private async load(): Promise<ApplicationNode[]> {
    const { logger } = this.dependencies;
    const hqUrl = this.dependencies.hqUrl();
    let session: LensesSession | undefined;
    try {
      session = await this.dependencies.currentSession();
    } catch (error) {
      logger.error(`Could not get the Lenses session: ${error instanceof Error ? error.message : String(error)}`);
      return this.failed(error, hqUrl);
    }
    if (!session) return this.shown([], false);
    try {
      const authorizations = await this.dependencies.list(hqUrl, session.accessToken);
      logger.info(`Got ${authorizations.length} connected application(s)`);
      return this.shown(applicationNodes(authorizations, session.clientId), authorizations.length === 0);
    } catch (error) {
      logger.error(`Could not list connected applications: ${error instanceof Error ? error.message : String(error)}`);
      if (error instanceof LensesApiError && error.isUnauthorized) {
        // The provider's change event refreshes the view, which then shows the sign-in welcome.
        await this.dependencies.endSession('unauthorized', session.accessToken);
        return this.shown([], false);
      }
      return this.failed(error, hqUrl);
    }
  }

  private shown(nodes: ApplicationNode[], empty: boolean): ApplicationNode[] {
    this.dependencies.ui.setError(undefined);
    this.dependencies.ui.setEmpty(empty);
    return nodes;
  }

  private failed(error: unknown, hqUrl: string): ApplicationNode[] {
    const kind: ViewProblemKind =
      error instanceof LensesConnectionError || isOAuthError(error, 'unreachable') ? 'unreachable' : error instanceof LensesApiError ? 'refused' : 'failed';
    const text = describeLensesError(error, 'list applications', hqUrl).text;
    this.dependencies.logger.warn(text);
    this.dependencies.ui.setEmpty(false);
    this.dependencies.ui.setError({ kind, text });
    return [];
  }
}
