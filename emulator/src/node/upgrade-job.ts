// The dbupgrade service: migrates the schema to this image's version and exits 0,
// or non-zero on failure so that `restart: on-failure` retries it.
import type { NodeConfig } from '../config';
import { upgradeSchema } from '../db/schema';
import type { Sql } from '../db/sql';
import { schemaVersionFor } from '../logic/version';
import { log } from '../log';

export async function runDbUpgrade(cfg: NodeConfig, sql: Sql): Promise<void> {
  const target = schemaVersionFor(cfg.version);
  log.info(`database upgrade to schema ${target} (v${cfg.version}) started`);
  const { from, to } = await upgradeSchema(sql, target);
  if (from === to) log.info(`database schema is already at ${to}; nothing to do`);
  else log.info(`database upgrade finished: schema ${from ?? 'none'} -> ${to}`);
}
