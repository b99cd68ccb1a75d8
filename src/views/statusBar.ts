import * as vscode from 'vscode';
import type { ClusterMonitor, ClusterSnapshot } from '../cluster/clusterMonitor';
import { summarizeContainers } from '../cluster/containerNode';

/** One status-bar item that rolls the cluster up: running containers, or why it cannot tell. */
export class ClusterStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('wabaCluster.status', vscode.StatusBarAlignment.Left, 20);
  private readonly subscription: { dispose(): void };

  constructor(monitor: ClusterMonitor) {
    this.item.name = 'WABA Cluster';
    this.item.command = 'workbench.view.extension.wabaCluster';
    this.subscription = monitor.onDidChange((s) => this.render(s));
    this.render(monitor.snapshot);
  }

  private render(snapshot: ClusterSnapshot): void {
    switch (snapshot.kind) {
      case 'loading':
      case 'noClusterFolder':
        this.item.hide();
        return;
      case 'dockerUnreachable':
        this.item.text = '$(error) WABA: Docker unreachable';
        this.item.tooltip = snapshot.message;
        this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
        break;
      case 'ready': {
        const { running, total } = summarizeContainers(snapshot.nodes);
        this.item.text = total === 0 ? '$(circle-slash) WABA: stopped' : `$(server-process) WABA: ${running}/${total} running`;
        this.item.tooltip = `Compose project "${snapshot.project}": ${running} of ${total} containers running`;
        this.item.backgroundColor = total > 0 && running < total ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
        break;
      }
    }
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
