import type { NodeHealth, NodeShards } from '../cluster/clusterHealth';

/** What a node does in the shard map, as the tree and the topology name it. */
export type ShardPart =
  | { kind: 'owner'; shards: number[] }
  | { kind: 'control' }
  | { kind: 'standby' }
  | { kind: 'none' };

/**
 * A node's part in the shard map: the data shards it owns; the control shard (the primary master in
 * Multiconnect); a standby (a healthy coreapp owning nothing while others own shards: the one that
 * takes over); or nothing to say (unregistered, not ready, a secondary master).
 */
export function shardPart(health: NodeHealth | undefined, shards: NodeShards | undefined, anyOwned: boolean): ShardPart {
  if (shards && shards.shards.length > 0) return { kind: 'owner', shards: shards.shards };
  if (shards?.control) return { kind: 'control' };
  const role = health?.role ?? shards?.role;
  if (anyOwned && role === 'coreapp' && !health?.error && !shards?.error) return { kind: 'standby' };
  return { kind: 'none' };
}

/** "shard 1", "shards 0–3", "shards 0, 2", "control shard", "standby", or undefined. */
export function shardText(part: ShardPart): string | undefined {
  switch (part.kind) {
    case 'owner': return `${part.shards.length === 1 ? 'shard' : 'shards'} ${compactShards(part.shards)}`;
    case 'control': return 'control shard';
    case 'standby': return 'standby';
    case 'none': return undefined;
  }
}

/** Shard ids as ranges: [0,1,2,3,5] → "0–3, 5". */
export function compactShards(shards: readonly number[]): string {
  const sorted = [...new Set(shards)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; i++) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(j - i >= 2 ? `${sorted[i]}–${sorted[j]}` : j === i ? `${sorted[i]}` : `${sorted[i]}, ${sorted[j]}`);
    i = j;
  }
  return parts.join(', ');
}

/** Whether any node owns a data shard (the number is registered with shards set). */
export function anyShardOwned(shards: readonly NodeShards[]): boolean {
  return shards.some((s) => s.shards.length > 0);
}
