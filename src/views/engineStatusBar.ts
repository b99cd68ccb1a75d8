import * as vscode from 'vscode';
import type { DockerClient } from '../docker/dockerClient';
import type { EngineSwitch } from '../docker/engineSwitch';

export const PICK_CONTEXT_COMMAND = 'wabaCluster.pickDockerContext';

/** A status-bar item naming the engine in use (its Docker context, else its endpoint); a click picks another for this workspace. */
export class EngineStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('wabaCluster.engine', vscode.StatusBarAlignment.Left, 19);
  private readonly subscriptions: Array<{ dispose(): void }>;
  /** What it shows (the test API reads it). */
  shown: { text: string; tooltip: string } | undefined;

  /** `folder`: whether a cluster folder is open, and when that changes. */
  constructor(engine: EngineSwitch, private readonly folder: { open(): boolean; onDidChange(listener: () => void): { dispose(): void } }) {
    this.item.name = vscode.l10n.t('WABA Docker engine');
    this.item.command = PICK_CONTEXT_COMMAND;
    this.subscriptions = [engine.onDidSwitch((client) => this.render(client)), folder.onDidChange(() => this.render(engine.current))];
    this.render(engine.current);
  }

  /** Shown only while a cluster folder is open (it is the cluster's engine). */
  render(client: DockerClient): void {
    const text = `$(server-environment) ${client.context ?? client.endpointDescription}`;
    const tooltip = vscode.l10n.t('Docker engine of the cluster: {0} ({1}). Click to pick a Docker context for this workspace only.', client.endpointDescription, client.endpointWhy ?? '');
    this.item.text = text;
    this.item.tooltip = tooltip;
    if (this.folder.open()) { this.item.show(); this.shown = { text, tooltip }; } else { this.item.hide(); this.shown = undefined; }
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}
