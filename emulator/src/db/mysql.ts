import mysql from 'mysql2/promise';
import type { DbConfig } from '../config';
import { columnsAndValues, type Row, type Sql } from './sql';

export async function createDatabaseMysql(cfg: DbConfig): Promise<void> {
  const conn = await mysql.createConnection({ host: cfg.host, port: cfg.port, user: cfg.user, password: cfg.password, connectTimeout: 3000 });
  try {
    await conn.query(`CREATE DATABASE IF NOT EXISTS \`${cfg.database}\``);
  } finally {
    await conn.end();
  }
}

export function openMysql(cfg: DbConfig): Sql {
  const pool = mysql.createPool({
    host: cfg.host, port: cfg.port, user: cfg.user, password: cfg.password, database: cfg.database,
    connectionLimit: 4, idleTimeout: cfg.idleTimeoutMs, connectTimeout: 3000, enableKeepAlive: true,
  });
  const query = async <T = Row>(sql: string, params: unknown[] = []): Promise<T[]> => {
    const [rows] = await pool.query(sql, params);
    return rows as T[];
  };
  const execute = async (sql: string, params: unknown[] = []): Promise<number> => {
    const [res] = await pool.query(sql, params);
    return (res as mysql.ResultSetHeader).affectedRows;
  };
  return {
    engine: 'MYSQL',
    query,
    execute,
    async nowMs() {
      const [r] = await query<{ now: string | number }>('SELECT ROUND(UNIX_TIMESTAMP(NOW(3)) * 1000) AS now');
      return Number(r.now);
    },
    async upsert(table, keys, row) {
      const { cols, values, marks } = columnsAndValues(row);
      const updates = cols.filter((c) => !keys.includes(c)).map((c) => `${c} = VALUES(${c})`);
      const tail = updates.length ? updates.join(', ') : `${keys[0]} = ${keys[0]}`;
      await execute(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${marks}) ON DUPLICATE KEY UPDATE ${tail}`, values);
    },
    async insertIfAbsent(table, _keys, row) {
      const { cols, values, marks } = columnsAndValues(row);
      return execute(`INSERT IGNORE INTO ${table} (${cols.join(', ')}) VALUES (${marks})`, values);
    },
    async columnExists(table, column) {
      const rows = await query('SELECT 1 FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = ? AND column_name = ?', [table, column]);
      return rows.length > 0;
    },
    async tableExists(table) {
      const rows = await query('SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?', [table]);
      return rows.length > 0;
    },
    async withLock(name, fn) {
      const conn = await pool.getConnection();
      try {
        await conn.query('SELECT GET_LOCK(?, 60)', [`${cfg.database}.${name}`]);
        try {
          return await fn();
        } finally {
          await conn.query('SELECT RELEASE_LOCK(?)', [`${cfg.database}.${name}`]);
        }
      } finally {
        conn.release();
      }
    },
    close: () => pool.end(),
  };
}
