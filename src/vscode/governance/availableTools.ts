import * as vscode from 'vscode';
import type { GovernanceRules } from '../../mcp/governance';
import type { Scope } from '../../scopes';
import { COMMAND } from '../commandIds';
import { availableTools, type ToolFix } from './availableToolsModel';

export interface ShowAvailableToolsDependencies {
  rules(): GovernanceRules;
  /** The session's granted scopes; undefined when signed out (silent). */
  grantedScopes(): Promise<readonly Scope[] | undefined>;
}

type ToolItem = vscode.QuickPickItem & { fix?: ToolFix };

/** Registers "Lenses: Show Available Tools": a quick pick of the tools by area; picking one that is off runs what turns it on. */
export function registerShowAvailableTools(dependencies: ShowAvailableToolsDependencies): vscode.Disposable {
  return vscode.commands.registerCommand(COMMAND.showAvailableTools, async () => {
    const report = availableTools(dependencies.rules(), await dependencies.grantedScopes());
    const items: ToolItem[] = report.areas.flatMap((area) => [
      { label: area.label, kind: vscode.QuickPickItemKind.Separator },
      ...area.tools.map((tool): ToolItem => ({
        label: `${tool.off ? '$(circle-slash)' : '$(check)'} ${tool.name}`,
        description: tool.off ? `off: ${tool.off.reason}` : `${tool.scope}`,
        detail: tool.off ? `${tool.title} — select to ${tool.off.fix.label.replace('…', '').toLowerCase()}` : undefined,
        fix: tool.off?.fix,
      })),
    ]);
    const picked = await vscode.window.showQuickPick(items, {
      title: `Lenses Tools: ${report.summary}`,
      placeHolder: 'Tools that are off say why; pick one to turn it on',
      matchOnDescription: true,
    });
    if (picked?.fix) await applyFix(picked.fix);
  });
}

async function applyFix(fix: ToolFix): Promise<void> {
  switch (fix.kind) {
    case 'openSettings':
      await vscode.commands.executeCommand('workbench.action.openSettings', fix.setting);
      return;
    case 'signIn':
      await vscode.commands.executeCommand(COMMAND.signIn);
      return;
    case 'changeScopes':
      // The one way everywhere: the picker (any scope can be ticked), the old grant revoked, consent again.
      await vscode.commands.executeCommand(COMMAND.changeScopes);
  }
}
