// Behaviour shared by coreapps and masters: the node's claim in the database (its heartbeat and
// its COREAPP_HOSTNAME, fenced by fencing.ts), the snapshot of the cluster state re-read with
// every heartbeat, and the internal API (health, support, heartbeat answers, message sending).
import { statSync } from 'node:fs';
import type { ShardRange, SupportNodeBody } from '../../../src/contract';
import type { NodeConfig } from '../config';
import { recordMessage } from '../db/account-store';
import { claimHostname, deregisterNode, lockShardOwner, renewClaim, type NodeIdentity } from '../db/cluster-store';
import { ensureNodeClaimColumns, initializeIfEmpty } from '../db/schema';
import type { Sql } from '../db/sql';
import { ApiError, ErrorCode } from '../logic/envelope';
import { expireTimestamp } from '../logic/expiry';
import { CLAIM_RENEW_MS, HeldClaim, monotonicMs, nodeClaimTiming } from '../logic/fencing';
import { gatewayStatus, nodeHealth, type NodeFacts, type NodeHealth, type NodeRole } from '../logic/gateway';
import { refusalText, type ClaimantRow } from '../logic/identity';
import { newMessageId } from '../logic/message-id';
import { intervalsOf } from '../logic/settings';
import { shardsOwnedBy } from '../logic/shards';
import { schemaFit, schemaVersionFor, tooOldText, type SchemaFit } from '../logic/version';
import { log } from '../log';
import { loadClusterSecret, serveInternal, type InternalReply } from '../net/internal-api';
import { readSnapshot, type ClusterSnapshot } from './snapshot';

/** The build time of this node's program (the image's), from which its expiry follows. */
const BUILT_MS = (() => {
  try {
    return statSync(process.argv[1]).mtimeMs;
  } catch {
    return Date.now();
  }
})();
/** Schema version from which messages carry their shard (see db/schema.ts). */
const MESSAGE_SHARD_SCHEMA = 53;
/** How often the node checks whether its claim ran out (to log the moment it stops serving). */
const STATE_CHECK_MS = 200;

export type ExtraHandler = (method: string, path: string, body: unknown) => Promise<InternalReply | null>;

/** What a node answers to the primary master's heartbeat. */
export interface HeartbeatAnswer {
  nodeKey: string;
  fit: SchemaFit;
  version: string;
}

export class ClusterNode {
  readonly schemaTarget: number;
  snapshot!: ClusterSnapshot;
  roleOf: () => NodeRole = () => 'coreapp';
  /** A master sets this: whether it holds the master lease now (it owns the control shard then). */
  primaryNow: () => boolean = () => false;
  private readonly claim: HeldClaim;
  private refusedBy: ClaimantRow | null = null;
  private mustClaim = true;
  private startedOnSchema: number | null = null;
  private dbTrouble: string | null = null;
  private lastState = '';
  private timers: NodeJS.Timeout[] = [];
  private refreshing?: Promise<void>;
  private stopped = false;

  constructor(readonly cfg: NodeConfig, readonly sql: Sql, private readonly clock: () => number = monotonicMs) {
    this.schemaTarget = schemaVersionFor(cfg.version);
    this.claim = new HeldClaim(clock);
  }

  get identity(): NodeIdentity {
    const { nodeKey, hostname, container, version } = this.cfg;
    return { nodeKey, hostname, container, version, kind: this.cfg.isMaster ? 'master' : 'coreapp' };
  }

  get fit(): SchemaFit {
    return schemaFit(this.snapshot.dbSchema, this.schemaTarget, this.startedOnSchema);
  }

  get schemaReady(): boolean {
    return this.fit === 'current' || this.fit === 'newer';
  }

  /** Its heartbeat reached the database within its span and no other container holds its hostname. */
  get claimHeld(): boolean {
    return this.claim.held() && this.refusedBy === null;
  }

  /** May serve shards: claim held, version fits the schema. */
  get active(): boolean {
    return this.claimHeld && this.schemaReady;
  }

  async start(extra?: ExtraHandler): Promise<void> {
    this.startedOnSchema = await initializeIfEmpty(this.sql, this.schemaTarget);
    await ensureNodeClaimColumns(this.sql);
    await loadClusterSecret(this.sql);
    this.snapshot = await readSnapshot(this.sql);
    if (this.fit === 'behind') {
      log.warn(`database schema ${this.startedOnSchema} is older than version ${this.cfg.version} needs (${this.schemaTarget}): uninitialized until the primary master upgrades it (or the DB upgrade job runs)`);
    } else if (this.fit === 'too-old') {
      log.error(tooOldText(this.cfg.version, this.schemaTarget, this.startedOnSchema as number));
    }
    await this.refresh();
    serveInternal(async (method, path, body) => (extra && (await extra(method, path, body))) ?? this.handle(method, path, body));
    log.info(`${this.cfg.isMaster ? 'master' : 'coreapp'} node ${this.cfg.nodeKey} v${this.cfg.version} listening on 6250-6253`);
    this.timers.push(setInterval(() => void this.refresh(), CLAIM_RENEW_MS), setInterval(() => this.logStateChange(), STATE_CHECK_MS));
  }

  /** Stops acting, then leaves the registry so that a recreated container can take over at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.timers.forEach(clearInterval);
    this.claim.drop();
    // A heartbeat still in flight would write this node's row back after the delete (a refused
    // duplicate removed by `--scale` then stayed in /v1/health as unreachable).
    await this.refreshing?.catch(() => undefined);
    await deregisterNode(this.sql, this.cfg.nodeKey).catch(() => undefined);
  }

  async refresh(): Promise<void> {
    if (this.stopped) return;
    if (this.refreshing) return this.refreshing;
    this.refreshing = this.heartbeat().finally(() => { this.refreshing = undefined; });
    return this.refreshing;
  }

  /**
   * Renews the claim, then re-reads the cluster state: the shard map the node acts on is never
   * older than the renewal. The claim counts from the moment before the renewal was sent.
   */
  private async heartbeat(): Promise<void> {
    const sent = this.clock();
    const timing = nodeClaimTiming(intervalsOf(this.snapshot.settings).unhealthyMs);
    try {
      if (this.mustClaim || this.refusedBy) {
        await this.claimIdentity(timing.spanMs);
      } else if (!(await renewClaim(this.sql, this.cfg.nodeKey, await this.sql.nowMs(), timing.spanMs))) {
        log.warn('this node\'s registration is gone from the database (another container took over its lapsed claim, or it was cleaned up) or holds a later heartbeat: claiming COREAPP_HOSTNAME again');
        await this.claimIdentity(timing.spanMs);
      }
      this.snapshot = await readSnapshot(this.sql);
      if (this.refusedBy === null) this.claim.renewed(sent, timing.stopAfterMs);
      if (this.dbTrouble !== null) log.info('database reachable again; cluster state re-read before serving anything');
      this.dbTrouble = null;
    } catch (e) {
      const why = (e as Error).message;
      if (this.dbTrouble === null) log.warn(`cannot reach the database (${why}); shards are served at most ${Math.max(0, Math.round(this.claim.remainingMs()))} ms more unless a heartbeat gets through`);
      this.dbTrouble = why;
    }
    this.logStateChange();
  }

  private async claimIdentity(spanMs: number): Promise<void> {
    const result = await claimHostname(this.sql, this.identity, spanMs);
    this.mustClaim = false;
    if (result.releasedShards.length) {
      log.info(`gave up shard(s) ${result.releasedShards.join(', ')} still mapped to this container: a (re)starting node is a standby until the primary master assigns it a shard`);
    }
    if (result.kind === 'refused') {
      if (this.refusedBy?.nodeKey !== result.holder.nodeKey) log.error(refusalText(this.cfg.hostname, this.cfg.nodeKey, result.holder));
      this.refusedBy = result.holder;
      this.claim.drop();
      return;
    }
    if (this.refusedBy) log.info(`COREAPP_HOSTNAME ${this.cfg.hostname} is free again: this container holds it now`);
    this.refusedBy = null;
    if (result.replaced.length) log.info(`took over COREAPP_HOSTNAME ${this.cfg.hostname} from ${result.replaced.join(', ')} (claim lapsed)`);
  }

  /** Why this node refuses to run, if it does (health and support say so). */
  refusal(): string | null {
    if (this.refusedBy) return refusalText(this.cfg.hostname, this.cfg.nodeKey, this.refusedBy);
    if (this.fit === 'too-old') return tooOldText(this.cfg.version, this.schemaTarget, this.snapshot.dbSchema as number);
    return null;
  }

  facts(): NodeFacts {
    const s = this.snapshot;
    const me = this.cfg.nodeKey;
    const controlHolder = this.cfg.isMaster ? (this.primaryNow() ? me : null) : s.primaryMaster;
    const registered = s.registration.registered;
    return {
      role: this.roleOf(),
      schemaReady: this.fit !== 'behind',
      registered,
      ownedShards: this.active && registered ? shardsOwnedBy(me, s.registration.shards, s.shardMap, controlHolder) : [],
    };
  }

  health(): NodeHealth {
    const refusal = this.refusal();
    return refusal ? { errors: [new ApiError(ErrorCode.ServiceNotReady, refusal).toObject()] } : nodeHealth(this.facts());
  }

  private logStateChange(): void {
    const f = this.facts();
    const status = this.refusal() ? 'refused' : gatewayStatus(f);
    const state = `${f.role} ${status} ${JSON.stringify(f.ownedShards)}`;
    if (state === this.lastState) return;
    const fenced = this.lastState !== '' && this.refusedBy === null && !this.claim.held();
    this.lastState = state;
    const why = fenced ? ' (no database heartbeat within its claim: serves nothing until the database answers and the shard map is re-read)' : '';
    log.info(`gateway_status ${status}, role ${f.role}, owns shards ${JSON.stringify(f.ownedShards)}${why}`);
  }

  support(): SupportNodeBody {
    const f = this.facts();
    const reg = this.snapshot.registration;
    const status = gatewayStatus(f);
    return {
      context: 'healthcheck',
      db_engine: this.cfg.db.engine,
      debug_info: reg.registered ? `${reg.cc}${reg.phone}` : 'unregistered',
      description: `WhatsApp Business API emulator ${this.cfg.version}`,
      device_iso8601: new Date().toISOString(),
      expire_timestamp: expireTimestamp(this.cfg.version, BUILT_MS),
      lc: 'en',
      lg: 'US',
      multi_connect: true,
      os_name: 'debian-x86_64',
      role: f.role,
      schema: { cluster: this.snapshot.dbSchema },
      shards: f.ownedShards as ShardRange[],
      socket_conn: status === 'connected' ? 'UP' : 'DN',
      version: this.cfg.version,
    };
  }

  private async handle(method: string, path: string, body: unknown): Promise<InternalReply> {
    const route = `${method} ${path}`;
    if (route === 'GET /health') return { status: 200, body: this.health() };
    if (route === 'GET /support') {
      // A refused node (duplicate COREAPP_HOSTNAME, schema too new) says why; any other node,
      // registered or not, answers its support info (WADebug bundles it for every node).
      const refusal = this.refusal();
      return { status: 200, body: refusal ? { errors: [new ApiError(ErrorCode.ServiceNotReady, refusal).toObject()] } : this.support() };
    }
    if (route === 'POST /shards-changed') {
      // A re-read under way may have begun before the change: one more after it.
      void (this.refreshing ?? Promise.resolve()).catch(() => undefined).then(() => this.refresh());
      return { status: 200, body: {} };
    }
    if (route === 'POST /heartbeat') {
      const answer: HeartbeatAnswer = { nodeKey: this.cfg.nodeKey, fit: this.fit, version: this.cfg.version };
      return { status: 200, body: answer };
    }
    if (route === 'POST /messages') return { status: 201, body: await this.sendMessage(body as { to: string; shard: number }) };
    throw new ApiError(ErrorCode.NotFound, `Unknown internal resource ${route}`);
  }

  /**
   * Accepted only by the shard's owner: the node must be serving (claim held) and the shard map
   * row, locked for the insert, must name it, so a handover never accepts a message twice.
   */
  private async sendMessage(m: { to: string; shard: number }): Promise<{ id: string }> {
    if (!this.schemaReady) throw new ApiError(ErrorCode.ServiceNotReady, `Database schema needs the upgrade to ${this.schemaTarget}`);
    const me = this.cfg.nodeKey;
    if (!this.active) throw new ApiError(ErrorCode.NotPrimaryCoreapp, `${me} is not serving shard ${m.shard} right now (no recent database heartbeat, or refused); retry the request`);
    const id = newMessageId();
    const withShard = (this.snapshot.dbSchema ?? 0) >= MESSAGE_SHARD_SCHEMA;
    await this.sql.transaction(async (tx) => {
      const owner = await lockShardOwner(tx, m.shard);
      if (owner !== me) throw new ApiError(ErrorCode.NotPrimaryCoreapp, `${me} does not own shard ${m.shard}${owner ? ` (${owner} does)` : ''}; retry the request`);
      await recordMessage(tx, { id, recipient: m.to, nodeKey: me, shard: m.shard }, await tx.nowMs(), withShard);
    });
    log.info(`message ${id} sent on shard ${m.shard}`);
    return { id };
  }
}
