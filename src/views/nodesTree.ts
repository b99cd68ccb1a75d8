import * as vscode from 'vscode';
import type { ClusterMonitor } from '../cluster/clusterMonitor';
import type { HealthPoller } from '../cluster/healthPoller';
import type { SupportFeed } from '../topology/supportFeed';
import { testProbe } from '../testing/testHooks';
import { NodeRow, rowsForSnapshot } from './nodeRows';

export class NodesTreeProvider implements vscode.TreeDataProvider<NodeRow>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: Array<{ dispose(): void }>;

  private shown = '';

  constructor(private readonly monitor: ClusterMonitor, private readonly health: HealthPoller, private readonly support?: Pick<SupportFeed, 'shards' | 'onDidChange'>) {
    this.subscriptions = [monitor.onDidChange(() => this.update()), health.onDidChange(() => this.update())];
    if (support) this.subscriptions.push(support.onDidChange(() => this.update()));
  }

  getChildren(element?: NodeRow): NodeRow[] {
    if (element) return [];
    const rows = this.rows();
    testProbe.emit({ kind: 'treeServed', rows });
    return rows;
  }

  private rows(): NodeRow[] {
    const health = this.health.state.kind === 'ok' ? this.health.state.nodes : [];
    return rowsForSnapshot(this.monitor.snapshot, health, this.support?.shards);
  }

  /** Repaints only when a row changed: health polls every few seconds, and a repaint closes an open context menu. */
  private update(): void {
    const rows = this.rows();
    const shown = JSON.stringify(rows);
    if (shown === this.shown) return;
    this.shown = shown;
    this.changed.fire();
    testProbe.emit({ kind: 'treeChanged', rows });
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
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}
