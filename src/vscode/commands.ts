import * as vscode from 'vscode';
import type { Logger } from '../log';
import type { LensesAuthenticationProvider } from './account/authProvider';
import { COMMAND } from './commandIds';
import type { ApplicationNode, ConnectedAppsNode } from './connectedApps/connectedApps';
import type { ConnectedApplications } from './connectedApps/connectedAppsModel';
import { copyMcpConfiguration } from './mcp/copyMcpConfiguration';
import { changeGrantedScopes } from './account/scopeChange';
import type { LensesSettings } from './settings';
import { signIn, type SessionCheck } from './account/signIn';
import { pickScopes, showAccountMenu, showAlreadySignedIn, showUserMessage } from './vscodeUi';
import type { LensesSession } from './account/oauthPort';

export interface CommandDependencies {
  auth: LensesAuthenticationProvider;
  /** RFC 7662 introspection of the session's token at HQ (Sign In checks the stored session first). */
  checkWithHq(session: LensesSession): Promise<SessionCheck>;
  apps: ConnectedApplications;
  settings(): LensesSettings;
  /** Installs the copy of the bundled standalone server that configurations point at; returns its path. */
  installStandaloneServer(): Promise<string>;
  output: vscode.LogOutputChannel;
  logger: Logger;
}

/** Registers every `lenses.*` command; one Disposable for all. */
export function registerCommands(dependencies: CommandDependencies): vscode.Disposable {
  const { auth, apps, logger } = dependencies;
  const register = (id: string, run: (...args: unknown[]) => unknown) => vscode.commands.registerCommand(id, run);

  const revoke = async (node?: unknown) => {
    const target = isApplicationNode(node) ? node : await pickApplication(apps);
    if (target) await apps.revoke(target);
  };

  const changeScopes = () =>
    changeGrantedScopes({
      currentSession: () => auth.currentSession(),
      configuredScopes: () => dependencies.settings().scopes,
      pickScopes,
      signOut: (id) => auth.removeSession(id),
      signIn: (scopes) => auth.createSession(scopes),
      showMessage: (severity, message) => void showUserMessage(severity, message),
      logger,
    });

  return vscode.Disposable.from(
    register(COMMAND.signIn, () =>
      signIn({
        validCurrentSession: () => auth.validCurrentSession(),
        hqUrl: () => dependencies.settings().url,
        checkWithHq: (session) => dependencies.checkWithHq(session),
        endSession: (cause, token) => auth.endSession(cause, token),
        startSignIn: async () => {
          try {
            // The provider itself, not getSession(createIfNone): that would first show VS Code's
            // "The extension 'Lenses MCP' wants to sign in using Lenses" modal, a second question
            // after the user already chose Sign In. VS Code learns of the session from the
            // provider's change event.
            await auth.createSession(dependencies.settings().scopes);
          } catch (error) {
            // The provider already told the user (or the user cancelled): only log here.
            logger.debug(`Sign-in ended without a session: ${error instanceof Error ? error.message : String(error)}`);
          }
        },
        showAlreadySignedIn,
        changeScopes: async () => void (await changeScopes()),
        logger,
      }),
    ),
    register(COMMAND.changeScopes, changeScopes),
    register(COMMAND.accountMenu, async () => {
      const session = await auth.currentSession();
      if (!session) return vscode.commands.executeCommand(COMMAND.signIn);
      await showAccountMenu(`Lenses: ${session.account.label} · ${session.scopes.join(' ') || 'no scopes'}`);
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
    register(COMMAND.showLogs, () => dependencies.output.show()),
    register(COMMAND.copyMcpConfiguration, () => copyMcpConfiguration(dependencies)),
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
