// Everything a node learns from its environment (db.env + the compose service's environment).
import { hostname } from 'node:os';

export type DbEngine = 'MYSQL' | 'PGSQL';

export interface DbConfig {
  engine: DbEngine;
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  idleTimeoutMs: number;
}

export interface NodeConfig {
  image: 'coreapp' | 'web';
  version: string;
  /** Address other nodes use to reach this node. */
  hostname: string;
  /** "<COREAPP_HOSTNAME>:<container hostname>", the key of /v1/health. */
  nodeKey: string;
  container: string;
  isMaster: boolean;
  isDbUpgrade: boolean;
  exitOnSuccess: boolean;
  db: DbConfig;
  apiKey?: string;
  jwtKey?: string;
}

function flag(v: string | undefined): boolean {
  return v !== undefined && ['1', 'true', 'yes'].includes(v.trim().toLowerCase());
}

export function readDbConfig(env: NodeJS.ProcessEnv): DbConfig {
  const engine = (env.WA_DB_ENGINE ?? 'MYSQL').toUpperCase();
  if (engine !== 'MYSQL' && engine !== 'PGSQL') throw new Error(`WA_DB_ENGINE must be MYSQL or PGSQL, not ${engine}`);
  return {
    engine,
    host: env.WA_DB_HOSTNAME ?? 'db',
    port: Number(env.WA_DB_PORT ?? 3306),
    user: env.WA_DB_USERNAME ?? 'root',
    password: env.WA_DB_PASSWORD ?? '',
    database: `${env.WA_DB_NAME_PREFIX ?? ''}waent`,
    idleTimeoutMs: Number(env.WA_DB_CONNECTION_IDLE_TIMEOUT ?? 180000),
  };
}

export function readNodeConfig(env: NodeJS.ProcessEnv = process.env): NodeConfig {
  const image = env.WA_EMULATOR_IMAGE === 'web' ? 'web' : 'coreapp';
  const container = hostname();
  const own = image === 'web' ? env.WEBAPP_HOSTNAME ?? 'waweb' : env.COREAPP_HOSTNAME ?? container;
  return {
    image,
    version: (env.WA_EMULATOR_VERSION ?? '2.51.2').replace(/^v/, ''),
    hostname: own,
    nodeKey: `${own}:${container}`,
    container,
    isMaster: flag(env.WA_MASTER_NODE),
    isDbUpgrade: flag(env.WA_DB_UPGRADE),
    exitOnSuccess: (env.EXIT_ON_SUCCESS ?? 'TRUE').trim().toUpperCase() !== 'FALSE',
    db: readDbConfig(env),
    apiKey: env.WA_API_KEY && env.WA_API_KEY.length >= 12 ? env.WA_API_KEY : undefined,
    jwtKey: env.WA_WEB_JWT_CRYPTO_KEY || undefined,
  };
}
