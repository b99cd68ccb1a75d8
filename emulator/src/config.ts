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

/** Bytes an HS256 key set by WA_WEB_JWT_CRYPTO_KEY needs (the hash's output size). */
export const MIN_JWT_KEY_BYTES = 32;

/** WA_API_KEY and WA_WEB_JWT_CRYPTO_KEY of the Webapp: a bad value is refused at start, never ignored. */
function webKeys(env: NodeJS.ProcessEnv): { apiKey?: string; jwtKey?: string } {
  const apiKey = env.WA_API_KEY || undefined;
  if (apiKey !== undefined && (apiKey.length < 12 || apiKey.length > 128)) {
    throw new Error(`WA_API_KEY must be 12 to 128 characters long (it has ${apiKey.length}); fix it or remove it`);
  }
  const jwtKey = env.WA_WEB_JWT_CRYPTO_KEY || undefined;
  if (jwtKey !== undefined && Buffer.byteLength(jwtKey) < MIN_JWT_KEY_BYTES) {
    throw new Error(`WA_WEB_JWT_CRYPTO_KEY must be at least ${MIN_JWT_KEY_BYTES} bytes (it has ${Buffer.byteLength(jwtKey)}): a short key lets tokens be forged; use e.g. \`openssl rand -hex 32\`, or remove it to let the webapp generate one`);
  }
  return { apiKey, jwtKey };
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
    ...(image === 'web' ? webKeys(env) : {}),
  };
}
