// The failover drill's timeline: looks at the cluster taken at a fine interval, the Docker events
// and messages around a kill, turned into phases (kill → seen gone → reassigned → standby connected)
// and a chart layout (one lane per node, a bar per status, markers for events). Pure data.
import { t } from '../l10n';
import type { ClusterLook } from '../topology/changes';

/** One look, `t` ms after the kill was issued (negative: the baseline before it). */
export interface TimedLook { t: number; look: ClusterLook }

export type MarkKind = 'kill' | 'docker' | 'change' | 'message-failed' | 'message-sent' | 'restart';

export interface TimelineMark { t: number; kind: MarkKind; node?: string; text: string }

export type PhaseName = 'seenGone' | 'reassigned' | 'takeoverConnected';

export interface Phase { name: PhaseName; label: string; t: number; node?: string }

export interface DrillTimeline {
  target: { node: string; role: 'coreapp' | 'primary_master'; shards: number[] };
  /** Epoch ms of t = 0 (the kill was issued). */
  startedAt: number;
  looks: TimedLook[];
  marks: TimelineMark[];
  phases: Phase[];
}

/**
 * The phases a user waits through, each at the first look (or Docker event) that shows it:
 * the node seen gone (Docker's die event, or health no longer answering for it), its shards owned
 * by another node (a coreapp), or another master primary (the primary master), and the node that
 * took over `connected`.
 */
export function findPhases(target: DrillTimeline['target'], looks: readonly TimedLook[], marks: readonly TimelineMark[]): Phase[] {
  const after = looks.filter((l) => l.t >= 0);
  const phases: Phase[] = [];
  const died = marks.find((m) => m.kind === 'docker' && m.node === target.node && m.t >= 0 && /\bdie\b/.test(m.text));
  // Health answering an error code for it (1014: the webapp cannot reach it), or no longer listing it.
  const unhealthy = after.find((l) => {
    const n = l.look.nodes.find((x) => x.node === target.node);
    return !n || /^\d+$/.test(n.status);
  });
  const gone = [died?.t, unhealthy?.t].filter((v): v is number => v !== undefined);
  if (gone.length) phases.push({ name: 'seenGone', label: t('{0} seen gone', target.node), t: Math.min(...gone), node: target.node });

  let taker: string | undefined;
  let takenAt: number | undefined;
  for (const l of after) {
    if (target.role === 'coreapp') {
      const owners = target.shards.map((s) => l.look.owners[s] ?? []);
      if (owners.length && owners.every((o) => o.length > 0 && !o.includes(target.node))) { taker = owners[0][0]; takenAt = l.t; break; }
    } else {
      const primary = l.look.nodes.find((n) => n.role === 'primary_master' && n.node !== target.node);
      if (primary) { taker = primary.node; takenAt = l.t; break; }
    }
  }
  if (taker !== undefined && takenAt !== undefined) {
    phases.push({ name: 'reassigned', node: taker, t: takenAt,
      label: target.role === 'coreapp' ? t('shard {0} → {1}', target.shards.join(', '), taker) : t('{0} elected primary master', taker) });
    const connected = after.find((l) => l.t >= takenAt! && l.look.nodes.some((n) => n.node === taker && n.status === 'connected'));
    if (connected) phases.push({ name: 'takeoverConnected', node: taker, t: connected.t, label: t('{0} connected', taker) });
  }
  return phases;
}

/** "4.6 s = unhealthy 3 s + 1.6 s": the reassignment against the cluster's settings. */
export function compareWithSettings(reassignedMs: number | undefined, heartbeat: number, unhealthy: number): { text: string; withinBound: boolean | undefined } {
  if (reassignedMs === undefined) return { text: t('No takeover was seen: nothing to compare with heartbeat {0} s / unhealthy {1} s.', heartbeat, unhealthy), withinBound: undefined };
  const seconds = reassignedMs / 1000;
  const rest = seconds - unhealthy;
  const bound = unhealthy + 2 * heartbeat;
  const sign = rest >= 0 ? '+' : '−';
  const text = t('{0} s = unhealthy {1} s {2} {3} s (heartbeat {4} s; the bound unhealthy + 2 heartbeats is {5} s)', seconds.toFixed(1), unhealthy, sign, Math.abs(rest).toFixed(1), heartbeat, bound);
  return { text, withinBound: seconds <= bound };
}

/** A lane of the chart: one node's statuses over time. */
export interface Lane { node: string; bars: Array<{ from: number; to: number; status: string; role?: string }> }

export interface ChartLayout {
  from: number;
  to: number;
  lanes: Lane[];
  marks: TimelineMark[];
  phases: Phase[];
  /** Axis ticks, in ms, at a round step. */
  ticks: number[];
}

/**
 * The chart of a timeline: every node that appears, with one bar per run of equal status (a look
 * holds until the next); the axis from the first look to the last event, ticks at 1, 2, 5, 10 s….
 */
export function chartLayout(timeline: DrillTimeline): ChartLayout {
  const looks = timeline.looks;
  const times = [...looks.map((l) => l.t), ...timeline.marks.map((m) => m.t), ...timeline.phases.map((p) => p.t)];
  const from = Math.min(0, ...times);
  const to = Math.max(1, ...times);
  const names = [...new Set(looks.flatMap((l) => l.look.nodes.map((n) => n.node)))].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const lanes: Lane[] = names.map((node) => {
    const bars: Lane['bars'] = [];
    looks.forEach((l, i) => {
      const n = l.look.nodes.find((x) => x.node === node);
      const status = n?.status ?? 'absent';
      const end = looks[i + 1]?.t ?? to;
      const last = bars.at(-1);
      if (last && last.status === status && last.role === n?.role) last.to = end;
      else bars.push({ from: l.t, to: end, status, ...(n?.role ? { role: n.role } : {}) });
    });
    return { node, bars };
  });
  return { from, to, lanes, marks: timeline.marks, phases: timeline.phases, ticks: ticks(from, to) };
}

function ticks(from: number, to: number): number[] {
  const span = to - from;
  const step = [250, 500, 1000, 2000, 5000, 10_000, 30_000, 60_000].find((s) => span / s <= 12) ?? 120_000;
  const out: number[] = [];
  for (let v = Math.ceil(from / step) * step; v <= to; v += step) out.push(v + 0); // + 0: no -0
  return out;
}

export const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
