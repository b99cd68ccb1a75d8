// Master lease, node registry and shard map.
import type { LeaseRow } from '../logic/election';
import type { ShardChange, ShardMap } from '../logic/shards';
import type { Sql } from './sql';

export type NodeKind = 'master' | 'coreapp';

export interface NodeRow {
  nodeKey: string;
  hostname: string;
  container: string;
  kind: NodeKind;
  version: string;
  startedMs: number;
  seenMs: number;
}

export async function readLease(sql: Sql): Promise<LeaseRow | null> {
  const rows = await sql.query<{ holder: string | null; expires_ms: string | number; epoch: string | number }>(
    'SELECT holder, expires_ms, epoch FROM master_lease WHERE id = 1');
  if (!rows.length) return null;
  return { holder: rows[0].holder, expiresMs: Number(rows[0].expires_ms), epoch: Number(rows[0].epoch) };
}

/** Compare-and-set on the lease epoch: only one master wins a takeover race. */
export async function writeLease(sql: Sql, expectedEpoch: number, holder: string, expiresMs: number): Promise<boolean> {
  const n = await sql.execute('UPDATE master_lease SET holder = ?, expires_ms = ?, epoch = epoch + 1 WHERE id = 1 AND epoch = ?',
    [holder, expiresMs, expectedEpoch]);
  return n === 1;
}

export async function releaseLease(sql: Sql, holder: string): Promise<void> {
  await sql.execute('UPDATE master_lease SET expires_ms = 0, epoch = epoch + 1 WHERE id = 1 AND holder = ?', [holder]);
}

/** Registers this container; an older container with the same COREAPP_HOSTNAME is replaced. */
export async function registerNode(sql: Sql, node: Omit<NodeRow, 'startedMs' | 'seenMs'>, nowMs: number): Promise<number> {
  const replaced = await sql.execute('DELETE FROM nodes WHERE hostname = ? AND node_key <> ?', [node.hostname, node.nodeKey]);
  await sql.upsert('nodes', ['node_key'], {
    node_key: node.nodeKey, hostname: node.hostname, container: node.container, kind: node.kind, version: node.version,
    started_ms: nowMs, seen_ms: nowMs,
  });
  return replaced;
}

export async function touchNode(sql: Sql, nodeKey: string, nowMs: number): Promise<void> {
  await sql.execute('UPDATE nodes SET seen_ms = ? WHERE node_key = ?', [nowMs, nodeKey]);
}

export async function listNodes(sql: Sql): Promise<NodeRow[]> {
  const rows = await sql.query<Record<string, string | number>>(
    'SELECT node_key, hostname, container, kind, version, started_ms, seen_ms FROM nodes ORDER BY hostname, node_key');
  return rows.map((r) => ({
    nodeKey: String(r.node_key), hostname: String(r.hostname), container: String(r.container), kind: r.kind as NodeKind,
    version: String(r.version), startedMs: Number(r.started_ms), seenMs: Number(r.seen_ms),
  }));
}

export async function readShardMap(sql: Sql): Promise<ShardMap> {
  const rows = await sql.query<{ shard_id: number; node_key: string }>('SELECT shard_id, node_key FROM shard_map');
  return new Map(rows.map((r) => [Number(r.shard_id), String(r.node_key)]));
}

export async function applyShardChanges(sql: Sql, changes: ShardChange[], nowMs: number): Promise<void> {
  for (const c of changes) {
    if (c.from !== null && c.to === null) await sql.execute('DELETE FROM shard_map WHERE shard_id = ? AND node_key = ?', [c.shard, c.from]);
  }
  for (const c of changes) {
    if (c.to !== null) await sql.upsert('shard_map', ['shard_id'], { shard_id: c.shard, node_key: c.to, assigned_ms: nowMs });
  }
}
