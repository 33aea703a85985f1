import * as vscode from 'vscode';
import type { AuthUi } from './account/authProvider';
import { COMMAND, CONNECTED_APPS_VIEW_ID, CONTEXT } from './commandIds';
import type { ConnectedAppsUi } from './connectedApps/connectedAppsModel';
import { ALL_SCOPES, type Scope } from '../scopes';
import { SETTING } from './settings';
import { ACCOUNT_MENU } from './account/statusBar';
import type { MessageAction, UserMessage } from './userMessages';

const ACTION_TITLES: Record<MessageAction, string> = {
  showLogs: 'Show Logs',
  openSettings: 'Open Settings',
  signIn: 'Sign In',
  changeScopes: 'Change Granted Scopes…',
};

/** Shows one message with its buttons and runs the one clicked. */
export async function showUserMessage(severity: 'error' | 'warning' | 'info', message: UserMessage): Promise<void> {
  const show =
    severity === 'error' ? vscode.window.showErrorMessage : severity === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  const titles = message.actions.map((action) => ACTION_TITLES[action]);
  const picked = await show(message.text, ...titles);
  const action = message.actions.find((candidate) => ACTION_TITLES[candidate] === picked);
  if (action === 'showLogs') await vscode.commands.executeCommand(COMMAND.showLogs);
  if (action === 'signIn') await vscode.commands.executeCommand(COMMAND.signIn);
  if (action === 'changeScopes') await vscode.commands.executeCommand(COMMAND.changeScopes);
  if (action === 'openSettings') await vscode.commands.executeCommand('workbench.action.openSettings', message.setting ?? 'lenses');
}

/** The window side of the authentication provider. */
export const vscodeAuthUi: AuthUi = {
  withSignInProgress(task) {
    return Promise.resolve(
      vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Signing in to Lenses… complete the sign-in in your browser', cancellable: true },
        (_progress, token) => {
          const controller = new AbortController();
          const subscription = token.onCancellationRequested(() => controller.abort());
          return task(controller.signal).finally(() => {
            subscription.dispose();
          });
        },
      ),
    );
  },
  async askForLensesUrl() {
    const value = await vscode.window.showInputBox({
      title: 'Lenses HQ URL',
      prompt: 'The address of your Lenses HQ (saved in the lenses.url setting)',
      placeHolder: 'https://lenses.example.com',
      ignoreFocusOut: true,
      validateInput: (text) => (/^https?:\/\/\S+$/.test(text.trim()) ? undefined : 'Enter an http:// or https:// URL'),
    });
    if (!value) {
      void vscode.window.showInformationMessage('Set lenses.url to sign in to Lenses.', 'Open Settings').then((picked) => {
        if (picked) void vscode.commands.executeCommand('workbench.action.openSettings', SETTING.url);
      });
      return undefined;
    }
    const url = value.trim().replace(/\/+$/, '');
    await vscode.workspace.getConfiguration().update(SETTING.url, url, vscode.ConfigurationTarget.Global);
    return url;
  },
  showMessage(severity, message) {
    void showUserMessage(severity, message);
  },
};

/** The window side of the Connected Applications view. */
export const vscodeConnectedAppsUi: ConnectedAppsUi = {
  async confirmRevoke({ message, detail }) {
    const picked = await vscode.window.showWarningMessage(message, { modal: true, detail }, 'Revoke Access');
    return picked === 'Revoke Access';
  },
  withViewProgress(task) {
    return Promise.resolve(vscode.window.withProgress({ location: { viewId: CONNECTED_APPS_VIEW_ID } }, () => task()));
  },
  showMessage(severity, message) {
    void showUserMessage(severity, message);
  },
  setEmpty(empty) {
    void vscode.commands.executeCommand('setContext', CONTEXT.noApplications, empty);
  },
  setError(problem) {
    void vscode.commands.executeCommand('setContext', CONTEXT.applicationsError, problem?.kind ?? false);
  },
};

/** A warning with "Sign In" (session ended, or a tool called while signed out); resolves when dismissed or clicked. */
export async function showSignInNeeded(text: string): Promise<void> {
  const picked = await vscode.window.showWarningMessage(text, 'Sign In');
  if (picked) await vscode.commands.executeCommand(COMMAND.signIn);
}

/** "Already signed in as …" with "Change Granted Scopes…"; true when that was clicked. */
export async function showAlreadySignedIn(text: string): Promise<boolean> {
  return (await vscode.window.showInformationMessage(text, 'Change Granted Scopes…')) !== undefined;
}

const SCOPE_DETAILS: Record<Scope, string> = {
  read: 'See environments, topics, connectors, consumer groups, SQL',
  write: 'Create and change topics, connectors, offsets, processors',
  delete: 'Delete connectors, consumer groups, offsets, processors',
};

/** The read/write/delete multi-select of "Change Granted Scopes…", the `ticked` ones ticked. */
export async function pickScopes(ticked: readonly Scope[]): Promise<Scope[] | undefined> {
  const items = ALL_SCOPES.map((scope) => ({ label: scope, detail: SCOPE_DETAILS[scope], picked: ticked.includes(scope), scope }));
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Change Granted Scopes',
    placeHolder: 'Scopes to grant (Lenses HQ asks you to consent again)',
    canPickMany: true,
    ignoreFocusOut: true,
  });
  return picked?.map((item) => item.scope);
}

/** The status bar's account menu; runs the picked command. */
export async function showAccountMenu(title: string): Promise<void> {
  const picked = await vscode.window.showQuickPick(
    ACCOUNT_MENU.map((entry) => ({ ...entry })),
    { title, placeHolder: 'Lenses' },
  );
  if (picked) await vscode.commands.executeCommand(picked.command);
}
