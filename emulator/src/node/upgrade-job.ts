// The dbupgrade service: migrates the schema to this image's version and exits 0,
// or non-zero on failure so that `restart: on-failure` retries it.
import type { NodeConfig } from '../config';
import { readSchemaVersion, upgradeSchema } from '../db/schema';
import type { Sql } from '../db/sql';
import { schemaVersionFor } from '../logic/version';
import { log } from '../log';

/**
 * Meta documents this no-downtime path for MySQL only ("for MySQL database users upgrading to
 * v2.23.x and later", developer guide; dbupgrade-compose.yml exists only beside the MySQL compose
 * files), so on PostgreSQL it refuses and names the documented path instead.
 */
export function refusalFor(engine: NodeConfig['db']['engine']): string | null {
  if (engine === 'MYSQL') return null;
  return 'the DB upgrade job is documented for MySQL only; on PostgreSQL upgrade the way the developer guide describes: '
    + 'set WA_API_VERSION to the new version and run `docker-compose -f multiconnect-compose.yml up -d` (the primary master upgrades the schema)';
}

export async function runDbUpgrade(cfg: NodeConfig, sql: Sql): Promise<void> {
  const target = schemaVersionFor(cfg.version);
  const current = await readSchemaVersion(sql);
  if (current !== null && current > target) {
    throw new Error(`the database schema (${current}) is newer than v${cfg.version} (${target}); a downgrade is not possible, nothing was changed`);
  }
  log.info(`database upgrade to schema ${target} (v${cfg.version}) started`);
  const { from, to } = await upgradeSchema(sql, target);
  if (from === to) log.info(`database schema is already at ${to}; nothing to do`);
  else log.info(`database upgrade finished: schema ${from ?? 'none'} -> ${to}`);
}
