import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import type { ComposeFlavor } from './composeCli';
import { ComposeFilesModel, readComposeFiles } from './composeFiles';
import { parseDotenv } from './dotenv';
import type { ComposeVariables } from './interpolate';
import { ProjectNameError, composeProjectName } from './projectName';

export const CLUSTER_COMPOSE_FILE = 'multiconnect-compose.yml';

/** A folder laid out like the seed's ~/biz: multiconnect-compose.yml, db.env, maybe a .env. Read, never written. */
export interface ClusterFolder {
  path: string;
  /** The compose project name, by the rules of the compose in use (see projectName.ts). */
  project: string;
  /** Why compose would refuse the project name (then `project` is only the best guess). */
  projectProblem: string | undefined;
  /** Values of the folder's .env (WA_API_VERSION, COMPOSE_FILE, ...). */
  dotenv: Record<string, string>;
  /** What compose substitutes: the shell's environment over the folder's .env. */
  variables: ComposeVariables;
  /** COMPOSE_FILE of the environment or .env, else just multiconnect-compose.yml (as in `-f multiconnect-compose.yml`). */
  composeFiles: string[];
  /** WA_API_VERSION of the environment or .env. */
  apiVersion: string | undefined;
  /** Where WA_API_VERSION comes from: the folder's .env or VS Code's environment. */
  apiVersionFrom: '.env' | 'environment' | undefined;
  /** WA_DB_ENGINE of db.env (MYSQL or PGSQL). */
  dbEngine: string | undefined;
  /** The DB upgrade job's compose files: WABA_DBUPGRADE_COMPOSE_FILE of .env, else dbupgrade-compose.yml when present. */
  dbUpgradeFiles: string[];
  /** What the compose files say about names, images and ports. */
  compose: ComposeFilesModel;
}

export interface ReadOptions {
  /**
   * Parse the compose files (their `name:`, images, ports). Off for the first read at activation,
   * which must stay fast: the next read, right after activation, parses them.
   */
  composeFiles?: boolean;
}

/** The first of the given folders that holds a multiconnect-compose.yml, read for the given compose flavour. */
export function findClusterFolder(folders: readonly string[], env: Readonly<Record<string, string | undefined>> = process.env, flavor: ComposeFlavor = 'v2', options: ReadOptions = {}): ClusterFolder | undefined {
  const path = folders.find((f) => existsSync(join(f, CLUSTER_COMPOSE_FILE)));
  return path === undefined ? undefined : readClusterFolder(path, env, flavor, options);
}

export function readClusterFolder(path: string, env: Readonly<Record<string, string | undefined>>, flavor: ComposeFlavor, { composeFiles: parseCompose = true }: ReadOptions = {}): ClusterFolder {
  const dotenv = readEnvFile(join(path, '.env'));
  // The shell's values win over .env, as compose reads them.
  const variables: ComposeVariables = { ...dotenv, ...definedOnly(env) };
  const separator = variables.COMPOSE_PATH_SEPARATOR ?? ':';
  const composeFile = variables.COMPOSE_FILE;
  const composeFiles = composeFile ? composeFile.split(separator).filter(Boolean) : [CLUSTER_COMPOSE_FILE];
  const compose = parseCompose ? readComposeFiles(path, composeFiles) : { topLevelName: undefined, services: [], unreadable: [] };
  const jobFiles = dotenv.WABA_DBUPGRADE_COMPOSE_FILE;
  const dbUpgradeFiles = jobFiles ? jobFiles.split(separator).filter(Boolean) : existsSync(join(path, 'dbupgrade-compose.yml')) ? ['dbupgrade-compose.yml'] : [];
  // Compose's project folder is the folder of the first compose file.
  const first = composeFiles[0];
  const projectDir = isAbsolute(first) ? dirname(first) : dirname(join(path, first));
  let project: string, projectProblem: string | undefined;
  try {
    project = composeProjectName(flavor, { folderBasename: basename(projectDir), variables, topLevelName: compose.topLevelName });
  } catch (error) {
    if (!(error instanceof ProjectNameError)) throw error;
    projectProblem = error.message;
    project = composeProjectName('v1', { folderBasename: basename(projectDir), variables });
  }
  const apiVersion = variables.WA_API_VERSION || undefined;
  const apiVersionFrom = apiVersion === undefined ? undefined : env.WA_API_VERSION ? 'environment' : '.env';
  return {
    path, project, projectProblem, dotenv, variables, composeFiles, apiVersion, apiVersionFrom,
    dbEngine: readEnvFile(join(path, 'db.env')).WA_DB_ENGINE, dbUpgradeFiles, compose,
  };
}

function readEnvFile(file: string): Record<string, string> {
  try {
    return parseDotenv(readFileSync(file, 'utf8'));
  } catch {
    return {};
  }
}

function definedOnly(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}

