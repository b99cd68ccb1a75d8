// A master node: competes for the master lease; as primary (only while it holds the lease, see
// fencing.ts) it upgrades an older schema, heartbeats the coreapps, assigns shards and performs
// failover, and answers the master-only operations. Every primary-only write runs in a transaction
// that first locks the lease row and checks, by the database clock, that this master still holds it.
import type { NodeConfig } from '../config';
import {
  applyShardChanges, listNodes, lockHeldLease, nodeAddress, readLease, releaseLease, writeLease, type NodeRow,
} from '../db/cluster-store';
import { upgradeSchema } from '../db/schema';
import type { Sql } from '../db/sql';
import { decideLease, type MasterRole } from '../logic/election';
import { ApiError, ErrorCode } from '../logic/envelope';
import { answering, claimFresh, claimLapsed } from '../logic/failover';
import { ELECTION_MS, HeldClaim, masterLeaseTiming, monotonicMs } from '../logic/fencing';
import { intervalsOf } from '../logic/settings';
import { planShards, type CoreappCandidate, type ShardChange } from '../logic/shards';
import type { SchemaFit } from '../logic/version';
import { log } from '../log';
import { callNode, CONTROL_PORT, type InternalReply } from '../net/internal-api';
import { ClusterNode, type HeartbeatAnswer } from './cluster-node';
import { controlOp } from './master-control';

/** How often the master checks whether its lease ran out (to log the moment it stops being primary). */
const ROLE_CHECK_MS = 200;

interface Answer {
  /** Monotonic time of the coreapp's last heartbeat answer. */
  lastOkMs: number;
  fit: SchemaFit;
}

export class Master {
  readonly node: ClusterNode;
  private readonly lease: HeldClaim;
  private loggedRole: MasterRole = 'secondary_master';
  private answers = new Map<string, Answer>();
  /** Coreapps whose last heartbeat got no answer. */
  private readonly silent = new Set<string>();
  private lastRoundMs = -Infinity;
  private roundRunning = false;
  private roundAgain = false;
  private ticking = false;
  private tickTrouble: string | null = null;
  private timers: NodeJS.Timeout[] = [];

  constructor(cfg: NodeConfig, private readonly sql: Sql, private readonly clock: () => number = monotonicMs) {
    this.node = new ClusterNode(cfg, sql, clock);
    this.lease = new HeldClaim(clock);
    this.node.roleOf = () => this.role();
    this.node.primaryNow = () => this.isPrimary();
  }

  private get me(): string {
    return this.node.cfg.nodeKey;
  }

  /** May hold the lease: its own claim is held (database reachable, hostname its own) and its version is not too old. */
  private mayLead(): boolean {
    return this.node.claimHeld && this.node.fit !== 'too-old';
  }

  isPrimary(): boolean {
    return this.lease.held() && this.mayLead();
  }

  role(): MasterRole {
    return this.isPrimary() ? 'primary_master' : 'secondary_master';
  }

  async start(): Promise<void> {
    await this.node.start((method, path, body) => this.control(method, path, body));
    log.info(`role: ${this.role()}`);
    await this.tick();
    this.timers.push(setInterval(() => void this.tick(), ELECTION_MS), setInterval(() => this.noteRole(), ROLE_CHECK_MS));
  }

  /** Stops acting as primary first, then lets the lease go, so another master may take it at once. */
  async stop(): Promise<void> {
    this.timers.forEach(clearInterval);
    const wasPrimary = this.isPrimary();
    this.lease.drop();
    if (wasPrimary) {
      await releaseLease(this.sql, this.me).catch(() => undefined);
      log.info('released the master lease');
    }
    await this.node.stop();
  }

  /** Logs role changes the moment they happen, including the lease running out with the database unreachable. */
  private noteRole(): void {
    const role = this.role();
    if (role === this.loggedRole) return;
    const lapsed = role === 'secondary_master' && (this.lease.remainingMs() <= 0 || !this.node.claimHeld);
    const why = lapsed ? ' (lost contact with the database: stopped acting as primary before the master lease can expire there)' : '';
    (lapsed ? log.warn : log.info)(`role changed: ${this.loggedRole} -> ${role}${why}`);
    this.loggedRole = role;
    if (role === 'primary_master') {
      this.answers.clear();
      this.silent.clear();
      this.lastRoundMs = -Infinity;
    }
    void this.node.refresh();
  }

  private async tick(): Promise<void> {
    // A tick can outlast the interval while the DB is slow; never run two at once.
    if (this.ticking) return;
    this.ticking = true;
    try {
      await this.elect();
      this.noteRole();
      if (!this.isPrimary()) return;
      if (this.node.fit === 'behind') {
        await this.upgradeSchema();
      } else if (this.clock() - this.lastRoundMs >= intervalsOf(this.node.snapshot.settings).heartbeatMs) {
        await this.manageCluster();
      }
      if (this.tickTrouble !== null) log.info('master duties resumed');
      this.tickTrouble = null;
    } catch (e) {
      const why = (e as Error).message;
      if (this.tickTrouble === null) log.warn(`master tick failed: ${why}`);
      this.tickTrouble = why;
    } finally {
      this.ticking = false;
    }
  }

  private async elect(): Promise<void> {
    if (!this.mayLead()) {
      this.lease.drop();
      return;
    }
    const timing = masterLeaseTiming(intervalsOf(this.node.snapshot.settings).heartbeatMs);
    const sent = this.clock();
    const row = await readLease(this.sql);
    const decision = decideLease(row, this.me, await this.sql.nowMs(), timing.spanMs);
    if (decision.kind === 'wait') {
      this.lease.drop();
      return;
    }
    // Losing the compare-and-set means another master wrote the lease since it was read.
    if (!(await writeLease(this.sql, row?.epoch ?? 0, this.me, decision.expiresMs))) {
      this.lease.drop();
      return;
    }
    this.lease.renewed(sent, timing.stopAfterMs);
    if (decision.kind === 'acquire' && row?.holder && row.holder !== this.me) log.info(`took over the master lease from ${row.holder} (expired)`);
  }

  /** Runs fn in a transaction that holds the lease row, if this master still holds the lease. */
  private async asPrimary<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
    if (!this.isPrimary()) throw new ApiError(ErrorCode.NotPrimaryMaster, `${this.me} is not the primary master`);
    return this.sql.transaction(async (tx) => {
      if (!(await lockHeldLease(tx, this.me))) throw new ApiError(ErrorCode.NotPrimaryMaster, `${this.me} no longer holds the master lease`);
      return fn(tx);
    });
  }

  /**
   * The basic upgrade path: the primary master brings an older schema up to its version. The lease
   * check keeps it to the primary; the schema lock makes anyone else (the DB upgrade job, a master
   * that became primary meanwhile) wait and then find nothing left to do.
   */
  private async upgradeSchema(): Promise<void> {
    await this.asPrimary(async () => undefined);
    const target = this.node.schemaTarget;
    log.info(`upgrading the database schema ${this.node.snapshot.dbSchema} -> ${target} as primary master (v${this.node.cfg.version}); the other nodes stay uninitialized until it is done`);
    const { from, to } = await upgradeSchema(this.sql, target);
    log.info(from !== null && from >= target ? `database schema already at ${from}` : `database schema upgraded: ${from} -> ${to}`);
    await this.node.refresh();
  }

  /** Runs a heartbeat round now (or right after the running one). */
  private clusterChanged(): void {
    if (!this.isPrimary()) return;
    void this.node.refresh().then(() => this.manageCluster()).catch((e) => log.warn(`cluster round failed: ${(e as Error).message}`));
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
        this.lastRoundMs = this.clock();
        await this.heartbeatRound();
      } while (this.roundAgain);
    } finally {
      this.roundRunning = false;
    }
  }

  /**
   * Heartbeats every coreapp. The round waits for the answers, except from coreapps that did not
   * answer the last one: a killed coreapp's call runs into its time limit (1 s at the test intervals,
   * 2 s at Meta's defaults), and waiting for it every round added that much to every failover.
   * Their calls still go out; an answer counts when it comes.
   */
  private async heartbeatCoreapps(coreapps: NodeRow[], heartbeatMs: number): Promise<void> {
    const silentBefore = new Set(this.silent);
    const calls = coreapps.map(async (n) => {
      try {
        const reply = await callNode(nodeAddress(n), CONTROL_PORT, 'POST', '/heartbeat', { from: this.me }, Math.min(heartbeatMs, 2000));
        const answer = reply.body as Partial<HeartbeatAnswer>;
        if (reply.status === 200 && answer.nodeKey === n.nodeKey && answer.fit) {
          this.answers.set(n.nodeKey, { lastOkMs: this.clock(), fit: answer.fit });
          this.silent.delete(n.nodeKey);
          return;
        }
      } catch {
        // no answer this round
      }
      this.silent.add(n.nodeKey);
    });
    await Promise.all(calls.filter((_, i) => !silentBefore.has(coreapps[i].nodeKey)));
  }

  /**
   * A coreapp keeps its shard while its claim may still be in force; it is given one only when its
   * claim is fresh, it answers heartbeats and its version runs on the schema (not waiting for an
   * upgrade, not refusing an older one). Reassignment itself is a
   * compare-and-set on the old owner's claim (applyShardChanges).
   */
  private async heartbeatRound(): Promise<void> {
    const { heartbeatMs } = intervalsOf(this.node.snapshot.settings);
    const coreapps = (await listNodes(this.sql)).filter((n) => n.kind === 'coreapp' && n.refusedBy === null);
    await this.heartbeatCoreapps(coreapps, heartbeatMs);
    const dbNow = await this.sql.nowMs();
    const now = this.clock();
    const candidates: CoreappCandidate[] = coreapps.map((n) => {
      const answer = this.answers.get(n.nodeKey);
      const eligible = claimFresh(n, dbNow) && answering(answer?.lastOkMs, now, heartbeatMs) && (answer?.fit === 'current' || answer?.fit === 'newer');
      return { key: n.nodeKey, hostname: n.hostname, healthy: !claimLapsed(n, dbNow), eligible };
    });
    await this.node.refresh();
    const reg = this.node.snapshot.registration;
    const plan = planShards(reg.registered ? reg.shards : 0, this.node.snapshot.shardMap, candidates);
    if (plan.changes.length === 0) return;
    const applied = await this.asPrimary((tx) => applyShardChanges(tx, plan.changes));
    this.logChanges(applied, new Map(coreapps.map((n) => [n.nodeKey, dbNow - n.seenMs])));
    if (!applied.length) return;
    await this.node.refresh();
    // Every coreapp that answers re-reads the map now, not at its next re-read (up to a second
    // later): a new owner serves at once, and after a change of the shard count the HA owner of
    // shard 0 stops naming the control shard, which this master names from now on.
    await Promise.all(coreapps.filter((n) => !this.silent.has(n.nodeKey)).map((n) =>
      callNode(nodeAddress(n), CONTROL_PORT, 'POST', '/shards-changed', { from: this.me }, 1000).catch(() => undefined)));
  }

  private logChanges(changes: ShardChange[], silentMs: Map<string, number>): void {
    for (const c of changes) {
      if (c.to !== null) {
        const released = changes.find((r) => r.shard === c.shard && r.to === null);
        if (released && released.reason !== 'shard count changed') {
          const silent = silentMs.get(released.from as string);
          const detail = released.reason === 'owner unhealthy' && silent !== undefined ? `, no heartbeat for ${(silent / 1000).toFixed(1)} s` : '';
          log.info(`failover: shard ${c.shard} moved from ${released.from} to ${c.to} (${released.reason}${detail})`);
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
    const op = controlOp(path);
    if (!op) throw new ApiError(ErrorCode.NotFound, `Unknown control operation ${method} ${path}`);
    let changed = false;
    const reply = await this.asPrimary((tx) => op({ sql: tx, clusterChanged: () => { changed = true; } }, body));
    if (changed) this.clusterChanged();
    return reply;
  }
}
