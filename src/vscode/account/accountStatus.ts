import * as vscode from 'vscode';
import { CONTEXT } from '../commandIds';
import type { LensesSession } from './oauthPort';
import type { EndedSession } from './sessionEnd';
import { STATUS_BAR_NAME, statusBarContent } from './statusBar';

/** The status bar item "Lenses" (account and scopes, or Sign In) and the `lenses.signedIn` context key. */
export class AccountStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('lenses.account', vscode.StatusBarAlignment.Left, 0);

  constructor(
    private readonly currentSession: () => Promise<LensesSession | undefined>,
    private readonly lastEndedSession: () => Promise<EndedSession | undefined>,
    private readonly hqUrl: () => string,
  ) {
    this.item.name = STATUS_BAR_NAME;
  }

  async update(): Promise<void> {
    const session = await this.currentSession();
    const ended = session ? undefined : await this.lastEndedSession().catch(() => undefined);
    const content = statusBarContent(session, this.hqUrl(), ended);
    this.item.text = content.text;
    this.item.tooltip = content.tooltip;
    this.item.command = content.command;
    this.item.backgroundColor = content.warning ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.color = content.warning ? new vscode.ThemeColor('statusBarItem.warningForeground') : undefined;
    this.item.show();
    await vscode.commands.executeCommand('setContext', CONTEXT.signedIn, session !== undefined);
  }

  dispose(): void {
    this.item.dispose();
  }
}
