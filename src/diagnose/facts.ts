// What Diagnose Cluster looks at, gathered once per run (src/diagnose/gather.ts) and then judged by
// pure checks (checks.ts). No vscode, no Docker or HTTP types: tests build these by hand.
import type { NodeHealth } from '../cluster/clusterHealth';
import type { PublishedPort } from '../docker/containerNode';
import type { ApplicationSettings, Reported, SupportNode } from '../contract';

/** A fact that could be read, or why not ("not connected to the webapp", the engine's error). */
export type Fact<T> = { ok: true; value: T } | { ok: false; reason: string };

export const known = <T>(value: T): Fact<T> => ({ ok: true, value });
export const unknown = <T = never>(reason: string): Fact<T> => ({ ok: false, reason });

/** What a container is in the cluster, by what it runs (its environment), not by its name. */
export type NodeKind = 'webapp' | 'master' | 'coreapp' | 'db' | 'other';

/** One container of the project, from `docker inspect`. `env` never leaves the extension host. */
export interface ContainerFacts {
  id: string;
  name: string;
  service: string;
  /** Docker state: running, exited, restarting, … */
  state: string;
  image: string;
  kind: NodeKind;
  /** The image tag's version ("2.53.1" of `…:v2.53.1`), when the image is tagged so. */
  version?: string;
  env: Readonly<Record<string, string>>;
  ports: PublishedPort[];
  exitCode?: number;
}

/** The database as the nodes would log in to it (db.env's WA_DB_* credentials). */
export interface DbProbe {
  engine: 'MYSQL' | 'PGSQL';
  /** Where the probe logged in, e.g. "127.0.0.1:3306 inside db". */
  where: string;
  user: string;
  reachable: boolean;
  /** The database's answer when it refused or could not be reached. */
  error?: string;
  /** Whether the user may create and change the schema (what the primary master does). */
  privileged?: boolean;
  /** The grants or role flags read, as the database printed them. */
  grants?: string;
}

/** A POST to the webhook URL from inside a coreapp, as WADebug's check_webhook does it. */
export interface WebhookProbe {
  url: string;
  from: string;
  /** HTTP status, 0 when no answer came. */
  status: number;
  seconds: number;
  error?: string;
}

export interface ClusterFacts {
  /** ISO time the facts were gathered. */
  at: string;
  folder?: { path: string; project: string; apiVersion?: string; apiVersionFrom?: string; dbEngine?: string };
  containers: Fact<ContainerFacts[]>;
  /** "running v2.51.2, .env says v2.53.1 — Start to upgrade", when they differ. */
  drift?: string;
  /** Whether the extension is logged in to the webapp. */
  connected: boolean;
  health: Fact<{ nodes: NodeHealth[]; version?: string }>;
  support: Fact<SupportNode[]>;
  settings: Fact<Reported<ApplicationSettings>>;
  /** `GET /v1/account/shards`: undefined before registration. */
  shardCount: Fact<number | undefined>;
  db: Fact<DbProbe>;
  /** Only when a webhook URL is set and a coreapp runs. */
  webhook?: Fact<WebhookProbe>;
  /** How fast the user expects a dead node's role to move (setting wabaCluster.failoverExpectationSeconds). */
  failoverExpectationSeconds: number;
}

/** The five `WA_DB_*` settings every WhatsApp node needs (WADebug: check_db_settings_exist). */
export const DB_SETTINGS = ['WA_DB_ENGINE', 'WA_DB_HOSTNAME', 'WA_DB_PORT', 'WA_DB_USERNAME', 'WA_DB_PASSWORD'] as const;

/** Characters in WA_DB_PASSWORD that break the client's connection string (WADebug: check_mysql_password). */
export const PASSWORD_BREAKERS = '?{}&~!()^=';

/** The kind of node a container is, from its environment (Meta's compose sets these), else its name. */
export function nodeKindOf(env: Readonly<Record<string, string>>, service: string): NodeKind {
  if (env.WEBAPP_HOSTNAME !== undefined) return 'webapp';
  if (env.COREAPP_HOSTNAME !== undefined) return env.WA_MASTER_NODE === '1' ? 'master' : 'coreapp';
  if (Object.keys(env).some((k) => k.startsWith('MYSQL_') || k.startsWith('POSTGRES_')) || service === 'db') return 'db';
  return 'other';
}

/** "2.53.1" of an image tagged `…:v2.53.1` (or `:2.53.1`). */
export function imageVersion(image: string): string | undefined {
  return /:v?(\d+\.\d+\.\d+)$/.exec(image)?.[1];
}
