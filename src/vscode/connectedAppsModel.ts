import type * as vscode from 'vscode';
import type { Authorization } from '../lenses/connectedApps';
import type { Logger } from '../log';
import { applicationNodes, revokeConfirmation, type ApplicationNode, type ConnectedAppsNode } from './connectedApps';
import { Emitter } from './emitter';
import type { LensesSession } from './oauthPort';
import { describeLensesError, type UserMessage } from './userMessages';

export interface ConnectedAppsUi {
  /** Modal warning with `detail`; true when "Revoke Access" was chosen. */
  confirmRevoke(confirmation: { message: string; detail: string }): Promise<boolean>;
  /** Progress shown in the view itself. */
  withViewProgress<T>(task: () => Promise<T>): Promise<T>;
  showMessage(severity: 'error' | 'info', message: UserMessage): void;
  /** Drives the "No applications hold a grant" welcome (context key). */
  setEmpty(empty: boolean): void;
}

export interface ConnectedAppsDeps {
  /** The session to ask HQ with (silent, refreshed); undefined when signed out. */
  currentSession(): Promise<LensesSession | undefined>;
  hqUrl(): string;
  list(hqUrl: string, token: string): Promise<Authorization[]>;
  revoke(hqUrl: string, token: string, authorizationId: string): Promise<void>;
  /** This VS Code's grant was revoked: drop the session locally (no second revoke). */
  forgetSession(sessionId: string): Promise<void>;
  ui: ConnectedAppsUi;
  logger: Logger;
}

/**
 * The Connected Applications list: the user's OAuth grants at HQ, loaded on demand with
 * progress in the view, revoked with a modal confirmation. Revoking this VS Code's own
 * grant signs it out.
 */
export class ConnectedApplications {
  private readonly changes = new Emitter<void>();
  readonly onDidChange: vscode.Event<void> = this.changes.event;
  private loaded: Promise<ConnectedAppsNode[]> | undefined;

  constructor(private readonly deps: ConnectedAppsDeps) {}

  /** The nodes to show: [] when signed out (the welcome shows), one error node when HQ failed. */
  nodes(): Promise<ConnectedAppsNode[]> {
    this.loaded ??= this.deps.ui.withViewProgress(() => this.load());
    return this.loaded;
  }

  /** The applications only (for the palette's quick pick). */
  async applications(): Promise<ApplicationNode[]> {
    return (await this.nodes()).filter((node): node is ApplicationNode => node.kind === 'application');
  }

  /** Forgets the list and asks the view to load it again. */
  refresh(): void {
    this.loaded = undefined;
    this.changes.fire();
  }

  /** Asks for confirmation, revokes at HQ, signs out when it was our own grant. True when revoked. */
  async revoke(node: ApplicationNode): Promise<boolean> {
    const { logger, ui } = this.deps;
    if (!(await ui.confirmRevoke(revokeConfirmation(node)))) return false;
    const session = await this.deps.currentSession();
    if (!session) {
      ui.showMessage('error', { text: 'Sign in to Lenses to revoke applications.', actions: ['signIn'] });
      return false;
    }
    try {
      await this.deps.revoke(this.deps.hqUrl(), session.accessToken, node.authorizationId);
      logger.info(`Revoked access of "${node.label}" (authorization ${node.authorizationId})`);
    } catch (error) {
      logger.error(`Could not revoke "${node.label}": ${error instanceof Error ? error.message : String(error)}`);
      ui.showMessage('error', describeLensesError(error, `revoke "${node.label}"`));
      this.refresh();
      return false;
    }
    if (node.isSelf || node.clientId === session.clientId) {
      logger.info('Revoked this VS Code\'s own grant: signing out');
      await this.deps.forgetSession(session.id);
    }
    ui.showMessage('info', { text: `Revoked access for "${node.label}".`, actions: [] });
    this.refresh();
    return true;
  }

  dispose(): void {
    this.changes.dispose();
  }

  private async load(): Promise<ConnectedAppsNode[]> {
    const { logger, ui } = this.deps;
    let session: LensesSession | undefined;
    try {
      session = await this.deps.currentSession();
    } catch (error) {
      logger.error(`Could not get the Lenses session: ${error instanceof Error ? error.message : String(error)}`);
      return [{ kind: 'error', label: describeLensesError(error, 'list applications').text, icon: 'error' }];
    }
    if (!session) {
      ui.setEmpty(false);
      return [];
    }
    try {
      const authorizations = await this.deps.list(this.deps.hqUrl(), session.accessToken);
      logger.info(`Got ${authorizations.length} connected application(s)`);
      ui.setEmpty(authorizations.length === 0);
      return applicationNodes(authorizations, session.clientId);
    } catch (error) {
      logger.error(`Could not list connected applications: ${error instanceof Error ? error.message : String(error)}`);
      ui.setEmpty(false);
      return [{ kind: 'error', label: describeLensesError(error, 'list applications').text, icon: 'error' }];
    }
  }
}
