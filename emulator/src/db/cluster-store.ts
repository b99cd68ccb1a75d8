// Master lease, node registry (each node's claim on its COREAPP_HOSTNAME) and shard map.
import type { LeaseRow } from '../logic/election';
import { claimLapsed } from '../logic/failover';
import { mayTakeOver } from '../logic/fencing';
import { decideClaim, type ClaimantRow } from '../logic/identity';
import type { ShardChange, ShardMap } from '../logic/shards';
import type { Sql, Statements } from './sql';

export type NodeKind = 'master' | 'coreapp';

export interface NodeIdentity {
  nodeKey: string;
  hostname: string;
  container: string;
  kind: NodeKind;
  version: string;
}

export interface NodeRow extends NodeIdentity, ClaimantRow {
  startedMs: number;
}

/**
 * Where other containers reach a node: its container hostname, which Docker resolves on the
 * cluster network (the short container id is an alias there). COREAPP_HOSTNAME is the service
 * alias, shared by every replica of a scaled service and lost on a plain `docker network connect`.
 */
export function nodeAddress(node: NodeIdentity): string {
  return node.container;
}

export async function readLease(sql: Statements): Promise<LeaseRow | null> {
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

/**
 * In a transaction: locks the lease row (a takeover waits for the commit) and tells whether `me`
 * holds an unexpired lease by the database clock. The fencing token of every primary-only write.
 */
export async function lockHeldLease(tx: Statements, me: string): Promise<boolean> {
  const rows = await tx.query<{ holder: string | null; expires_ms: string | number }>('SELECT holder, expires_ms FROM master_lease WHERE id = 1 FOR UPDATE');
  const now = await tx.nowMs();
  return rows.length === 1 && rows[0].holder === me && !mayTakeOver(Number(rows[0].expires_ms), now, 0);
}

type DbRow = Record<string, string | number | null>;

function nodeRow(r: DbRow): NodeRow {
  return {
    nodeKey: String(r.node_key), hostname: String(r.hostname), container: String(r.container), kind: r.kind as NodeKind,
    version: String(r.version), startedMs: Number(r.started_ms), seenMs: Number(r.seen_ms), expiresMs: Number(r.expires_ms),
    refusedBy: r.refused_by === null ? null : String(r.refused_by),
  };
}

const NODE_COLUMNS = 'node_key, hostname, container, kind, version, started_ms, seen_ms, expires_ms, refused_by';

export type ClaimResult = { releasedShards: number[] } & (
  | { kind: 'claimed'; replaced: string[] }
  | { kind: 'refused'; holder: ClaimantRow });

/**
 * Claims this container's COREAPP_HOSTNAME (at start, and whenever its row vanished): refused while
 * another container holds it with a live claim; otherwise the lapsed rows of earlier containers are
 * removed. Either way the node starts as a standby: shards still mapped to it are given up, so a node
 * that was cut off never resumes a shard on its own (the primary master assigns shards).
 */
export async function claimHostname(sql: Sql, node: NodeIdentity, spanMs: number): Promise<ClaimResult> {
  return sql.withLock(`node:${node.hostname}`, async () => {
    const now = await sql.nowMs();
    const rows = (await sql.query<DbRow>(`SELECT ${NODE_COLUMNS} FROM nodes WHERE hostname = ?`, [node.hostname])).map(nodeRow);
    const decision = decideClaim(rows, node.nodeKey, now);
    if (decision.kind === 'claim') {
      for (const key of decision.stale) await sql.execute('DELETE FROM nodes WHERE node_key = ?', [key]);
    }
    const refusedBy = decision.kind === 'refused' ? decision.holder.nodeKey : null;
    const updated = await sql.execute(
      'UPDATE nodes SET hostname = ?, container = ?, kind = ?, version = ?, started_ms = ?, seen_ms = ?, expires_ms = ?, refused_by = ? WHERE node_key = ? AND seen_ms <= ?',
      [node.hostname, node.container, node.kind, node.version, now, now, now + spanMs, refusedBy, node.nodeKey, now]);
    const written = updated === 1 || (await sql.insertIfAbsent('nodes', ['node_key'], {
      node_key: node.nodeKey, hostname: node.hostname, container: node.container, kind: node.kind, version: node.version,
      started_ms: now, seen_ms: now, expires_ms: now + spanMs, refused_by: refusedBy,
    })) === 1;
    if (!written) throw new Error('this node\'s registry row holds a later heartbeat than this claim (database clock stepped back?); claiming again');
    const owned = await sql.query<{ shard_id: number }>('SELECT shard_id FROM shard_map WHERE node_key = ?', [node.nodeKey]);
    if (owned.length) await sql.execute('DELETE FROM shard_map WHERE node_key = ?', [node.nodeKey]);
    const releasedShards = owned.map((r) => Number(r.shard_id));
    return decision.kind === 'refused'
      ? { kind: 'refused', holder: decision.holder, releasedShards }
      : { kind: 'claimed', replaced: decision.stale, releasedShards };
  }, 10);
}

/**
 * The node's heartbeat in the database. false: its row is gone (taken over or cleaned up): claim
 * again. A renewal never moves the row back: one that timed out here but reached the database later
 * (left in the socket of a connection cut by a partition) must not overwrite a later one, whose
 * span the node now serves by.
 */
export async function renewClaim(sql: Sql, nodeKey: string, dbNowMs: number, spanMs: number): Promise<boolean> {
  const n = await sql.execute('UPDATE nodes SET seen_ms = ?, expires_ms = ? WHERE node_key = ? AND refused_by IS NULL AND seen_ms <= ?',
    [dbNowMs, dbNowMs + spanMs, nodeKey, dbNowMs]);
  return n === 1;
}

/** A node stopping cleanly leaves the registry (after it stopped acting), so a recreated container takes over at once. */
export async function deregisterNode(sql: Sql, nodeKey: string): Promise<void> {
  await sql.execute('DELETE FROM nodes WHERE node_key = ?', [nodeKey]);
}

export async function listNodes(sql: Statements): Promise<NodeRow[]> {
  const rows = await sql.query<DbRow>(`SELECT ${NODE_COLUMNS} FROM nodes ORDER BY hostname, node_key`);
  return rows.map(nodeRow);
}

export async function readShardMap(sql: Statements): Promise<ShardMap> {
  const rows = await sql.query<{ shard_id: number; node_key: string }>('SELECT shard_id, node_key FROM shard_map');
  return new Map(rows.map((r) => [Number(r.shard_id), String(r.node_key)]));
}

/** In a transaction: locks a shard's row and returns its owner (a reassignment waits for the commit). */
export async function lockShardOwner(tx: Statements, shard: number): Promise<string | null> {
  const rows = await tx.query<{ node_key: string }>('SELECT node_key FROM shard_map WHERE shard_id = ? FOR UPDATE', [shard]);
  return rows.length ? String(rows[0].node_key) : null;
}

/**
 * In a transaction holding the lease: applies a shard plan. Taking a shard from an unhealthy or
 * vanished owner is a compare-and-set on that owner's claim: if it renewed since the plan was made,
 * the shard stays. Returns the changes that were applied.
 */
export async function applyShardChanges(tx: Statements, changes: ShardChange[]): Promise<ShardChange[]> {
  const applied: ShardChange[] = [];
  const kept = new Set<number>();
  const now = await tx.nowMs();
  for (const c of changes.filter((x) => x.from !== null && x.to === null)) {
    if (c.reason === 'owner unhealthy' || c.reason === 'owner gone') {
      const [owner] = (await tx.query<DbRow>(`SELECT ${NODE_COLUMNS} FROM nodes WHERE node_key = ? FOR UPDATE`, [c.from])).map(nodeRow);
      if (owner && owner.refusedBy === null && !claimLapsed(owner, now)) {
        kept.add(c.shard);
        continue;
      }
    }
    await tx.execute('DELETE FROM shard_map WHERE shard_id = ? AND node_key = ?', [c.shard, c.from]);
    applied.push(c);
  }
  for (const c of changes.filter((x) => x.to !== null)) {
    if (kept.has(c.shard)) continue;
    if (await tx.insertIfAbsent('shard_map', ['shard_id'], { shard_id: c.shard, node_key: c.to, assigned_ms: now })) applied.push(c);
  }
  return applied;
}
