// Opens the cluster database, creating it when missing, retrying while the DB boots.
import type { DbConfig } from '../config';
import { log } from '../log';
import { createDatabaseMysql, openMysql } from './mysql';
import { createDatabasePostgres, openPostgres } from './postgres';
import type { Sql } from './sql';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function connectDatabase(cfg: DbConfig, retryMs = 1000): Promise<Sql> {
  for (let attempt = 1; ; attempt++) {
    try {
      if (cfg.engine === 'MYSQL') await createDatabaseMysql(cfg);
      else await createDatabasePostgres(cfg);
      const sql = cfg.engine === 'MYSQL' ? openMysql(cfg) : openPostgres(cfg);
      await sql.nowMs();
      log.info(`connected to ${cfg.engine} database ${cfg.database} at ${cfg.host}:${cfg.port}`);
      return sql;
    } catch (e) {
      const why = (e as { code?: string; message?: string }).code ?? (e as Error).message;
      log.warn(`database ${cfg.host}:${cfg.port} not ready (${why}), retry ${attempt} in ${retryMs} ms`);
      await sleep(retryMs);
    }
  }
}
