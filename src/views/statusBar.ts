import * as vscode from 'vscode';
import type { ClusterMonitor } from '../cluster/clusterMonitor';
import { summarizeContainers } from '../docker/containerNode';
import { summarizeHealth } from '../cluster/clusterHealth';
import type { HealthPoller } from '../cluster/healthPoller';
import type { SupportFeed } from '../topology/supportFeed';
import type { VersionDrift } from '../workspace/versionDrift';
import { notConnected } from '../notReady';

/** The version the folder asks for against the one the containers run (workspace model + monitor). */
export interface DriftSource {
  current(): VersionDrift | undefined;
  onDidChange(listener: () => void): { dispose(): void };
}

const DIAGNOSE_COMMAND = 'wabaCluster.diagnose';
const SHOW_VIEW_COMMAND = 'workbench.view.extension.wabaCluster';

/** One status-bar item that rolls the cluster up: containers, then /v1/health when connected. */
export class ClusterStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('wabaCluster.status', vscode.StatusBarAlignment.Left, 20);
  private readonly subscriptions: Array<{ dispose(): void }>;

  constructor(
    private readonly monitor: ClusterMonitor, private readonly health: HealthPoller, private readonly drift?: DriftSource, private readonly support?: Pick<SupportFeed, 'shards' | 'onDidChange'>,
    /** The connected webapp and how it is reached (a forward over ssh), for the tooltip. */
    private readonly webapp?: () => string | undefined,
  ) {
    this.item.name = vscode.l10n.t('WABA Cluster');
    this.subscriptions = [monitor.onDidChange(() => this.render()), health.onDidChange(() => this.render())];
    if (drift) this.subscriptions.push(drift.onDidChange(() => this.render()));
    if (support) this.subscriptions.push(support.onDidChange(() => this.render()));
    this.render();
  }

  private render(): void {
    const snapshot = this.monitor.snapshot;
    if (snapshot.kind === 'loading' || snapshot.kind === 'noClusterFolder') {
      this.item.hide();
      this.shown = undefined;
      return;
    }
    if (snapshot.kind === 'dockerUnreachable') {
      this.show(vscode.l10n.t('$(error) WABA: Docker unreachable'), snapshot.message, 'error');
      return;
    }
    const { running, total } = summarizeContainers(snapshot.nodes);
    const containers = vscode.l10n.t('{0}/{1} containers running', running, total);
    const health = this.health.state;
    const drift = this.drift?.current();
    if (total === 0) this.show(vscode.l10n.t('$(circle-slash) WABA: stopped'), vscode.l10n.t('Compose project "{0}" has no containers', snapshot.project ?? ''), undefined);
    // Nodes on another version than the folder asks for: said before anything else (nothing re-creates them silently).
    else if (drift) this.show(vscode.l10n.t('$(versions) WABA: {0}', drift.message), `${containers}\n${vscode.l10n.t('{0}: "WABA: Start Cluster" re-creates every node on v{1}.', drift.message, drift.wanted)}`, 'warning');
    else if (health.kind === 'ok') {
      // With the shard map of /v1/support: a shard with two owners is an error, never healthy.
      const polled = summarizeHealth(health.nodes, this.support?.shards);
      // A stopped container (a coreapp, the database) is not healthy, even when every node still listed answers.
      const stopped = snapshot.nodes.filter((n) => n.state !== 'running').map((n) => n.service);
      const summary = stopped.length === 0 ? polled : {
        ...polled, level: polled.level === 'ok' ? 'warning' as const : polled.level,
        problems: [...polled.problems, vscode.l10n.t('{0} of {1} containers not running: {2}', stopped.length, total, stopped.join(', '))],
      };
      const icon = health.backoff ? '$(watch)' : summary.level === 'ok' ? '$(pass)' : summary.level === 'warning' ? '$(warning)' : '$(error)';
      const backoff = health.backoff ? [vscode.l10n.t('{0} Shown: the health of {1}; next poll at {2}.', health.backoff.message, time(health.at), time(health.backoff.retryAt))] : [];
      const diagnose = summary.level === 'ok' ? [] : [vscode.l10n.t('Click to diagnose the cluster.')];
      const webapp = this.webapp?.();
      const tooltip = [`${containers}`, ...(webapp ? [webapp] : []), vscode.l10n.t('Health {0} at {1}: {2}', health.version ?? '', time(health.at), summary.text), ...summary.problems.map((p) => `• ${p}`), ...backoff, ...diagnose].join('\n');
      this.show(health.backoff ? vscode.l10n.t('{0} WABA: {1} (rate-limited)', icon, summary.text) : vscode.l10n.t('{0} WABA: {1}', icon, summary.text), tooltip, summary.level === 'ok' ? undefined : summary.level);
    } else if (health.kind === 'failed' && health.backoff) {
      // The webapp's rate limit (1015/429) is a wait, not a failure: polling resumes by itself.
      this.show(vscode.l10n.t('$(watch) WABA: health rate-limited'), `${containers}\n${vscode.l10n.t('{0} Next poll at {1}.', health.backoff.message, time(health.backoff.retryAt))}`, 'warning');
    } else if (health.kind === 'failed') {
      this.show(vscode.l10n.t('$(error) WABA: health failed'), `${containers}\n${health.message}`, 'error');
    } else {
      const why = health.reason ?? notConnected();
      this.show(vscode.l10n.t('$(server-process) WABA: {0}/{1} running', running, total), `${containers}\n${why}`, running < total || health.reason ? 'warning' : undefined);
    }
  }

  /** What the item shows now (undefined while hidden): for the extension-host tests. */
  shown: { text: string; tooltip: string; command: string } | undefined;

  private show(text: string, tooltip: string, level: 'warning' | 'error' | undefined): void {
    this.shown = { text, tooltip, command: level ? DIAGNOSE_COMMAND : SHOW_VIEW_COMMAND };
    // Unhealthy: a click diagnoses the cluster; otherwise it opens the view.
    this.item.command = this.shown.command;
    this.item.text = text;
    this.item.tooltip = tooltip;
    this.item.backgroundColor = level ? new vscode.ThemeColor(`statusBarItem.${level}Background`) : undefined;
    this.item.show();
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}

/** A time of day in the display language's format (numbers stay Western digits, like the rest of the UI). */
function time(at: Date): string {
  return at.toLocaleTimeString(vscode.env.language, { numberingSystem: 'latn' });
}
