// Opens the cluster database, creating it when missing, retrying while the DB boots.
import type { DbConfig } from '../config';
import { log } from '../log';
import type { Sql } from './sql';

// Each driver is loaded only when used: a node starts faster without evaluating both.
async function openMysqlDatabase(cfg: DbConfig): Promise<Sql> {
  const { createDatabaseMysql, openMysql } = await import('./mysql.js');
  await createDatabaseMysql(cfg);
  return openMysql(cfg);
}

async function openPostgresDatabase(cfg: DbConfig): Promise<Sql> {
  const { createDatabasePostgres, openPostgres } = await import('./postgres.js');
  await createDatabasePostgres(cfg);
  return openPostgres(cfg);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A connection attempt that has not answered by then is given up and tried again: the driver's
 * connect timeout covers the handshake, not the statement that creates the database.
 */
const CONNECT_ATTEMPT_MS = 20_000;

async function openDatabase(cfg: DbConfig): Promise<Sql> {
  const sql = cfg.engine === 'MYSQL' ? await openMysqlDatabase(cfg) : await openPostgresDatabase(cfg);
  await sql.nowMs().catch(async (e) => {
    await sql.close().catch(() => undefined);
    throw e;
  });
  return sql;
}

/** Retries every retryMs; gives up (throws) after maxAttempts, by default never. */
export async function connectDatabase(cfg: DbConfig, retryMs = 1000, maxAttempts = Infinity): Promise<Sql> {
  const sql = await untilDatabaseAnswers(`database ${cfg.host}:${cfg.port}`, () => openDatabase(cfg),
    { retryMs, maxAttempts, attemptMs: CONNECT_ATTEMPT_MS, discard: (late) => late.close() });
  log.info(`connected to ${cfg.engine} database ${cfg.database} at ${cfg.host}:${cfg.port}`);
  return sql;
}

export interface RetryOptions<T> {
  retryMs?: number;
  /** Throws after this many failed attempts; by default retries forever. */
  maxAttempts?: number;
  /** An attempt still unanswered after this long counts as failed; what it brings later goes to `discard`. */
  attemptMs?: number;
  discard?: (late: T) => unknown;
}

/**
 * Runs a start-up step that reads or writes the database until it succeeds: a database that is slow
 * or restarting while the node starts delays it, never ends it (the webapp has no restart policy in
 * Meta's compose files, so a node that gave up would stay down).
 */
export async function untilDatabaseAnswers<T>(what: string, step: () => Promise<T>, options: RetryOptions<T> = {}): Promise<T> {
  const { retryMs = 1000, maxAttempts = Infinity, attemptMs, discard } = options;
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      const value = await (attemptMs === undefined ? step() : withinTime(step(), attemptMs, discard));
      if (attempt > 1) log.info(`${what}: the database answered after ${attempt} attempts (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      return value;
    } catch (e) {
      const why = (e as { code?: string }).code ?? (e as Error).message;
      if (attempt >= maxAttempts) throw new Error(`${what}: no answer after ${attempt} attempts (${why})`);
      // Once per wait, not per attempt: a database that takes a minute to boot must not bury the log.
      if (attempt === 1) log.warn(`${what}: ${why}; waiting for the database (retrying every ${retryMs} ms${maxAttempts === Infinity ? '' : `, at most ${maxAttempts} attempts`})`);
      await sleep(retryMs);
    }
  }
}

function withinTime<T>(work: Promise<T>, ms: number, discard?: (late: T) => unknown): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let over = false;
    const timer = setTimeout(() => {
      over = true;
      reject(new Error(`no answer within ${ms / 1000} s`));
    }, ms);
    work.then((value) => {
      clearTimeout(timer);
      if (!over) resolve(value);
      else void Promise.resolve().then(() => discard?.(value)).catch(() => undefined);
    }, (error: unknown) => {
      clearTimeout(timer);
      if (!over) reject(error);
    });
  });
}
