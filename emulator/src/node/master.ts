// A master node: competes for the DB lease; as primary it heartbeats the coreapps,
// assigns shards and performs failover, and answers the master-only operations.
import type { NodeConfig } from '../config';
import { applyShardChanges, listNodes, readLease, releaseLease, writeLease } from '../db/cluster-store';
import type { Sql } from '../db/sql';
import { decideLease, leaseTtlMs, roleFromLease, type MasterRole } from '../logic/election';
import { ApiError } from '../logic/envelope';
import { liveness, type HeartbeatRecord } from '../logic/failover';
import { intervalsOf } from '../logic/settings';
import { planShards, type CoreappCandidate, type ShardChange } from '../logic/shards';
import { log } from '../log';
import { callNode, CONTROL_PORT, type InternalReply } from '../net/internal-api';
import { ClusterNode } from './cluster-node';
import { CONTROL_OPS } from './master-control';

const ELECTION_MS = 1000;

interface Watched extends HeartbeatRecord {
  schemaReady: boolean;
}

export class Master {
  readonly node: ClusterNode;
  private role: MasterRole = 'secondary_master';
  private watched = new Map<string, Watched>();
  private lastRoundMs = 0;
  private roundRunning = false;
  private roundAgain = false;
  private ticking = false;
  private timer?: NodeJS.Timeout;

  constructor(cfg: NodeConfig, private readonly sql: Sql) {
    this.node = new ClusterNode(cfg, sql);
    this.node.roleOf = () => this.role;
  }

  async start(): Promise<void> {
    await this.node.start((method, path, body) => this.control(method, path, body));
    log.info(`role: ${this.role}`);
    await this.tick();
    this.timer = setInterval(() => void this.tick(), ELECTION_MS);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.node.stop();
    if (this.role === 'primary_master') {
      await releaseLease(this.sql, this.node.cfg.nodeKey).catch(() => undefined);
      log.info('released the master lease');
    }
  }

  private setRole(next: MasterRole): void {
    if (next === this.role) return;
    log.info(`role changed: ${this.role} -> ${next}`);
    this.role = next;
    if (next === 'primary_master') {
      this.watched.clear();
      this.lastRoundMs = 0;
    }
    void this.node.refresh();
  }

  private async tick(): Promise<void> {
    // A tick can outlast the interval while the DB is unreachable; never run two at once.
    if (this.ticking) return;
    this.ticking = true;
    try {
      await this.elect();
      if (this.role !== 'primary_master') return;
      const { heartbeatMs } = intervalsOf(this.node.snapshot.settings);
      if (Date.now() - this.lastRoundMs >= heartbeatMs) await this.manageCluster();
    } catch (e) {
      log.warn(`master tick failed: ${(e as Error).message}`);
    } finally {
      this.ticking = false;
    }
  }

  private async elect(): Promise<void> {
    if (!this.node.schemaReady) {
      this.setRole('secondary_master');
      return;
    }
    const me = this.node.cfg.nodeKey;
    const row = await readLease(this.sql);
    const now = await this.sql.nowMs();
    const decision = decideLease(row, me, now, leaseTtlMs(intervalsOf(this.node.snapshot.settings).heartbeatMs / 1000));
    if (decision.kind === 'wait') {
      this.setRole('secondary_master');
      return;
    }
    const won = await writeLease(this.sql, row?.epoch ?? 0, me, decision.expiresMs);
    if (decision.kind === 'acquire' && won && row?.holder && row.holder !== me) log.info(`took over the master lease from ${row.holder}`);
    // Losing the compare-and-set means someone wrote the lease meanwhile: believe the row.
    this.setRole(won ? 'primary_master' : roleFromLease(await readLease(this.sql), me, await this.sql.nowMs()));
  }

  /** Runs a heartbeat round now (or right after the running one). */
  private clusterChanged(): void {
    if (this.role !== 'primary_master') return;
    void this.node.refresh().then(() => this.manageCluster());
  }

  private async manageCluster(): Promise<void> {
    if (this.roundRunning) {
      this.roundAgain = true;
      return;
    }
    this.roundRunning = true;
    try {
      do {
        this.roundAgain = false;
        this.lastRoundMs = Date.now();
        await this.heartbeatRound();
      } while (this.roundAgain);
    } finally {
      this.roundRunning = false;
    }
  }

  private async heartbeatRound(): Promise<void> {
    const { heartbeatMs, unhealthyMs } = intervalsOf(this.node.snapshot.settings);
    const coreapps = (await listNodes(this.sql)).filter((n) => n.kind === 'coreapp');
    const started = Date.now();
    await Promise.all(coreapps.map(async (n) => {
      const rec = this.watched.get(n.nodeKey) ?? { watchedSinceMs: started, schemaReady: false };
      this.watched.set(n.nodeKey, rec);
      try {
        const reply = await callNode(n.hostname, CONTROL_PORT, 'POST', '/heartbeat', { from: this.node.cfg.nodeKey }, Math.min(heartbeatMs, 2000));
        const answer = reply.body as { nodeKey?: string; schemaReady?: boolean };
        if (reply.status === 200 && answer.nodeKey === n.nodeKey) {
          rec.lastOkMs = Date.now();
          rec.schemaReady = answer.schemaReady === true;
        }
      } catch {
        // no answer this round
      }
    }));
    const now = Date.now();
    const candidates: CoreappCandidate[] = coreapps.map((n) => {
      const rec = this.watched.get(n.nodeKey) as Watched;
      const state = liveness(rec, now, heartbeatMs, unhealthyMs);
      return { key: n.nodeKey, hostname: n.hostname, healthy: state !== 'unhealthy', eligible: state === 'answering' && rec.schemaReady };
    });
    await this.node.refresh();
    const reg = this.node.snapshot.registration;
    const plan = planShards(reg.registered ? reg.shards : 0, this.node.snapshot.shardMap, candidates);
    if (plan.changes.length === 0) return;
    if (this.role !== 'primary_master') return;
    await applyShardChanges(this.sql, plan.changes, await this.sql.nowMs());
    this.logChanges(plan.changes, unhealthyMs);
    await this.node.refresh();
  }

  private logChanges(changes: ShardChange[], unhealthyMs: number): void {
    for (const c of changes) {
      if (c.to !== null) {
        const released = changes.find((r) => r.shard === c.shard && r.to === null);
        if (released && released.reason !== 'shard count changed') {
          log.info(`failover: shard ${c.shard} moved from ${released.from} to ${c.to} (${released.reason}${released.reason === 'owner unhealthy' ? `, no heartbeat answer for ${unhealthyMs / 1000} s` : ''})`);
        } else {
          log.info(`shard ${c.shard} assigned to ${c.to}`);
        }
      } else if (!changes.some((a) => a.shard === c.shard && a.to !== null)) {
        log.info(`shard ${c.shard} released by ${c.from} (${c.reason})`);
      }
    }
  }

  private async control(method: string, path: string, body: unknown): Promise<InternalReply | null> {
    if (!path.startsWith('/control/')) return null;
    const op = CONTROL_OPS[`${method} ${path.slice('/control/'.length)}`];
    if (!op) throw new ApiError(1006, `Unknown control operation ${method} ${path}`);
    if (this.role !== 'primary_master') throw new ApiError(1017, `${this.node.cfg.nodeKey} is not the primary master`);
    return op({ sql: this.sql, clusterChanged: () => this.clusterChanged() }, body);
  }
}
