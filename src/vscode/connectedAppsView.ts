import * as vscode from 'vscode';
import { COMMAND } from './commandIds';
import type { ConnectedAppsNode } from './connectedApps';
import type { ConnectedApplications } from './connectedAppsModel';

/** The tree data provider of `lenses.connectedApplications`: renders the model's nodes. */
export class ConnectedAppsTreeProvider implements vscode.TreeDataProvider<ConnectedAppsNode> {
  readonly onDidChangeTreeData: vscode.Event<void>;

  constructor(private readonly model: ConnectedApplications) {
    this.onDidChangeTreeData = model.onDidChange;
  }

  getChildren(element?: ConnectedAppsNode): Promise<ConnectedAppsNode[]> {
    return element ? Promise.resolve([]) : this.model.nodes();
  }

  getTreeItem(node: ConnectedAppsNode): vscode.TreeItem {
    const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
    item.iconPath = new vscode.ThemeIcon(node.icon);
    if (node.kind === 'error') {
      item.contextValue = 'lensesError';
      item.tooltip = `${node.label}\n\nClick for the details in the Lenses log.`;
      item.command = { command: COMMAND.showLogs, title: 'Show Logs' };
      return item;
    }
    item.id = node.authorizationId;
    item.description = node.description;
    item.tooltip = new vscode.MarkdownString(node.tooltip);
    item.contextValue = node.contextValue;
    return item;
  }
}
