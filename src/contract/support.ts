// `GET /v1/support` (waba-api.md §4.10, Meta's "Support" page): what each node says about itself.
// In HA/Multiconnect the body is keyed like /v1/health ("<COREAPP_HOSTNAME>:<container>"); a single
// instance answers one flat object. WADebug bundles it and reads `debug_info` as the phone number.
import type { WabaError } from './errors';
import { parseWabaErrors } from './errors';
import type { NodeRole, WabaMeta } from './health';
import { array, join, number, object, optional, ShapeError, string, type Json } from './shape';

/** The control shard: owned by the primary master in Multiconnect, by the shard-0 coreapp in HA. */
export const CONTROL_SHARD = -1;

/** `UP` connected, `DN` disconnected, `SC` connecting, `UP receiving offline`, `UNK` unknown. */
export type SocketConn = 'UP' | 'DN' | 'SC' | 'UP receiving offline' | 'UNK';

/** Inclusive range [first, last] of shard ids; Meta: a coreapp owns one shard at a time. */
export type ShardRange = [number, number];

export interface SupportNodeBody {
  context?: string;
  db_engine?: 'MYSQL' | 'PGSQL';
  /** The registered number, or "unregistered". */
  debug_info?: string;
  description?: string;
  device_iso8601?: string;
  /** When this build stops working ("YYYY-MM-DDTHH:MM:SS", UTC). */
  expire_timestamp?: string;
  lc?: string;
  lg?: string;
  multi_connect?: boolean;
  os_name?: string;
  os_version?: string;
  role?: NodeRole;
  schema?: Record<string, number | null>;
  shards?: ShardRange[];
  socket_conn?: SocketConn | string;
  version?: string;
  /** A node the webapp could not ask answers errors instead (1011 not ready, 1014 unreachable). */
  errors?: WabaError[];
}

export interface SupportBody { support: Record<string, SupportNodeBody> | SupportNodeBody; meta?: WabaMeta }

export interface SupportNode { key: string; body: SupportNodeBody }

function isFlat(support: Json): boolean {
  return typeof support.context === 'string' || typeof support.version === 'string' || Array.isArray(support.errors);
}

function parseNode(value: unknown, path: string): SupportNodeBody {
  const node = object(value, path);
  for (const key of ['context', 'db_engine', 'debug_info', 'description', 'device_iso8601', 'expire_timestamp', 'os_name', 'role', 'socket_conn', 'version']) {
    optional(node[key], join(path, key), string);
  }
  optional(node.shards, join(path, 'shards'), (v, p) => array(v, p).map((range, i) => {
    const pair = array(range, join(p, i));
    if (pair.length !== 2) throw new ShapeError(join(p, i), '[first, last]', range);
    return [number(pair[0], join(join(p, i), 0)), number(pair[1], join(join(p, i), 1))];
  }));
  optional(node.errors, join(path, 'errors'), parseWabaErrors);
  return node as SupportNodeBody;
}

/** Every node of a support body (one entry with key "" for a single instance). */
export function parseSupportBody(body: unknown): SupportNode[] {
  const support = object(object(body, '').support, 'support');
  if (isFlat(support)) return [{ key: '', body: parseNode(support, 'support') }];
  return Object.entries(support).map(([key, value]) => ({ key, body: parseNode(value, join('support', key)) }));
}

/** Data shards (not the control shard) a node owns. */
export function dataShardsOf(node: SupportNodeBody): number[] {
  const owned: number[] = [];
  for (const [first, last] of node.shards ?? []) for (let s = Math.max(first, 0); s <= last; s++) owned.push(s);
  return owned;
}

/** Shards 0..shardCount-1 that no node owns: messages to their recipients cannot be sent. */
export function unownedShards(shardCount: number, nodes: readonly SupportNode[]): number[] {
  const owned = new Set(nodes.flatMap((n) => dataShardsOf(n.body)));
  return Array.from({ length: shardCount }, (_, s) => s).filter((s) => !owned.has(s));
}
