import * as vscode from 'vscode';
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
    item.id = node.authorizationId;
    item.description = node.description;
    item.tooltip = new vscode.MarkdownString(node.tooltip);
    item.contextValue = node.contextValue;
    return item;
  }
}

/**
 * Registers the view on the model. An application granted elsewhere shows up without pressing
 * Refresh: the list is refreshed when it was stale (at most every 30 s) as the view comes into
 * sight or the window gets focus with the view visible.
 */
export function registerConnectedAppsView(viewId: string, model: ConnectedApplications): vscode.Disposable {
  const treeView = vscode.window.createTreeView(viewId, { treeDataProvider: new ConnectedAppsTreeProvider(model), showCollapseAll: false });
  return vscode.Disposable.from(
    model,
    treeView,
    treeView.onDidChangeVisibility((event) => {
      if (event.visible) model.refreshIfStale();
    }),
    vscode.window.onDidChangeWindowState((state) => {
      if (state.focused && treeView.visible) model.refreshIfStale();
    }),
  );
}
