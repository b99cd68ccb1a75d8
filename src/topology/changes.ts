// What changed between two looks at the cluster (health + the shard map): the role/status history
// under the panel's topology and the events of the failover drill's timeline.
import type { NodeHealth, NodeShards } from '../cluster/clusterHealth';
import { t } from '../l10n';
import { compactShards } from './shardMap';

/** A node's state in one look: its gateway_status, an error code, or gone from health. */
export interface NodeLook { node: string; status: string; role?: string }

/** One look at the cluster: each node by COREAPP_HOSTNAME, and who owns each shard. */
export interface ClusterLook { nodes: NodeLook[]; owners: Record<number, string[]>; control: string[] }

export type ChangeKind = 'status' | 'role' | 'shard' | 'control' | 'appeared' | 'gone';

export interface ClusterChange { kind: ChangeKind; node: string; text: string; from?: string; to?: string }

/** "connected", "1014", … for a node's health entry. */
export function statusOf(h: NodeHealth): string {
  return h.error ? String(h.error.code) : h.gatewayStatus ?? 'unknown';
}

export function lookAt(health: readonly NodeHealth[], shards: readonly NodeShards[] = []): ClusterLook {
  const owners: Record<number, string[]> = {};
  for (const s of shards) for (const shard of s.shards) (owners[shard] ??= []).push(s.coreappHostname);
  return {
    nodes: health.map((h) => ({ node: h.coreappHostname, status: statusOf(h), ...(h.role ? { role: h.role } : {}) })),
    owners,
    control: shards.filter((s) => s.control).map((s) => s.coreappHostname),
  };
}

/** The changes from `before` to `after`, nodes in name order, then shards in number order. */
export function changesBetween(before: ClusterLook, after: ClusterLook): ClusterChange[] {
  const out: ClusterChange[] = [];
  const was = new Map(before.nodes.map((n) => [n.node, n]));
  const now = new Map(after.nodes.map((n) => [n.node, n]));
  const names = [...new Set([...was.keys(), ...now.keys()])].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  for (const node of names) {
    const a = was.get(node), b = now.get(node);
    if (!a && b) out.push({ kind: 'appeared', node, to: b.status, text: t('{0} appeared: {1}', node, describe(b)) });
    else if (a && !b) out.push({ kind: 'gone', node, from: a.status, text: t('{0} left health (was {1})', node, describe(a)) });
    else if (a && b) {
      if (a.role !== b.role && b.role) out.push({ kind: 'role', node, from: a.role, to: b.role, text: t('{0}: {1} → {2}', node, a.role ?? '—', b.role) });
      if (a.status !== b.status) out.push({ kind: 'status', node, from: a.status, to: b.status, text: t('{0}: {1} → {2}', node, a.status, b.status) });
    }
  }
  const shards = [...new Set([...Object.keys(before.owners), ...Object.keys(after.owners)].map(Number))].sort((x, y) => x - y);
  for (const shard of shards) {
    const a = (before.owners[shard] ?? []).join(', '), b = (after.owners[shard] ?? []).join(', ');
    if (a === b) continue;
    out.push({ kind: 'shard', node: b || a, from: a || undefined, to: b || undefined,
      text: b ? (a ? t('shard {0}: {1} → {2}', shard, a, b) : t('shard {0} → {1}', shard, b)) : t('shard {0} lost its owner {1}', shard, a) });
  }
  const ca = before.control.join(', '), cb = after.control.join(', ');
  if (ca !== cb) out.push({ kind: 'control', node: cb || ca, from: ca || undefined, to: cb || undefined, text: cb ? t('control shard → {0}', cb) : t('control shard lost its owner {0}', ca) });
  return merged(out);
}

/** Several shards moving together read as one line: "shards 0–3: wacore1 → wacore5". */
function merged(changes: ClusterChange[]): ClusterChange[] {
  const out: ClusterChange[] = [];
  const groups = new Map<string, number[]>();
  for (const c of changes) {
    if (c.kind !== 'shard') { out.push(c); continue; }
    const shard = Number(/shard (\d+)/.exec(c.text)?.[1]);
    const key = `${c.from ?? ''}>${c.to ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), shard]);
  }
  for (const [key, shards] of groups) {
    if (shards.length === 1) { out.push(changes.find((c) => c.kind === 'shard' && `${c.from ?? ''}>${c.to ?? ''}` === key)!); continue; }
    const [from, to] = key.split('>');
    const list = compactShards(shards);
    out.push({ kind: 'shard', node: to || from, from: from || undefined, to: to || undefined,
      text: to ? (from ? t('shards {0}: {1} → {2}', list, from, to) : t('shards {0} → {1}', list, to)) : t('shards {0} lost their owner {1}', list, from) });
  }
  return out;
}

function describe(n: NodeLook): string {
  return n.role ? `${n.role} ${n.status}` : n.status;
}

/** A change as the history lists it: when, and what. */
export interface HistoryEntry { at: string; change: ClusterChange }

/**
 * The role/status changes seen since the panel opened, newest last, at most `limit` (the oldest
 * go first). The first look is the baseline, not a change.
 */
export class ClusterHistory {
  private last: ClusterLook | undefined;
  private readonly list: HistoryEntry[] = [];

  constructor(private readonly limit = 300) {}

  get entries(): readonly HistoryEntry[] { return this.list; }

  /** Records a look; returns the changes it brought. */
  record(look: ClusterLook, at: Date): ClusterChange[] {
    const changes = this.last ? changesBetween(this.last, look) : [];
    this.last = look;
    for (const change of changes) this.list.push({ at: at.toISOString(), change });
    if (this.list.length > this.limit) this.list.splice(0, this.list.length - this.limit);
    return changes;
  }
}
