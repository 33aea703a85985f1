import * as vscode from 'vscode';
import { SETTING } from '../settings';
import { SET_CLIENT_SECRET_COMMAND, type ClientSecret, type ClientSecretUi } from './clientSecret';

/** The window side of "Lenses: Set OAuth Client Secret…": a password input box and a notification. */
const vscodeClientSecretUi: ClientSecretUi = {
  askForSecret: async (hasOne) =>
    vscode.window.showInputBox({
      title: 'Lenses: OAuth Client Secret',
      prompt: `The secret of the pre-registered OAuth client in ${SETTING.clientId}. Kept in VS Code's secret storage only.${hasOne ? ' Leave empty to remove the stored one.' : ''}`,
      password: true,
      ignoreFocusOut: true,
    }),
  showInfo: (text) => void vscode.window.showInformationMessage(text),
};

/** Registers "Lenses: Set OAuth Client Secret…". */
export function registerClientSecretCommand(secret: ClientSecret): vscode.Disposable {
  return vscode.commands.registerCommand(SET_CLIENT_SECRET_COMMAND, () => secret.set(vscodeClientSecretUi));
}
