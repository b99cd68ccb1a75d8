import * as vscode from 'vscode';
import type { ClusterMonitor } from '../cluster/clusterMonitor';
import { NodeRow, rowsForSnapshot } from './nodeRows';

export class NodesTreeProvider implements vscode.TreeDataProvider<NodeRow>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: { dispose(): void };

  constructor(private readonly monitor: ClusterMonitor) {
    this.subscription = monitor.onDidChange(() => this.changed.fire());
  }

  getChildren(element?: NodeRow): NodeRow[] {
    return element ? [] : rowsForSnapshot(this.monitor.snapshot);
  }

  getTreeItem(row: NodeRow): vscode.TreeItem {
    const item = new vscode.TreeItem(row.label, vscode.TreeItemCollapsibleState.None);
    item.id = row.id;
    item.description = row.description;
    item.tooltip = row.tooltip;
    item.contextValue = row.contextValue;
    item.iconPath = new vscode.ThemeIcon(row.icon.id, row.icon.color ? new vscode.ThemeColor(row.icon.color) : undefined);
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
