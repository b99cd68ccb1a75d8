import pg from 'pg';
import type { DbConfig } from '../config';
import { log } from '../log';
import {
  holdConnection, IDLE_IN_TRANSACTION_MS, inTransaction, statements, STATEMENT_TIMEOUT_MS, transactionSql, withDeadline, type Dialect, type OnHeld, type Runner, type Sql,
} from './sql';

function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

export async function createDatabasePostgres(cfg: DbConfig): Promise<void> {
  const client = new pg.Client({ host: cfg.host, port: cfg.port, user: cfg.user, password: cfg.password, database: 'postgres', connectionTimeoutMillis: 3000 });
  // A connection the server ends between queries is reported as an event: unheard, it would crash the node.
  client.on('error', () => undefined);
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

const dialect: Dialect = {
  engine: 'PGSQL',
  nowSql: 'SELECT (EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::bigint AS now',
  currentSchemaSql: 'current_schema()',
  upsertSql(table, keys, cols, marks) {
    const updates = cols.filter((c) => !keys.includes(c)).map((c) => `${c} = EXCLUDED.${c}`);
    const tail = updates.length ? `DO UPDATE SET ${updates.join(', ')}` : 'DO NOTHING';
    return `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${marks}) ON CONFLICT (${keys.join(', ')}) ${tail}`;
  },
  insertIfAbsentSql: (table, keys, cols, marks) => `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${marks}) ON CONFLICT (${keys.join(', ')}) DO NOTHING`,
};

type Client = pg.PoolClient;

function runner(run: <R>(statement: (c: Client) => Promise<R>) => Promise<R>): Runner {
  const result = (sql: string, params: unknown[]) => run((c) => c.query(numbered(sql), params));
  return {
    query: async <T>(sql: string, params: unknown[]) => (await result(sql, params)).rows as T[],
    execute: async (sql, params) => (await result(sql, params)).rowCount ?? 0,
  };
}

export function openPostgres(cfg: DbConfig): Sql {
  const pool = new pg.Pool({
    host: cfg.host, port: cfg.port, user: cfg.user, password: cfg.password, database: cfg.database,
    max: 4, idleTimeoutMillis: cfg.idleTimeoutMs, connectionTimeoutMillis: 3000,
    // A vanished node's session ends: idle in a transaction (row locks), or its peer gone (advisory locks).
    options: `-c idle_in_transaction_session_timeout=${IDLE_IN_TRANSACTION_MS} -c tcp_keepalives_idle=2 -c tcp_keepalives_interval=1 -c tcp_keepalives_count=3`,
  });
  pool.on('error', (e) => log.warn(`database connection lost: ${e.message}`));
  // A client dropped after a timeout may still report its socket's end (ECONNRESET once the network
  // is back): without a listener that would crash the node.
  pool.on('connect', (client) => client.on('error', () => undefined));
  const acquire = () => pool.connect();
  const release = (c: Client) => c.release();
  // release(error) makes the pool end that client instead of reusing it.
  const drop = (c: Client) => c.release(new Error('statement timed out'));
  const hold = <T>(use: (onHeld: OnHeld<Client>) => Promise<T>) => holdConnection(acquire, release, drop, use);
  return {
    ...statements(dialect, runner((statement) => withDeadline(STATEMENT_TIMEOUT_MS, acquire, statement, release, drop))),
    withLock: (name, fn, waitSeconds = 60) => hold(async (onHeld) => {
      // Session-level: the lock wait is bounded here, and reset before the connection goes back.
      await onHeld((c) => c.query(`SET lock_timeout = '${Math.round(waitSeconds * 1000)}ms'`));
      try {
        await onHeld((c) => c.query('SELECT pg_advisory_lock(hashtext($1))', [name]), waitSeconds * 1000 + STATEMENT_TIMEOUT_MS);
        try {
          return await fn();
        } finally {
          await onHeld((c) => c.query('SELECT pg_advisory_unlock(hashtext($1))', [name]));
        }
      } finally {
        await onHeld((c) => c.query('RESET lock_timeout')).catch(() => undefined);
      }
    }),
    transaction: (fn) => hold((onHeld) => inTransaction(transactionSql(statements(dialect, runner(onHeld))), 'BEGIN', fn)),
    close: () => pool.end(),
  };
}
