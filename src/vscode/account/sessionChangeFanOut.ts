import type * as vscode from 'vscode';
import type { AccountViews } from './accountViews';

/** Sign-in, sign-out or a session that ended reaches all that follows it: the MCP definitions (and their tools) and the account views. */
export function fanOutSessionChanges(
  sessionsChanged: vscode.Event<unknown>,
  mcp: { sessionsChanged(): void },
  views: Pick<AccountViews, 'refresh'>,
): vscode.Disposable {
  return sessionsChanged(() => {
    mcp.sessionsChanged();
    views.refresh();
  });
}
