// Shard assignment by the primary master. The shard map holds data shards 0..S-1 only;
// the control shard -1 follows from it: in HA (S=1) the owner of shard 0 also owns -1,
// in Multiconnect the primary master owns -1.

/** data shard id -> owning node key */
export type ShardMap = Map<number, string>;

export interface CoreappCandidate {
  key: string;
  hostname: string;
  /** May keep a shard it owns (has not missed heartbeats for unhealthy_interval). */
  healthy: boolean;
  /** May be given a shard (answers heartbeats now and runs a compatible schema). */
  eligible: boolean;
}

export interface ShardChange {
  shard: number;
  from: string | null;
  to: string | null;
  reason: 'shard count changed' | 'owner unhealthy' | 'owner gone' | 'duplicate owner' | 'assigned';
}

export interface ShardPlan {
  map: ShardMap;
  changes: ShardChange[];
}

export function planShards(shards: number, current: ShardMap, coreapps: CoreappCandidate[]): ShardPlan {
  const byKey = new Map(coreapps.map((c) => [c.key, c]));
  const map: ShardMap = new Map();
  const changes: ShardChange[] = [];
  const owners = new Set<string>();

  for (const [shard, owner] of [...current.entries()].sort((a, b) => a[0] - b[0])) {
    const node = byKey.get(owner);
    let reason: ShardChange['reason'] | null = null;
    if (shard >= shards || shard < 0) reason = 'shard count changed';
    else if (!node) reason = 'owner gone';
    else if (!node.healthy) reason = 'owner unhealthy';
    else if (owners.has(owner)) reason = 'duplicate owner';
    if (reason) {
      changes.push({ shard, from: owner, to: null, reason });
      continue;
    }
    map.set(shard, owner);
    owners.add(owner);
  }

  const standbys = coreapps
    .filter((c) => c.eligible && c.healthy && !owners.has(c.key))
    .sort((a, b) => a.hostname.localeCompare(b.hostname, 'en', { numeric: true }) || a.key.localeCompare(b.key));
  for (let shard = 0; shard < shards; shard++) {
    if (map.has(shard)) continue;
    const next = standbys.shift();
    if (!next) break;
    map.set(shard, next.key);
    owners.add(next.key);
    changes.push({ shard, from: null, to: next.key, reason: 'assigned' });
  }
  return { map, changes };
}

/** The `shards` field of /v1/support: [[first, last], ...] ranges owned by the node. */
export function shardsOwnedBy(nodeKey: string, shards: number, map: ShardMap, primaryMaster: string | null): number[][] {
  const owned: number[][] = [];
  const dataShards = [...map.entries()].filter(([, owner]) => owner === nodeKey).map(([s]) => s).sort((a, b) => a - b);
  const ownsControl = shards === 1 ? dataShards.includes(0) : primaryMaster === nodeKey;
  if (ownsControl) owned.push([-1, -1]);
  for (const s of dataShards) owned.push([s, s]);
  return owned;
}
