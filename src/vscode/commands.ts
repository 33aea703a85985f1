import * as vscode from 'vscode';
import type { Logger } from '../log';
import { AUTH_PROVIDER_ID, type LensesAuthenticationProvider } from './authProvider';
import { COMMAND } from './commandIds';
import type { ApplicationNode, ConnectedAppsNode } from './connectedApps';
import type { ConnectedApplications } from './connectedAppsModel';
import { copyMcpConfiguration } from './copyMcpConfiguration';
import type { LensesSettings } from './settings';

export interface CommandDeps {
  auth: LensesAuthenticationProvider;
  apps: ConnectedApplications;
  settings(): LensesSettings;
  /** Installs the copy of the bundled standalone server that configurations point at; returns its path. */
  installStandaloneServer(): Promise<string>;
  output: vscode.LogOutputChannel;
  logger: Logger;
}

/** Registers every `lenses.*` command; one Disposable for all. */
export function registerCommands(deps: CommandDeps): vscode.Disposable {
  const { auth, apps, logger } = deps;
  const register = (id: string, run: (...args: unknown[]) => unknown) => vscode.commands.registerCommand(id, run);

  const revoke = async (node?: unknown) => {
    const target = isApplicationNode(node) ? node : await pickApplication(apps);
    if (target) await apps.revoke(target);
  };

  return vscode.Disposable.from(
    register(COMMAND.signIn, async () => {
      try {
        await vscode.authentication.getSession(AUTH_PROVIDER_ID, deps.settings().scopes, { createIfNone: true });
      } catch (error) {
        // The provider already told the user (or the user cancelled): only log here.
        logger.debug(`Sign-in ended without a session: ${error instanceof Error ? error.message : String(error)}`);
      }
    }),
    register(COMMAND.signOut, async () => {
      const session = await auth.currentSession();
      if (!session) {
        void vscode.window.showInformationMessage('You are not signed in to Lenses.');
        return;
      }
      await auth.removeSession(session.id);
      void vscode.window.showInformationMessage(`Signed out of Lenses (${session.account.label}).`);
    }),
    register(COMMAND.showLogs, () => deps.output.show()),
    register(COMMAND.copyMcpConfiguration, () => copyMcpConfiguration(deps)),
    register(COMMAND.refreshApplications, () => apps.refresh()),
    register(COMMAND.revokeApplication, revoke),
    register(COMMAND.revokeApplicationFromPalette, revoke),
    register(COMMAND.copyClientId, async (node?: unknown) => {
      if (!isApplicationNode(node) || !node.clientId) return;
      await vscode.env.clipboard.writeText(node.clientId);
      void vscode.window.showInformationMessage(`Copied the client ID of "${node.label}".`);
    }),
  );
}

async function pickApplication(apps: ConnectedApplications): Promise<ApplicationNode | undefined> {
  const applications = await apps.applications();
  if (applications.length === 0) {
    void vscode.window.showInformationMessage('No applications hold a grant on your Lenses account (or you are not signed in).');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    applications.map((node) => ({ label: node.label, description: node.description, node })),
    { title: 'Revoke Application', placeHolder: 'Which application loses access to your Lenses account?' },
  );
  return picked?.node;
}

function isApplicationNode(value: unknown): value is ApplicationNode {
  return typeof value === 'object' && value !== null && (value as Partial<ConnectedAppsNode>).kind === 'application';
}
