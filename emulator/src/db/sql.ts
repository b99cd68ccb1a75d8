// The small dialect layer both drivers implement. SQL is written with "?" placeholders
// and DDL/DML that MySQL/MariaDB and PostgreSQL both accept.
import type { DbEngine } from '../config';

export type Row = Record<string, unknown>;

export interface Sql {
  readonly engine: DbEngine;
  query<T = Row>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Returns the number of affected rows. */
  execute(sql: string, params?: unknown[]): Promise<number>;
  /** Milliseconds since the epoch by the database clock. */
  nowMs(): Promise<number>;
  /** INSERT, or UPDATE of the non-key columns when the key exists. */
  upsert(table: string, keys: string[], row: Row): Promise<void>;
  /** INSERT unless the key exists; returns 1 when inserted. */
  insertIfAbsent(table: string, keys: string[], row: Row): Promise<number>;
  columnExists(table: string, column: string): Promise<boolean>;
  tableExists(table: string): Promise<boolean>;
  /** Runs fn while holding a named cluster-wide lock. */
  withLock<T>(name: string, fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export function columnsAndValues(row: Row): { cols: string[]; values: unknown[]; marks: string } {
  const cols = Object.keys(row);
  return { cols, values: cols.map((c) => row[c]), marks: cols.map(() => '?').join(', ') };
}
