// Schema versions follow the emulator's minor version (2.51.x -> 51). Migrations are
// cumulative: a fresh database gets every step up to the node's version; the DB upgrade
// job applies the steps between the stored version and its own.
import { hashPassword } from '../crypto/password-hash';
import { log } from '../log';
import type { Sql } from './sql';

interface Migration {
  /** Applied when moving to a schema version >= this one. */
  schema: number;
  description: string;
  up(sql: Sql): Promise<void>;
}

/** The node's claim (fencing.ts, identity.ts): emulator bookkeeping, added to databases made before it existed. */
const NODE_CLAIM_COLUMNS: [string, string][] = [['expires_ms', 'BIGINT NOT NULL DEFAULT 0'], ['refused_by', 'VARCHAR(255) NULL']];

const BASE_TABLES = [
  'CREATE TABLE IF NOT EXISTS schema_version (id INT PRIMARY KEY, version INT NOT NULL)',
  'CREATE TABLE IF NOT EXISTS master_lease (id INT PRIMARY KEY, holder VARCHAR(255) NULL, expires_ms BIGINT NOT NULL, epoch BIGINT NOT NULL)',
  `CREATE TABLE IF NOT EXISTS nodes (node_key VARCHAR(255) PRIMARY KEY, hostname VARCHAR(255) NOT NULL, container VARCHAR(64) NOT NULL, kind VARCHAR(16) NOT NULL, version VARCHAR(32) NOT NULL, started_ms BIGINT NOT NULL, seen_ms BIGINT NOT NULL, ${NODE_CLAIM_COLUMNS.map(([c, t]) => `${c} ${t}`).join(', ')})`,
  'CREATE TABLE IF NOT EXISTS shard_map (shard_id INT PRIMARY KEY, node_key VARCHAR(255) NOT NULL, assigned_ms BIGINT NOT NULL)',
  'CREATE TABLE IF NOT EXISTS registration (id INT PRIMARY KEY, cc VARCHAR(8) NULL, phone VARCHAR(32) NULL, vname VARCHAR(255) NULL, code_hash VARCHAR(255) NULL, registered INT NOT NULL, shards INT NOT NULL, registered_ms BIGINT NULL)',
  'CREATE TABLE IF NOT EXISTS settings (id INT PRIMARY KEY, body TEXT NOT NULL)',
  'CREATE TABLE IF NOT EXISTS users (username VARCHAR(64) PRIMARY KEY, password_hash VARCHAR(255) NOT NULL, role VARCHAR(16) NOT NULL, must_change INT NOT NULL)',
  'CREATE TABLE IF NOT EXISTS revoked_tokens (token_id VARCHAR(64) PRIMARY KEY, expires_ms BIGINT NOT NULL)',
  'CREATE TABLE IF NOT EXISTS secrets (name VARCHAR(64) PRIMARY KEY, value TEXT NOT NULL)',
  'CREATE TABLE IF NOT EXISTS messages (id VARCHAR(64) PRIMARY KEY, recipient VARCHAR(64) NOT NULL, node_key VARCHAR(255) NOT NULL, created_ms BIGINT NOT NULL)',
];

const MIGRATIONS: Migration[] = [
  {
    schema: 0,
    description: 'cluster tables, default admin user',
    async up(sql) {
      for (const ddl of BASE_TABLES) await sql.execute(ddl);
      await sql.insertIfAbsent('master_lease', ['id'], { id: 1, holder: null, expires_ms: 0, epoch: 0 });
      await sql.insertIfAbsent('registration', ['id'], { id: 1, cc: null, phone: null, vname: null, code_hash: null, registered: 0, shards: 1, registered_ms: null });
      await sql.insertIfAbsent('users', ['username'], { username: 'admin', password_hash: await hashPassword('secret'), role: 'admin', must_change: 1 });
    },
  },
  {
    schema: 53,
    description: 'messages remember their shard',
    async up(sql) {
      if (!(await sql.columnExists('messages', 'shard'))) await sql.execute('ALTER TABLE messages ADD COLUMN shard INT NULL');
    },
  },
];

export async function readSchemaVersion(sql: Sql): Promise<number | null> {
  if (!(await sql.tableExists('schema_version'))) return null;
  const rows = await sql.query<{ version: number }>('SELECT version FROM schema_version WHERE id = 1');
  return rows.length ? Number(rows[0].version) : null;
}

async function migrate(sql: Sql, from: number | null, to: number): Promise<void> {
  for (const m of MIGRATIONS) {
    if ((from === null || m.schema > from) && m.schema <= to) {
      log.info(`schema migration to ${m.schema || 'base'}: ${m.description}`);
      await m.up(sql);
    }
  }
  await sql.upsert('schema_version', ['id'], { id: 1, version: to });
}

/** Creates the schema on an empty database; returns the version the database is at. */
export async function initializeIfEmpty(sql: Sql, target: number): Promise<number> {
  const current = await readSchemaVersion(sql);
  if (current !== null) return current;
  return sql.withLock('schema', async () => {
    const again = await readSchemaVersion(sql);
    if (again !== null) return again;
    log.info(`initializing empty database at schema version ${target}`);
    await migrate(sql, null, target);
    return target;
  });
}

/** Brings the schema up to target (the DB upgrade job, or the primary master on the basic upgrade path). Never downgrades. */
export async function upgradeSchema(sql: Sql, target: number): Promise<{ from: number | null; to: number }> {
  return sql.withLock('schema', async () => {
    const from = await readSchemaVersion(sql);
    if (from !== null && from >= target) return { from, to: from };
    await migrate(sql, from, target);
    return { from, to: target };
  });
}

/** Adds the node-claim columns to a nodes table made by an emulator build without them. */
export async function ensureNodeClaimColumns(sql: Sql): Promise<void> {
  const missing = async () => {
    const found = await Promise.all(NODE_CLAIM_COLUMNS.map(([column]) => sql.columnExists('nodes', column)));
    return NODE_CLAIM_COLUMNS.filter((_, i) => !found[i]);
  };
  if ((await missing()).length === 0) return;
  await sql.withLock('schema', async () => {
    for (const [column, type] of await missing()) await sql.execute(`ALTER TABLE nodes ADD COLUMN ${column} ${type}`);
  });
}
