import * as vscode from 'vscode';
import { copiedMessage, mcpConfiguration, mcpConfigurationChoices, type McpConfigurationChoice } from './mcpConfiguration';
import type { LensesSettings } from '../settings';

export interface CopyMcpConfigurationDependencies {
  settings(): LensesSettings;
  /** Installs the copy of the bundled standalone server that configurations point at; returns its path. */
  installStandaloneServer(): Promise<string>;
}

/**
 * "Lenses: Copy MCP Configuration for Other Tools": asks which client and form, puts the
 * configuration (JSON, TOML or a command line) on the clipboard and opens it in an untitled
 * editor to read or save.
 */
export async function copyMcpConfiguration(dependencies: CopyMcpConfigurationDependencies): Promise<void> {
  const { url, mcpUrl } = dependencies.settings();
  const picked = await vscode.window.showQuickPick<vscode.QuickPickItem & { choice: McpConfigurationChoice }>(
    mcpConfigurationChoices(mcpUrl).map((choice) => ({ label: choice.label, detail: choice.detail, choice })),
    { title: 'Copy MCP Configuration for Other Tools', placeHolder: 'Which client, and which way to reach Lenses?', matchOnDetail: true },
  );
  if (!picked) return;
  const { choice } = picked;
  const bundledServerPath = choice.kind.transport === 'stdio' ? await dependencies.installStandaloneServer() : undefined;
  const text = mcpConfiguration(choice.kind, { lensesUrl: url, mcpUrl, bundledServerPath });
  await vscode.env.clipboard.writeText(text);
  const document = await vscode.workspace.openTextDocument({ language: choice.language, content: text });
  await vscode.window.showTextDocument(document, { preview: false });
  void vscode.window.showInformationMessage(copiedMessage(choice, { lensesUrl: url, mcpUrl, bundledServerPath, remoteName: vscode.env.remoteName }));
}
