import mysql from 'mysql2/promise';
import type { DbConfig } from '../config';
import {
  holdConnection, IDLE_IN_TRANSACTION_MS, inTransaction, statements, STATEMENT_TIMEOUT_MS, transactionSql, withDeadline, type Dialect, type OnHeld, type Runner, type Sql,
} from './sql';

export async function createDatabaseMysql(cfg: DbConfig): Promise<void> {
  const conn = await mysql.createConnection({ host: cfg.host, port: cfg.port, user: cfg.user, password: cfg.password, connectTimeout: 3000 });
  try {
    await conn.query(`CREATE DATABASE IF NOT EXISTS \`${cfg.database}\``);
  } finally {
    await conn.end();
  }
}

const dialect: Dialect = {
  engine: 'MYSQL',
  nowSql: 'SELECT ROUND(UNIX_TIMESTAMP(NOW(3)) * 1000) AS now',
  currentSchemaSql: 'DATABASE()',
  upsertSql(table, keys, cols, marks) {
    const updates = cols.filter((c) => !keys.includes(c)).map((c) => `${c} = VALUES(${c})`);
    const tail = updates.length ? updates.join(', ') : `${keys[0]} = ${keys[0]}`;
    return `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${marks}) ON DUPLICATE KEY UPDATE ${tail}`;
  },
  insertIfAbsentSql: (table, _keys, cols, marks) => `INSERT IGNORE INTO ${table} (${cols.join(', ')}) VALUES (${marks})`,
};

type Conn = mysql.PoolConnection;

/** Rows of a SELECT, matched rows (mysql2 asks for FOUND_ROWS by default) of anything else. */
function runner(run: <R>(statement: (c: Conn) => Promise<R>) => Promise<R>): Runner {
  const result = (sql: string, params: unknown[]) => run(async (c) => (await c.query(sql, params))[0]);
  return {
    query: async <T>(sql: string, params: unknown[]) => (await result(sql, params)) as T[],
    execute: async (sql, params) => ((await result(sql, params)) as mysql.ResultSetHeader).affectedRows,
  };
}

export function openMysql(cfg: DbConfig): Sql {
  const pool = mysql.createPool({
    host: cfg.host, port: cfg.port, user: cfg.user, password: cfg.password, database: cfg.database,
    connectionLimit: 4, idleTimeout: cfg.idleTimeoutMs, connectTimeout: 3000, enableKeepAlive: true,
  });
  // MariaDB (the emulator's MySQL) has idle_transaction_timeout; on a real MySQL 8 the SET fails
  // harmlessly and a vanished session's locks last until its TCP connection times out.
  // A connection dropped after a timeout may still report its socket's end; the pool listens only once.
  pool.pool.on('connection', (c) => {
    c.on('error', () => undefined);
    c.query(`SET SESSION idle_transaction_timeout = ${IDLE_IN_TRANSACTION_MS / 1000}`, () => undefined);
  });
  const acquire = () => pool.getConnection();
  const release = (c: Conn) => c.release();
  const drop = (c: Conn) => c.destroy();
  const hold = <T>(use: (onHeld: OnHeld<Conn>) => Promise<T>) => holdConnection(acquire, release, drop, use);
  const lockName = (name: string) => `${cfg.database}.${name}`;
  return {
    ...statements(dialect, runner((statement) => withDeadline(STATEMENT_TIMEOUT_MS, acquire, statement, release, drop))),
    withLock: (name, fn, waitSeconds = 60) => hold(async (onHeld) => {
      const [[got]] = await onHeld((c) => c.query<mysql.RowDataPacket[]>('SELECT GET_LOCK(?, ?) AS got', [lockName(name), waitSeconds]), waitSeconds * 1000 + STATEMENT_TIMEOUT_MS);
      if (Number(got.got) !== 1) throw new Error(`lock ${name} not obtained within ${waitSeconds} s`);
      try {
        return await fn();
      } finally {
        await onHeld((c) => c.query('SELECT RELEASE_LOCK(?)', [lockName(name)]));
      }
    }),
    transaction: (fn) => hold((onHeld) => inTransaction(transactionSql(statements(dialect, runner(onHeld))), 'START TRANSACTION', fn)),
    close: () => pool.end(),
  };
}
