import * as vscode from 'vscode';
import { copiedMessage, mcpConfiguration, mcpConfigurationChoices, type McpConfigurationChoice } from './mcpConfiguration';
import type { LensesSettings } from './settings';

export interface CopyMcpConfigurationDeps {
  settings(): LensesSettings;
  /** Installs the copy of the bundled standalone server that configurations point at; returns its path. */
  installStandaloneServer(): Promise<string>;
}

/**
 * "Lenses: Copy MCP Configuration for Other Tools": asks which form, puts the JSON on the
 * clipboard and opens it in an untitled JSON editor to read or save.
 */
export async function copyMcpConfiguration(deps: CopyMcpConfigurationDeps): Promise<void> {
  const { url, mcpUrl } = deps.settings();
  const picked = await vscode.window.showQuickPick<vscode.QuickPickItem & { choice: McpConfigurationChoice }>(
    mcpConfigurationChoices(mcpUrl).map((choice) => ({ label: choice.label, detail: choice.detail, choice })),
    { title: 'Copy MCP Configuration for Other Tools', placeHolder: 'Which kind of configuration?' },
  );
  if (!picked) return;
  const { choice } = picked;
  const bundledServerPath = choice.kind === 'bundled' ? await deps.installStandaloneServer() : undefined;
  const text = mcpConfiguration(choice.kind, { lensesUrl: url, mcpUrl, bundledServerPath });
  await vscode.env.clipboard.writeText(text);
  const document = await vscode.workspace.openTextDocument({ language: 'json', content: text });
  await vscode.window.showTextDocument(document, { preview: false });
  void vscode.window.showInformationMessage(copiedMessage(choice, { lensesUrl: url, mcpUrl, bundledServerPath, remoteName: vscode.env.remoteName }));
}
