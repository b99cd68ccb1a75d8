import * as vscode from 'vscode';
import type { ClusterMonitor } from '../cluster/clusterMonitor';
import type { HealthPoller } from '../cluster/healthPoller';
import { WalkthroughKeys, changedKeys, walkthroughKeys } from './walkthroughKeys';

/** The one place that sets the walkthrough's context keys, whenever the snapshot or the health changes. */
export class WalkthroughContext implements vscode.Disposable {
  private current: Partial<WalkthroughKeys> = {};
  private codeRequested = false;
  private readonly subscriptions: Array<{ dispose(): void }>;

  constructor(private readonly monitor: ClusterMonitor, private readonly health: HealthPoller) {
    this.subscriptions = [monitor.onDidChange(() => this.update()), health.onDidChange(() => this.update())];
    this.update();
  }

  /** The cluster panel requested a registration code. */
  readonly onCodeRequested = (): void => {
    this.codeRequested = true;
    this.update();
  };

  get keys(): Partial<WalkthroughKeys> { return { ...this.current }; }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }

  private update(): void {
    const next = walkthroughKeys({ snapshot: this.monitor.snapshot, health: this.health.state, codeRequested: this.codeRequested });
    for (const [key, value] of changedKeys(this.current, next)) void vscode.commands.executeCommand('setContext', key, value);
    this.current = next;
  }
}
