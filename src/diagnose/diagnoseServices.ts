// Diagnose Cluster, the support bundle, the failover drill, the topology and the role/status history
// wired to the real ports: the engine the extension watches, the logged-in session, the cluster
// monitor and the shard map. One instance per window, shared by the commands and the panel.
// No vscode import: prompts come in from the commands.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseHealth, parseShardOwnership } from '../cluster/clusterHealth';
import type { ClusterMonitor } from '../cluster/clusterMonitor';
import type { HealthPoller } from '../cluster/healthPoller';
import { parseSupportBody, type HealthBody } from '../contract';
import { FailoverDrill, drillSummary, type DrillPrompter, type DrillProgress, type DrillResult } from '../workflows/failoverDrill';
import { chartLayout, type ChartLayout } from '../workflows/drillTimeline';
import { t } from '../l10n';
import type { ClusterSession } from '../session/clusterSession';
import { ClusterHistory, lookAt, type HistoryEntry } from '../topology/changes';
import type { SupportFeed } from '../topology/supportFeed';
import { topologyLayout, type TopologyLayout } from '../topology/topologyLayout';
import type { EngineSwitch } from '../docker/engineSwitch';
import type { WindowLocks } from '../workspace/windowLock';
import { diagnose, type Diagnosis } from './checks';
import { gatherFacts } from './gather';
import { bundleEntries } from './supportBundle';
import { zip } from './zip';
import { Emitter } from '../emitter';
import { notConnected, noClusterFolder } from '../notReady';

export interface DiagnoseDeps {
  engine: EngineSwitch;
  monitor: ClusterMonitor;
  session: ClusterSession;
  health: HealthPoller;
  support: SupportFeed;
  folder(): { path: string; project: string; apiVersion?: string; apiVersionFrom?: string; dbEngine?: string } | undefined;
  drift(): string | undefined;
  failoverExpectationSeconds(): number;
  /** One drill per cluster folder across this machine's VS Code windows. */
  locks: WindowLocks;
  log: { info(message: string): void; warn(message: string): void };
}

/** What the panel shows of the drill: running, or its outcome with the chart. */
export interface DrillView { running: boolean; target?: string; summary?: string; chart?: ChartLayout; report?: string; comparison?: string }

/** How long the webview took to draw a diagram (DOM and layout), and of how many nodes. */
export interface RenderReport { section: 'topology' | 'timeline'; ms: number; nodes: number }

/** The panel's part for diagnose (#8): topology, history, the last diagnosis and the last drill. */
export interface DiagnoseView {
  /** The last draw of each diagram, as the webview measured it. */
  renders: Partial<Record<RenderReport['section'], RenderReport & { at: string }>>;
  topology?: TopologyLayout;
  history: HistoryEntry[];
  diagnosis?: Diagnosis;
  diagnosing: boolean;
  drill?: DrillView;
}

const BUNDLE_WINDOWS = [15, 60, 180, 1440] as const;
export const bundleWindows = (): ReadonlyArray<{ minutes: number; label: string }> => BUNDLE_WINDOWS.map((minutes) => ({
  minutes, label: minutes < 60 ? t('Last {0} minutes', minutes) : minutes === 180 ? t('Last 3 hours (as wadebug logs)') : t('Last {0} hours', minutes / 60),
}));

const stamp = (d: Date) => d.toISOString().replace(/[:.]/g, '-');

export class DiagnoseServices {
  /** As many as the panel shows: the whole history travels to the webview with every change. */
  private readonly history = new ClusterHistory(60);
  private readonly changes = new Emitter<void>();
  private readonly subscriptions: Array<{ dispose(): void }>;
  private last: Diagnosis | undefined;
  private diagnosing = false;
  private drill: DrillView | undefined;
  private readonly renders: DiagnoseView['renders'] = {};

  constructor(private readonly deps: DiagnoseDeps) {
    // Every health answer (and the shard map after it) is a look; what changed goes into the history.
    const record = (): void => {
      const h = deps.health.state;
      if (h.kind !== 'ok' || h.backoff) return;
      if (this.history.record(lookAt(h.nodes, deps.support.shards), new Date()).length) this.changed();
    };
    this.subscriptions = [deps.support.onDidChange(record), deps.health.onDidChange(record)];
  }

  onDidChange(listener: () => void): { dispose(): void } {
    return this.changes.subscribe(listener);
  }

  get lastDiagnosis(): Diagnosis | undefined { return this.last; }

  view(): DiagnoseView {
    const snapshot = this.deps.monitor.snapshot;
    const health = this.deps.health.state.kind === 'ok' ? this.deps.health.state.nodes : [];
    return {
      topology: snapshot.kind === 'ready' && snapshot.nodes.length ? topologyLayout(snapshot.nodes, health, this.deps.support.shards) : undefined,
      history: [...this.history.entries],
      ...(this.last ? { diagnosis: this.last } : {}),
      diagnosing: this.diagnosing,
      renders: { ...this.renders },
      ...(this.drill ? { drill: this.drill } : {}),
    };
  }

  /** Kept for the figures (not pushed: drawing must not cause another draw). */
  noteRender(report: RenderReport): void {
    this.renders[report.section] = { ...report, at: new Date().toISOString() };
  }

  /** Gathers the facts and runs every check. */
  async diagnose(): Promise<Diagnosis> {
    this.diagnosing = true;
    this.changed();
    try {
      const { facts } = await this.gather();
      this.last = diagnose(facts);
      this.deps.log.info(t('Diagnose Cluster: {0} problem(s), {1} warning(s), {2} ok, {3} not checked', this.last.counts.problem, this.last.counts.warning, this.last.counts.ok, this.last.counts.skipped));
      return this.last;
    } finally {
      this.diagnosing = false;
      this.changed();
    }
  }

  /** Writes the last diagnosis (or a new one) as JSON; returns the file. */
  async exportDiagnosis(file?: string): Promise<string> {
    const diagnosis = this.last ?? (await this.diagnose());
    const folder = this.requireFolder();
    const target = file ?? join(folder, `waba-diagnosis-${stamp(new Date(diagnosis.at))}.json`);
    writeFileSync(target, JSON.stringify(diagnosis, null, 2) + '\n', { mode: 0o600 });
    return target;
  }

  /** The support bundle of the last `windowMinutes`, written into the cluster folder (readable by the user only). */
  async supportBundle(windowMinutes: number): Promise<string> {
    const folder = this.requireFolder();
    const now = new Date();
    const gathered = await this.gather();
    const diagnosis = diagnose(gathered.facts);
    this.last = diagnosis;
    const docker = this.deps.engine.current;
    const since = now.getTime() / 1000 - windowMinutes * 60;
    const logs = new Map<string, string[]>();
    for (const inspect of gathered.inspects) {
      const name = inspect.Name.replace(/^\//, '');
      logs.set(name, await docker.logsSince(inspect.Id, since).catch((e: Error) => [t('(the log could not be read: {0})', e.message)]));
    }
    const credentials = this.deps.session.current?.secrets ?? [];
    const entries = bundleEntries({ at: now, windowMinutes, folder, project: this.deps.folder()?.project, inspects: gathered.inspects, logs, answers: gathered.answers, diagnosis, extraSecrets: credentials });
    const file = join(folder, `waba-support-${stamp(now)}.zip`);
    writeFileSync(file, zip(entries), { flag: 'wx', mode: 0o600 });
    this.changed();
    return file;
  }

  /** Runs the failover drill with the user's answers; the panel follows it. */
  async runDrill(prompter: DrillPrompter, progress: DrillProgress): Promise<DrillResult | undefined> {
    const session = this.deps.session.current;
    if (!session) throw new Error(`${notConnected()} ${t('The drill reads health and the shard map while it runs.')}`);
    const folder = this.requireFolder();
    // Two drills at once would kill two nodes and each misread the other's takeover.
    const held = this.deps.locks.acquire(folder, 'drill', t('A failover drill'));
    try {
      return await this.drillWith(session, folder, prompter, progress);
    } finally {
      held.release();
    }
  }

  private async drillWith(session: NonNullable<ClusterSession['current']>, folder: string, prompter: DrillPrompter, progress: DrillProgress): Promise<DrillResult | undefined> {
    const docker = this.deps.engine;
    const get = async <T>(path: string): Promise<T> => (await session.authorized((authorization) => session.client.call<T>('GET', path, { authorization }))).body;
    const drill = new FailoverDrill({
      look: async () => {
        const [health, support] = await Promise.all([get<HealthBody>('/v1/health'), get<unknown>('/v1/support')]);
        return { health: parseHealth(health), shards: parseShardOwnership(parseSupportBody(support)) };
      },
      settings: async () => {
        const app = (await get<{ settings?: { application?: { heartbeat_interval?: number; unhealthy_interval?: number } } }>('/v1/settings/application')).settings?.application;
        return { heartbeat: app?.heartbeat_interval ?? 5, unhealthy: app?.unhealthy_interval ?? 30 };
      },
      containers: async () => {
        const project = this.deps.folder()?.project;
        return project ? (await docker.listProjectContainers(project)).map((c) => ({ id: c.id, service: c.service, name: c.name, state: c.state })) : [];
      },
      kill: (id) => docker.current.killContainer(id),
      start: (id) => docker.current.startContainer(id),
      events: docker.events,
      sendMessage: async (to) => {
        await session.authorized((authorization) => session.client.call('POST', '/v1/messages', { authorization, body: { recipient_type: 'individual', to, type: 'text', text: { body: t('Failover drill message') } } }));
      },
      save: (name, text) => { const file = join(folder, name); writeFileSync(file, text, { flag: 'wx' }); return file; },
      clock: { now: () => Date.now(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) },
    });
    const watching: DrillPrompter = {
      ...prompter,
      confirmKill: async (target, detail, canSend) => {
        const answer = await prompter.confirmKill(target, detail, canSend);
        if (answer) { this.drill = { running: true, target: target.node }; this.changed(); }
        return answer;
      },
      offerRestart: async (target, summary) => {
        this.changed();
        return prompter.offerRestart(target, summary);
      },
    };
    try {
      const result = await drill.run(watching, {
        signal: progress.signal,
        step: (message) => { progress.step(message); if (this.drill?.running) { this.drill = { ...this.drill, summary: message }; this.changed(); } },
      });
      if (result) {
        this.drill = { running: false, target: result.target.node, summary: drillSummary(result), chart: chartLayout(result.timeline), report: result.files.markdown, comparison: result.comparison.text };
        this.deps.log.info(drillSummary(result));
      }
      return result;
    } catch (error) {
      if (this.drill?.running) this.drill = { running: false, target: this.drill.target, summary: t('The drill failed: {0}', (error as Error).message) };
      throw error;
    } finally {
      if (this.drill?.running) this.drill = { ...this.drill, running: false };
      this.changed();
    }
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changes.dispose();
  }

  private gather() {
    const session = this.deps.session.current;
    return gatherFacts({
      folder: this.deps.folder(),
      docker: { listProjectContainers: (p) => this.deps.engine.listProjectContainers(p), inspect: (id) => this.deps.engine.current.inspect(id), exec: (id, cmd, o) => this.deps.engine.current.exec(id, cmd, o) },
      api: session && { get: async (path) => (await session.authorized((authorization) => session.client.call('GET', path, { authorization }))).body },
      drift: this.deps.drift(),
      failoverExpectationSeconds: this.deps.failoverExpectationSeconds(),
    });
  }

  private requireFolder(): string {
    const folder = this.deps.folder()?.path;
    if (!folder) throw new Error(noClusterFolder());
    return folder;
  }

  private changed(): void {
    this.changes.fire();
  }
}
