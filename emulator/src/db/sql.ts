// The small dialect layer both drivers implement. SQL is written with "?" placeholders
// and DDL/DML that MySQL/MariaDB and PostgreSQL both accept.
import type { DbEngine } from '../config';

export type Row = Record<string, unknown>;

export interface Sql {
  readonly engine: DbEngine;
  query<T = Row>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Returns the number of rows the statement matched. */
  execute(sql: string, params?: unknown[]): Promise<number>;
  /** Milliseconds since the epoch by the database clock. */
  nowMs(): Promise<number>;
  /** INSERT, or UPDATE of the non-key columns when the key exists. */
  upsert(table: string, keys: string[], row: Row): Promise<void>;
  /** INSERT unless the key exists; returns 1 when inserted. */
  insertIfAbsent(table: string, keys: string[], row: Row): Promise<number>;
  columnExists(table: string, column: string): Promise<boolean>;
  tableExists(table: string): Promise<boolean>;
  /** Runs fn while holding a named cluster-wide lock (waits up to waitSeconds for it, default 60). */
  withLock<T>(name: string, fn: () => Promise<T>, waitSeconds?: number): Promise<T>;
  /**
   * Runs fn in one transaction on one connection: committed when fn resolves, rolled back when it
   * throws. Inside, tx.transaction joins the same transaction and tx.withLock is refused.
   */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** What a transaction offers: the statements, without pool-level operations. */
export type Statements = Omit<Sql, 'withLock' | 'transaction' | 'close'>;

/**
 * Every statement gives up after this long and its connection is thrown away. A node cut off from
 * the database (docker network disconnect) would otherwise wait for TCP to time out (minutes) and
 * keep a dead connection after the network is back. Fencing does not depend on it (see fencing.ts).
 */
export const STATEMENT_TIMEOUT_MS = 3000;

/**
 * A node cut off in the middle of a transaction leaves its session open on the database (its
 * goodbye never arrives), holding row locks (the lease row, a shard's row) that would stall the
 * other masters' takeover until the network heals. The database ends such a session after this
 * long idle inside a transaction; every statement of ours has STATEMENT_TIMEOUT_MS anyway.
 */
export const IDLE_IN_TRANSACTION_MS = 5000;

export function columnsAndValues(row: Row): { cols: string[]; values: unknown[]; marks: string } {
  const cols = Object.keys(row);
  return { cols, values: cols.map((c) => row[c]), marks: cols.map(() => '?').join(', ') };
}

/** How one driver runs one statement: rows for queries, matched-row count for the rest. */
export interface Runner {
  query<T>(sql: string, params: unknown[]): Promise<T[]>;
  execute(sql: string, params: unknown[]): Promise<number>;
}

/** The SQL text that differs between the two dialects. */
export interface Dialect {
  engine: DbEngine;
  nowSql: string;
  /** Expression naming the current database/schema in information_schema queries. */
  currentSchemaSql: string;
  upsertSql(table: string, keys: string[], cols: string[], marks: string): string;
  insertIfAbsentSql(table: string, keys: string[], cols: string[], marks: string): string;
}

export function statements(d: Dialect, r: Runner): Statements {
  return {
    engine: d.engine,
    query: <T = Row>(sql: string, params: unknown[] = []) => r.query<T>(sql, params),
    execute: (sql: string, params: unknown[] = []) => r.execute(sql, params),
    async nowMs() {
      const [row] = await r.query<{ now: string | number }>(d.nowSql, []);
      return Number(row.now);
    },
    async upsert(table, keys, row) {
      const { cols, values, marks } = columnsAndValues(row);
      await r.execute(d.upsertSql(table, keys, cols, marks), values);
    },
    async insertIfAbsent(table, keys, row) {
      const { cols, values, marks } = columnsAndValues(row);
      return r.execute(d.insertIfAbsentSql(table, keys, cols, marks), values);
    },
    async columnExists(table, column) {
      const rows = await r.query(`SELECT 1 FROM information_schema.columns WHERE table_schema = ${d.currentSchemaSql} AND table_name = ? AND column_name = ?`, [table, column]);
      return rows.length > 0;
    },
    async tableExists(table) {
      const rows = await r.query(`SELECT 1 FROM information_schema.tables WHERE table_schema = ${d.currentSchemaSql} AND table_name = ?`, [table]);
      return rows.length > 0;
    },
  };
}

/**
 * Runs use(connection) with a deadline covering both getting the connection and the statement.
 * On timeout the connection is discarded (drop), also one that arrives late.
 */
export function withDeadline<C, T>(
  ms: number, acquire: () => Promise<C>, use: (c: C) => Promise<T>, release: (c: C) => void, drop: (c: C) => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let conn: C | undefined;
    let over = false;
    const timer = setTimeout(() => {
      over = true;
      if (conn !== undefined) drop(conn);
      reject(new Error(`database did not answer within ${ms} ms`));
    }, ms);
    acquire().then((c) => {
      if (over) return drop(c);
      conn = c;
      use(c).then((v) => {
        if (over) return;
        clearTimeout(timer);
        release(c);
        resolve(v);
      }, (e) => {
        if (over) return;
        clearTimeout(timer);
        release(c);
        reject(e);
      });
    }, (e) => {
      if (over) return;
      clearTimeout(timer);
      reject(e);
    });
  });
}

/** The Sql a transaction hands to its callback: its statements on the transaction's connection. */
export function transactionSql(st: Statements): Sql {
  const tx: Sql = {
    ...st,
    withLock: async () => { throw new Error('withLock inside a transaction'); },
    transaction: (fn) => fn(tx),
    close: async () => undefined,
  };
  return tx;
}

/** Runs one statement on a held connection, with a deadline (default: the statement timeout). */
export type OnHeld<C> = <R>(statement: (c: C) => Promise<R>, ms?: number) => Promise<R>;

/**
 * Holds one connection of the pool for a lock or a transaction. Each statement on it has a
 * deadline; after a timeout the connection is thrown away (the database then drops its locks and
 * rolls its transaction back) and the remaining statements fail at once.
 */
export async function holdConnection<C, T>(
  acquire: () => Promise<C>, release: (c: C) => void, drop: (c: C) => void, use: (onHeld: OnHeld<C>) => Promise<T>,
): Promise<T> {
  const conn = await withDeadline(STATEMENT_TIMEOUT_MS, acquire, async (c) => c, () => undefined, drop);
  let broken = false;
  const onHeld: OnHeld<C> = (statement, ms = STATEMENT_TIMEOUT_MS) => {
    if (broken) return Promise.reject(new Error('database connection was dropped after a timeout'));
    return withDeadline(ms, async () => conn, statement, () => undefined, () => {
      broken = true;
      drop(conn);
    });
  };
  try {
    return await use(onHeld);
  } finally {
    if (!broken) release(conn);
  }
}

/** BEGIN (begin), fn, COMMIT; ROLLBACK when fn or the commit fails. */
export async function inTransaction<T>(tx: Sql, begin: string, fn: (tx: Sql) => Promise<T>): Promise<T> {
  await tx.execute(begin);
  try {
    const result = await fn(tx);
    await tx.execute('COMMIT');
    return result;
  } catch (e) {
    await tx.execute('ROLLBACK').catch(() => undefined);
    throw e;
  }
}
