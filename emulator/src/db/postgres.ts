import pg from 'pg';
import type { DbConfig } from '../config';
import { log } from '../log';
import { columnsAndValues, type Row, type Sql } from './sql';

function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

export async function createDatabasePostgres(cfg: DbConfig): Promise<void> {
  const client = new pg.Client({ host: cfg.host, port: cfg.port, user: cfg.user, password: cfg.password, database: 'postgres', connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [cfg.database]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE "${cfg.database}"`).catch((e: { code?: string }) => {
        // another node created it at the same moment
        if (e.code !== '42P04' && e.code !== '23505') throw e;
      });
    }
  } finally {
    await client.end();
  }
}

export function openPostgres(cfg: DbConfig): Sql {
  const pool = new pg.Pool({
    host: cfg.host, port: cfg.port, user: cfg.user, password: cfg.password, database: cfg.database,
    max: 4, idleTimeoutMillis: cfg.idleTimeoutMs, connectionTimeoutMillis: 3000,
  });
  pool.on('error', (e) => log.warn(`database connection lost: ${e.message}`));
  const query = async <T = Row>(sql: string, params: unknown[] = []): Promise<T[]> => (await pool.query(numbered(sql), params)).rows as T[];
  const execute = async (sql: string, params: unknown[] = []): Promise<number> => (await pool.query(numbered(sql), params)).rowCount ?? 0;
  const insertSql = (table: string, row: Row) => {
    const { cols, values, marks } = columnsAndValues(row);
    return { cols, values, head: `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${marks})` };
  };
  return {
    engine: 'PGSQL',
    query,
    execute,
    async nowMs() {
      const [r] = await query<{ now: string }>('SELECT (EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::bigint AS now');
      return Number(r.now);
    },
    async upsert(table, keys, row) {
      const { cols, values, head } = insertSql(table, row);
      const updates = cols.filter((c) => !keys.includes(c)).map((c) => `${c} = EXCLUDED.${c}`);
      const tail = updates.length ? `DO UPDATE SET ${updates.join(', ')}` : 'DO NOTHING';
      await execute(`${head} ON CONFLICT (${keys.join(', ')}) ${tail}`, values);
    },
    async insertIfAbsent(table, keys, row) {
      const { values, head } = insertSql(table, row);
      return execute(`${head} ON CONFLICT (${keys.join(', ')}) DO NOTHING`, values);
    },
    async columnExists(table, column) {
      const rows = await query("SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ? AND column_name = ?", [table, column]);
      return rows.length > 0;
    },
    async tableExists(table) {
      const rows = await query('SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?', [table]);
      return rows.length > 0;
    },
    async withLock(name, fn) {
      const client = await pool.connect();
      try {
        await client.query('SELECT pg_advisory_lock(hashtext($1))', [name]);
        try {
          return await fn();
        } finally {
          await client.query('SELECT pg_advisory_unlock(hashtext($1))', [name]);
        }
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
