// The failover drill, without vscode: pick a connected coreapp or the primary master, record a
// baseline, kill the node (after asking), watch Docker's events and fine polls of health and the
// shard map until another node took its role and connected, optionally sending messages all along,
// then compare with heartbeat/unhealthy, save the report as Markdown + JSON, offer a restart.
import { healthOfContainer, type NodeHealth, type NodeShards } from '../cluster/clusterHealth';
import type { EngineEventListener } from '../docker/eventHub';
import { t } from '../l10n';
import { changesBetween, lookAt, type ClusterLook } from '../topology/changes';
import { compactShards } from '../topology/shardMap';
import { compareWithSettings, findPhases, seconds, type DrillTimeline, type Phase, type TimedLook, type TimelineMark } from './drillTimeline';

export interface DrillContainer { id: string; service: string; name: string; state: string }

export interface DrillCandidate {
  node: string;
  role: 'coreapp' | 'primary_master';
  shards: number[];
  container: DrillContainer;
  /** "coreapp · shard 0", "primary master · control shard". */
  description: string;
}

export interface DrillPorts {
  /** One look at health and the shard map (`/v1/health`, `/v1/support`); throws when the webapp does not answer. */
  look(): Promise<{ health: NodeHealth[]; shards: NodeShards[] }>;
  settings(): Promise<{ heartbeat: number; unhealthy: number }>;
  containers(): Promise<DrillContainer[]>;
  kill(id: string): Promise<void>;
  start(id: string): Promise<void>;
  /** The engine's shared container event stream. */
  events: { subscribe(listener: EngineEventListener): { dispose(): void } };
  /** Sends one text message (`POST /v1/messages`); throws with the webapp's error. */
  sendMessage?(to: string): Promise<void>;
  /** Writes a file into the cluster folder; returns its path. */
  save(name: string, text: string): string;
  clock: { now(): number; sleep(ms: number): Promise<void> };
}

export interface DrillPrompter {
  pickTarget(candidates: readonly DrillCandidate[]): Promise<DrillCandidate | undefined>;
  /** Asks before the kill; `messages`: whether to send messages throughout. */
  confirmKill(target: DrillCandidate, detail: string, canSendMessages: boolean): Promise<{ messages: boolean } | undefined>;
  offerRestart(target: DrillCandidate, summary: string): Promise<boolean>;
}

export interface DrillProgress { step(message: string): void; readonly signal?: AbortSignal }

export interface DrillResult {
  at: string;
  target: { node: string; role: DrillCandidate['role']; shards: number[]; container: string };
  settings: { heartbeat: number; unhealthy: number };
  phases: Array<Phase & { seconds: number }>;
  comparison: { text: string; withinBound: boolean | undefined };
  messages: { sent: number; failed: number; failures: Array<{ t: number; error: string }> };
  complete: boolean;
  /** When the Docker engine stopped answering (ms after the kill): the drill stopped there. */
  engineLostAt?: number;
  restarted: boolean;
  files: { markdown: string; json: string };
  timeline: DrillTimeline;
}

export interface DrillOptions {
  intervalMs?: number;
  /** Extra time to watch after the settings' bound before giving up. */
  graceMs?: number;
  /** Recipients the messages go to, in turn (spread over the shards by the client's hash). */
  recipients?: readonly string[];
}

const DEFAULT_RECIPIENTS = ['16315551001', '16315551002', '16315551003', '16315551004', '16315551005', '16315551006', '16315551007', '16315551008'];

/** The nodes a drill may kill: connected coreapps that own shards, and the primary master. */
export function drillCandidates(health: readonly NodeHealth[], shards: readonly NodeShards[], containers: readonly DrillContainer[]): DrillCandidate[] {
  const out: DrillCandidate[] = [];
  for (const c of containers.filter((x) => x.state === 'running')) {
    const h = healthOfContainer({ ...c, status: '', image: '', ports: [] }, health);
    const s = healthOfContainer({ ...c, status: '', image: '', ports: [] }, shards);
    if (!h) continue;
    if (h.role === 'coreapp' && h.gatewayStatus === 'connected' && s && s.shards.length > 0) {
      out.push({ node: h.coreappHostname, role: 'coreapp', shards: s.shards, container: c, description: t('coreapp · shards {0}', compactShards(s.shards)) });
    } else if (h.role === 'primary_master') {
      out.push({ node: h.coreappHostname, role: 'primary_master', shards: [], container: c, description: t('primary master{0}', s?.control ? t(' · control shard') : '') });
    }
  }
  return out;
}

export class DrillError extends Error {}

export class FailoverDrill {
  constructor(private readonly ports: DrillPorts, private readonly options: DrillOptions = {}) {}

  async run(prompter: DrillPrompter, progress: DrillProgress): Promise<DrillResult | undefined> {
    const { ports } = this;
    const [first, settings, containers] = await Promise.all([ports.look(), ports.settings(), ports.containers()]);
    const candidates = drillCandidates(first.health, first.shards, containers);
    if (candidates.length === 0) throw new DrillError(t('No node to drill: a drill kills a connected coreapp that owns a shard, or the primary master. Register the number and set shards first (Cluster Panel).'));
    const target = await prompter.pickTarget(candidates);
    if (!target) return undefined;
    const bound = settings.unhealthy + 2 * settings.heartbeat;
    const owners = new Set(first.shards.filter((s) => s.shards.length > 0).map((s) => s.key));
    const standbys = first.health.filter((h) => h.role === (target.role === 'coreapp' ? 'coreapp' : 'secondary_master') && !owners.has(h.key) && !h.error);
    const taker = target.role === 'coreapp' ? t('a standby coreapp') : t('the other master');
    const detail = t('{0} ({1}) is killed with SIGKILL, like a crash. With heartbeat {2} s and unhealthy {3} s, {4} should take over within about {5} s; {6} candidate(s) now: {7}.',
      target.node, target.description, settings.heartbeat, settings.unhealthy, taker, bound, standbys.length, standbys.map((s) => s.coreappHostname).join(', ') || t('none'));
    const answer = await prompter.confirmKill(target, detail, ports.sendMessage !== undefined);
    if (!answer) return undefined;

    const interval = this.options.intervalMs ?? 200;
    const looks: TimedLook[] = [];
    const marks: TimelineMark[] = [];
    const messages: DrillResult['messages'] = { sent: 0, failed: 0, failures: [] };
    let t0 = ports.clock.now();
    const at = () => ports.clock.now() - t0;
    const serviceOf = new Map(containers.map((c) => [c.id, c.service]));
    let engineLostAt: number | undefined;
    const subscription = ports.events.subscribe({
      // The engine stopped or restarted: what the drill sees from here is that, not the failover.
      lost: () => {
        if (engineLostAt !== undefined) return;
        engineLostAt = at();
        marks.push({ t: engineLostAt, kind: 'docker', text: t('the Docker engine stopped answering') });
      },
      event: (e) => {
        const service = serviceOf.get(e.id) ?? e.service;
        if (service && ['kill', 'die', 'stop', 'start', 'restart', 'oom'].includes(e.action)) marks.push({ t: at(), kind: 'docker', node: service, text: t('docker {0} {1}', e.action, service) });
      },
    });
    let previous: ClusterLook = lookAt(first.health, first.shards);
    const lookNow = async (): Promise<void> => {
      const when = at();
      try {
        const { health, shards } = await ports.look();
        const look = lookAt(health, shards);
        for (const change of changesBetween(previous, look)) marks.push({ t: when, kind: 'change', node: change.node, text: change.text });
        previous = look;
        looks.push({ t: when, look });
      } catch {
        // The webapp did not answer this look: a gap in the chart, not the end of the drill.
      }
    };
    const recipients = this.options.recipients ?? DEFAULT_RECIPIENTS;
    let pendingMessage: Promise<void> | undefined;
    const sendOne = (): void => {
      if (!answer.messages || !ports.sendMessage || pendingMessage) return;
      const when = at();
      const to = recipients[messages.sent % recipients.length];
      messages.sent++;
      pendingMessage = ports.sendMessage(to).then(
        () => undefined,
        (e: Error) => { messages.failed++; messages.failures.push({ t: when, error: e.message }); marks.push({ t: when, kind: 'message-failed', text: t('message to +{0} failed: {1}', to, e.message) }); },
      ).finally(() => { pendingMessage = undefined; });
    };

    let phases: Phase[] = [];
    try {
      progress.step(t('Baseline of {0} nodes; killing {1}', first.health.length, target.node));
      t0 = ports.clock.now();
      looks.push({ t: -1, look: previous });
      await ports.kill(target.container.id);
      marks.push({ t: 0, kind: 'kill', node: target.node, text: t('kill {0} (SIGKILL)', target.node) });
      const deadline = (bound * 1000) + (this.options.graceMs ?? 20_000);
      let settledAt: number | undefined;
      while (at() < deadline && !progress.signal?.aborted && engineLostAt === undefined) {
        const tick = ports.clock.now();
        sendOne();
        await lookNow();
        phases = findPhases(target, looks, marks);
        if (settledAt === undefined && phases.some((p) => p.name === 'takeoverConnected')) {
          settledAt = at();
          progress.step(t('{0} took over after {1}', phases.at(-1)?.node ?? '', seconds(settledAt)));
        }
        // A little more after the takeover, so the chart shows the settled state.
        if (settledAt !== undefined && at() - settledAt >= Math.max(1000, 5 * interval)) break;
        await ports.clock.sleep(Math.max(0, interval - (ports.clock.now() - tick)));
      }
      await pendingMessage;
    } finally {
      subscription.dispose();
    }

    phases = findPhases(target, looks, marks);
    const reassigned = phases.find((p) => p.name === 'reassigned');
    const timeline: DrillTimeline = { target: { node: target.node, role: target.role, shards: target.shards }, startedAt: t0, looks, marks, phases };
    const comparison = compareWithSettings(reassigned?.t, settings.heartbeat, settings.unhealthy);
    const complete = phases.some((p) => p.name === 'takeoverConnected');
    const stamp = new Date(t0).toISOString().replace(/[:.]/g, '-');
    const result: DrillResult = {
      at: new Date(t0).toISOString(),
      target: { node: target.node, role: target.role, shards: target.shards, container: target.container.name },
      settings, phases: phases.map((p) => ({ ...p, seconds: p.t / 1000 })), comparison, messages, complete, restarted: false, ...(engineLostAt !== undefined ? { engineLostAt } : {}),
      files: { markdown: '', json: '' }, timeline,
    };
    result.files.markdown = ports.save(`failover-drill-${stamp}.md`, drillMarkdown(result));
    result.files.json = ports.save(`failover-drill-${stamp}.json`, JSON.stringify(result, null, 2) + '\n');
    if (engineLostAt !== undefined) {
      const last = phases.at(-1);
      throw new DrillError(t('The drill on {0} stopped {1} after the kill, {2}: the Docker engine stopped or restarted. The report so far: {3}. Once Docker answers, start the nodes that stopped (Start Cluster), then run the drill again.',
        target.node, seconds(engineLostAt), last ? t('after "{0}" ({1})', last.label, seconds(last.t)) : t('before any phase was seen'), result.files.markdown));
    }
    progress.step(complete ? comparison.text : t('No takeover within {0}: see the report.', seconds(at())));

    if (await prompter.offerRestart(target, drillSummary(result))) {
      await ports.start(target.container.id);
      result.restarted = true;
    }
    return result;
  }
}

/** One sentence for the notification. */
export function drillSummary(r: DrillResult): string {
  if (!r.complete) return t('Drill on {0}: no takeover was seen. Report: {1}', r.target.node, r.files.markdown);
  const last = r.phases.at(-1)!;
  return t('Drill on {0}: {1} after {2}. {3}', r.target.node, last.label, seconds(last.t), r.comparison.text);
}

/** The report saved in the cluster folder. */
export function drillMarkdown(r: DrillResult): string {
  const lines = [
    `# ${t('Failover drill: {0}', r.target.node)}`,
    '',
    t('- When: {0}', r.at),
    t('- Killed: {0} ({1}, container {2}){3}', r.target.node, r.target.role, r.target.container, r.target.shards.length ? t(', shards {0}', compactShards(r.target.shards)) : ''),
    t('- Settings: heartbeat_interval {0} s, unhealthy_interval {1} s', r.settings.heartbeat, r.settings.unhealthy),
    t('- Outcome: {0}', r.engineLostAt !== undefined ? t('stopped {0} after the kill: the Docker engine stopped answering', seconds(r.engineLostAt)) : r.complete ? t('another node took over') : t('no takeover seen')),
    '',
    `| ${t('Phase')} | ${t('After the kill')} |`,
    '|---|---|',
    `| ${t('kill issued')} | 0.0 s |`,
    ...r.phases.map((p) => `| ${p.label} | ${seconds(p.t)} |`),
    '',
    r.comparison.text + (r.comparison.withinBound === false ? t(' — slower than the bound.') : ''),
    '',
  ];
  if (r.messages.sent) {
    const f = r.messages.failures;
    lines.push(t('Messages: {0} sent, {1} failed{2}.', r.messages.sent, r.messages.failed, f.length ? t(' between {0} and {1} (the failure window)', seconds(f[0].t), seconds(f.at(-1)!.t)) : ''), '');
  }
  lines.push(`## ${t('What changed')}`, '', `| t | ${t('Event')} |`, '|---|---|');
  for (const m of r.timeline.marks.filter((x) => x.kind !== 'message-failed').sort((a, b) => a.t - b.t)) lines.push(`| ${seconds(m.t)} | ${m.text} |`);
  if (r.restarted) lines.push('', t('{0} was started again afterwards.', r.target.node));
  return lines.join('\n') + '\n';
}
