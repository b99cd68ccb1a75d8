// Behaviour shared by coreapps and masters: DB snapshot refresh, node registry entry,
// the internal API (health, support, heartbeat answers, message sending).
import { statSync } from 'node:fs';
import type { ShardRange, SupportNodeBody } from '../../../src/contract';
import type { NodeConfig } from '../config';
import { recordMessage } from '../db/account-store';
import { registerNode, touchNode } from '../db/cluster-store';
import { initializeIfEmpty } from '../db/schema';
import type { Sql } from '../db/sql';
import { ApiError } from '../logic/envelope';
import { expireTimestamp } from '../logic/expiry';
import { gatewayStatus, nodeHealth, type NodeFacts, type NodeRole } from '../logic/gateway';
import { newMessageId } from '../logic/message-id';
import { shardsOwnedBy } from '../logic/shards';
import { schemaVersionFor } from '../logic/version';
import { log } from '../log';
import { serveInternal, type InternalReply } from '../net/internal-api';
import { readSnapshot, type ClusterSnapshot } from './snapshot';

const REFRESH_MS = 1000;
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

export type ExtraHandler = (method: string, path: string, body: unknown) => Promise<InternalReply | null>;

export class ClusterNode {
  readonly schemaTarget: number;
  snapshot!: ClusterSnapshot;
  roleOf: () => NodeRole = () => 'coreapp';
  private lastState = '';
  private timer?: NodeJS.Timeout;
  private refreshing?: Promise<void>;

  constructor(readonly cfg: NodeConfig, readonly sql: Sql) {
    this.schemaTarget = schemaVersionFor(cfg.version);
  }

  get schemaReady(): boolean {
    return this.snapshot.dbSchema !== null && this.snapshot.dbSchema >= this.schemaTarget;
  }

  async start(extra?: ExtraHandler): Promise<void> {
    const dbSchema = await initializeIfEmpty(this.sql, this.schemaTarget);
    if (dbSchema < this.schemaTarget) {
      log.warn(`database schema ${dbSchema} is older than version ${this.cfg.version} needs (${this.schemaTarget}); uninitialized until the DB upgrade job has run`);
    }
    const replaced = await registerNode(this.sql, {
      nodeKey: this.cfg.nodeKey, hostname: this.cfg.hostname, container: this.cfg.container,
      kind: this.cfg.isMaster ? 'master' : 'coreapp', version: this.cfg.version,
    }, await this.sql.nowMs());
    if (replaced > 0) log.info(`replaced ${replaced} older container entr${replaced === 1 ? 'y' : 'ies'} of ${this.cfg.hostname}`);
    this.snapshot = await readSnapshot(this.sql);
    serveInternal(async (method, path, body) => (extra && (await extra(method, path, body))) ?? this.handle(method, path, body));
    log.info(`${this.cfg.isMaster ? 'master' : 'coreapp'} node ${this.cfg.nodeKey} v${this.cfg.version} listening on 6250-6253`);
    this.timer = setInterval(() => void this.refresh(), REFRESH_MS);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  async refresh(): Promise<void> {
    if (this.refreshing) return this.refreshing;
    this.refreshing = this.readState().finally(() => { this.refreshing = undefined; });
    return this.refreshing;
  }

  private async readState(): Promise<void> {
    try {
      this.snapshot = await readSnapshot(this.sql);
      await touchNode(this.sql, this.cfg.nodeKey, this.snapshot.nowMs);
      this.logStateChange();
    } catch (e) {
      log.warn(`cannot read cluster state: ${(e as Error).message}`);
    }
  }

  facts(): NodeFacts {
    const s = this.snapshot;
    const primary = s.primaryMaster;
    return {
      role: this.roleOf(),
      schemaReady: this.schemaReady,
      registered: s.registration.registered,
      ownedShards: s.registration.registered ? shardsOwnedBy(this.cfg.nodeKey, s.registration.shards, s.shardMap, primary) : [],
    };
  }

  private logStateChange(): void {
    const f = this.facts();
    const state = `${gatewayStatus(f)} ${JSON.stringify(f.ownedShards)}`;
    if (state === this.lastState) return;
    this.lastState = state;
    log.info(`gateway_status ${gatewayStatus(f)}, owns shards ${JSON.stringify(f.ownedShards)}`);
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
    if (route === 'GET /health') return { status: 200, body: nodeHealth(this.facts()) };
    if (route === 'GET /support') return { status: 200, body: this.support() };
    if (route === 'POST /heartbeat') return { status: 200, body: { nodeKey: this.cfg.nodeKey, schemaReady: this.schemaReady, version: this.cfg.version } };
    if (route === 'POST /messages') return { status: 201, body: await this.sendMessage(body as { to: string; shard: number }) };
    throw new ApiError(1006, `Unknown internal resource ${route}`);
  }

  private async sendMessage(m: { to: string; shard: number }): Promise<{ id: string }> {
    if (!this.schemaReady) throw new ApiError(1011, `Database schema needs the upgrade to ${this.schemaTarget}`);
    const owner = await this.sql.query<{ node_key: string }>('SELECT node_key FROM shard_map WHERE shard_id = ?', [m.shard]);
    if (owner[0]?.node_key !== this.cfg.nodeKey) throw new ApiError(1018, `${this.cfg.nodeKey} does not own shard ${m.shard}`);
    const id = newMessageId();
    const withShard = (this.snapshot.dbSchema ?? 0) >= MESSAGE_SHARD_SCHEMA;
    await recordMessage(this.sql, { id, recipient: m.to, nodeKey: this.cfg.nodeKey, shard: m.shard }, await this.sql.nowMs(), withShard);
    log.info(`message ${id} sent on shard ${m.shard}`);
    return { id };
  }
}
