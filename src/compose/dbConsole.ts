import { t } from '../l10n';

/** How to open the database's own client in the db node with the credentials the nodes use (db.env). */
export interface DbConsolePlan {
  /** The compose service that runs the database (WA_DB_HOSTNAME). */
  service: string;
  client: 'mysql' | 'psql';
  cmd: string[];
  /** The password as the client reads it from its environment (MYSQL_PWD, PGPASSWORD): never in `cmd`. */
  env: string[];
  /** The terminal's name: the node and the client, never a credential. */
  title: string;
}

/** The plan for db.env's values, or what is missing from them (a sentence to show). */
export function planDbConsole(dbEnv: Readonly<Record<string, string>>): DbConsolePlan | { problem: string } {
  const engine = (dbEnv.WA_DB_ENGINE ?? '').toUpperCase();
  const missing = ['WA_DB_HOSTNAME', 'WA_DB_USERNAME', 'WA_DB_PASSWORD'].filter((k) => !dbEnv[k]);
  if (engine !== 'MYSQL' && engine !== 'PGSQL') return { problem: t('db.env says WA_DB_ENGINE={0}; the console knows MYSQL and PGSQL.', dbEnv.WA_DB_ENGINE ?? '') };
  if (missing.length) return { problem: t('db.env has no {0}: the console uses the credentials the nodes use.', missing.join(', ')) };
  const host = dbEnv.WA_DB_HOSTNAME, user = dbEnv.WA_DB_USERNAME, password = dbEnv.WA_DB_PASSWORD;
  // The host as the nodes reach it (the db node's own name resolves to itself in the cluster network).
  const port = dbEnv.WA_DB_PORT || (engine === 'MYSQL' ? '3306' : '5432');
  if (engine === 'MYSQL') {
    return { service: host, client: 'mysql', cmd: ['mysql', `--host=${host}`, `--port=${port}`, `--user=${user}`], env: [`MYSQL_PWD=${password}`], title: `${host}: mysql` };
  }
  // psql's default database is the user's own, which Meta's setup does not create.
  return { service: host, client: 'psql', cmd: ['psql', `--host=${host}`, `--port=${port}`, `--username=${user}`, '--dbname=postgres'], env: [`PGPASSWORD=${password}`], title: `${host}: psql` };
}
