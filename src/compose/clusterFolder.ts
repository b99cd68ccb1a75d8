import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseDotenv } from './dotenv';
import { composeProjectName } from './projectName';

export const CLUSTER_COMPOSE_FILE = 'multiconnect-compose.yml';

/** A folder laid out like the seed's ~/biz: multiconnect-compose.yml, db.env, maybe a .env. */
export interface ClusterFolder {
  path: string;
  project: string;
  /** Values of the folder's .env (WA_API_VERSION, COMPOSE_FILE, ...). */
  dotenv: Record<string, string>;
  /** COMPOSE_FILE of the environment or .env, else just multiconnect-compose.yml (as in `-f multiconnect-compose.yml`). */
  composeFiles: string[];
  /** WA_API_VERSION of the environment or .env. */
  apiVersion: string | undefined;
  /** WA_DB_ENGINE of db.env (MYSQL or PGSQL). */
  dbEngine: string | undefined;
  /** The DB upgrade job's compose files: WABA_DBUPGRADE_COMPOSE_FILE of .env, else dbupgrade-compose.yml when present. */
  dbUpgradeFiles: string[];
}

/** The first of the given folders that holds a multiconnect-compose.yml. */
export function findClusterFolder(folders: readonly string[], env: Readonly<Record<string, string | undefined>> = process.env): ClusterFolder | undefined {
  const path = folders.find((f) => existsSync(join(f, CLUSTER_COMPOSE_FILE)));
  if (path === undefined) return undefined;
  const dotenvPath = join(path, '.env');
  const dotenv = existsSync(dotenvPath) ? parseDotenv(readFileSync(dotenvPath, 'utf8')) : {};
  // The shell's COMPOSE_PROJECT_NAME wins over .env, as in docker-compose.
  const project = composeProjectName(basename(path), { COMPOSE_PROJECT_NAME: env.COMPOSE_PROJECT_NAME ?? dotenv.COMPOSE_PROJECT_NAME });
  const composeFile = env.COMPOSE_FILE ?? dotenv.COMPOSE_FILE;
  const separator = env.COMPOSE_PATH_SEPARATOR ?? dotenv.COMPOSE_PATH_SEPARATOR ?? ':';
  const composeFiles = composeFile ? composeFile.split(separator).filter(Boolean) : [CLUSTER_COMPOSE_FILE];
  const dbEnvPath = join(path, 'db.env');
  const dbEngine = existsSync(dbEnvPath) ? parseDotenv(readFileSync(dbEnvPath, 'utf8')).WA_DB_ENGINE : undefined;
  const jobFiles = dotenv.WABA_DBUPGRADE_COMPOSE_FILE;
  const dbUpgradeFiles = jobFiles ? jobFiles.split(separator).filter(Boolean) : existsSync(join(path, 'dbupgrade-compose.yml')) ? ['dbupgrade-compose.yml'] : [];
  return { path, project, dotenv, composeFiles, apiVersion: env.WA_API_VERSION ?? dotenv.WA_API_VERSION, dbEngine, dbUpgradeFiles };
}

/**
 * Environment for compose commands: the engine the extension watches (when the user set one) and
 * the cluster's WA_API_VERSION as the extension knows it (it changes with an upgrade).
 */
export function composeEnvironment(folder: Pick<ClusterFolder, 'apiVersion'>, dockerHost: string | undefined): Record<string, string> {
  return { ...(dockerHost ? { DOCKER_HOST: dockerHost } : {}), ...(folder.apiVersion ? { WA_API_VERSION: folder.apiVersion } : {}) };
}
