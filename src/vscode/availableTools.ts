import * as vscode from 'vscode';
import type { GovernanceRules } from '../mcp/governance';
import type { Scope } from '../scopes';
import { AUTH_PROVIDER_ID } from './authProvider';
import { COMMAND } from './commandIds';
import { availableTools, type ToolFix } from './availableToolsModel';
import { SETTING } from './settings';

export interface ShowAvailableToolsDeps {
  rules(): GovernanceRules;
  /** The session's granted scopes; undefined when signed out (silent). */
  grantedScopes(): Promise<readonly Scope[] | undefined>;
  /** The scopes asked for at sign-in (`lenses.oauth.scopes`). */
  configuredScopes(): readonly Scope[];
}

type ToolItem = vscode.QuickPickItem & { fix?: ToolFix };

/** Registers "Lenses: Show Available Tools": a quick pick of the tools by area; picking one that is off runs what turns it on. */
export function registerShowAvailableTools(deps: ShowAvailableToolsDeps): vscode.Disposable {
  return vscode.commands.registerCommand(COMMAND.showAvailableTools, async () => {
    const report = availableTools(deps.rules(), await deps.grantedScopes());
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
    if (picked?.fix) await applyFix(picked.fix, deps);
  });
}

async function applyFix(fix: ToolFix, deps: ShowAvailableToolsDeps): Promise<void> {
  switch (fix.kind) {
    case 'openSettings':
      await vscode.commands.executeCommand('workbench.action.openSettings', fix.setting);
      return;
    case 'signIn':
      await vscode.commands.executeCommand(COMMAND.signIn);
      return;
    case 'changeScopes':
      if (!deps.configuredScopes().includes(fix.scope)) {
        // The scope is not even asked for: the list of scopes to ask is the setting.
        await vscode.commands.executeCommand('workbench.action.openSettings', SETTING.scopes);
        return;
      }
      try {
        await vscode.authentication.getSession(AUTH_PROVIDER_ID, [...deps.configuredScopes()], {
          forceNewSession: { detail: `Sign in to Lenses again and grant "${fix.scope}" so the tools that need it can be used.` },
        });
      } catch {
        // Cancelled, or the provider already said what went wrong.
      }
  }
}
