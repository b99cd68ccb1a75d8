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

/** Retries every retryMs; gives up (throws) after maxAttempts, by default never. */
export async function connectDatabase(cfg: DbConfig, retryMs = 1000, maxAttempts = Infinity): Promise<Sql> {
  for (let attempt = 1; ; attempt++) {
    try {
      const sql = cfg.engine === 'MYSQL' ? await openMysqlDatabase(cfg) : await openPostgresDatabase(cfg);
      await sql.nowMs().catch(async (e) => {
        await sql.close().catch(() => undefined);
        throw e;
      });
      log.info(`connected to ${cfg.engine} database ${cfg.database} at ${cfg.host}:${cfg.port}`);
      return sql;
    } catch (e) {
      const why = (e as { code?: string; message?: string }).code ?? (e as Error).message;
      if (attempt >= maxAttempts) throw new Error(`database ${cfg.host}:${cfg.port} not reachable after ${attempt} attempts (${why})`);
      log.warn(`database ${cfg.host}:${cfg.port} not ready (${why}), retry ${attempt} in ${retryMs} ms`);
      await sleep(retryMs);
    }
  }
}

/**
 * Runs a start-up step that reads or writes the database until it succeeds: a database that is slow
 * or restarting while the node starts delays it, never ends it (the webapp has no restart policy in
 * Meta's compose files, so a node that gave up would stay down).
 */
export async function untilDatabaseAnswers<T>(what: string, step: () => Promise<T>, retryMs = 1000): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (e) {
      log.warn(`${what} failed (${(e as Error).message}), retry ${attempt} in ${retryMs} ms`);
      await sleep(retryMs);
    }
  }
}
