import * as vscode from 'vscode';
import { CONTEXT } from './commandIds';
import type { LensesSession } from './oauthPort';
import { statusBarContent } from './statusBar';

/** The status bar item with the signed-in account and scopes, and the `lenses.signedIn` context key. */
export class AccountStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('lenses.account', vscode.StatusBarAlignment.Left, 0);

  constructor(
    private readonly currentSession: () => Promise<LensesSession | undefined>,
    private readonly hqUrl: () => string,
  ) {
    this.item.name = 'Lenses Account';
  }

  async update(): Promise<void> {
    const session = await this.currentSession();
    const content = statusBarContent(session, this.hqUrl());
    this.item.text = content.text;
    this.item.tooltip = content.tooltip;
    this.item.command = content.command;
    this.item.show();
    await vscode.commands.executeCommand('setContext', CONTEXT.signedIn, session !== undefined);
  }

  dispose(): void {
    this.item.dispose();
  }
}
