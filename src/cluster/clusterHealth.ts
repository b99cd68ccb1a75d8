import { CONTROL_SHARD, dataShardsOf, type GatewayStatus, type HealthBody, type NodeRole, type SupportNode, type WabaError } from '../contract';
import type { ContainerNode } from '../docker/containerNode';
import { t } from '../l10n';

/** A node of a node-keyed body (`/v1/health`, `/v1/support`): `<COREAPP_HOSTNAME>:<container hostname>`. */
export interface NodeKeyed { key: string; coreappHostname: string; containerHostname: string }

function splitNodeKey(key: string): NodeKeyed {
  const colon = key.lastIndexOf(':');
  return { key, coreappHostname: colon === -1 ? key : key.slice(0, colon), containerHostname: colon === -1 ? '' : key.slice(colon + 1) };
}

/** One node's entry of `/v1/health`, split into its parts. */
export interface NodeHealth extends NodeKeyed {
  role?: NodeRole;
  gatewayStatus?: GatewayStatus;
  error?: WabaError;
}

export function parseHealth(body: HealthBody): NodeHealth[] {
  const health = body?.health as Record<string, unknown> | undefined;
  if (!health || typeof health !== 'object') return [];
  if (typeof health.gateway_status === 'string') {
    return [{ key: 'single', coreappHostname: '', containerHostname: '', gatewayStatus: health.gateway_status as GatewayStatus }];
  }
  return Object.entries(health as Record<string, { gateway_status?: GatewayStatus; role?: NodeRole; errors?: WabaError[] }>)
    .map(([key, value]) => ({ ...splitNodeKey(key), role: value?.role, gatewayStatus: value?.gateway_status, error: value?.errors?.[0] }))
    .sort(byKey);
}

const byKey = (a: NodeKeyed, b: NodeKeyed): number => a.key.localeCompare(b.key, 'en', { numeric: true });

/** What `/v1/support` says a node owns: its data shards, and whether it holds the control shard. */
export interface NodeShards extends NodeKeyed {
  role?: NodeRole;
  shards: number[];
  control: boolean;
  error?: WabaError;
}

/** The shard map as the nodes report it in `/v1/support`, one entry per node. */
export function parseShardOwnership(support: readonly SupportNode[]): NodeShards[] {
  return support.map(({ key, body }) => ({
    ...splitNodeKey(key), role: body.role, shards: dataShardsOf(body), error: body.errors?.[0],
    control: (body.shards ?? []).some(([first, last]) => first <= CONTROL_SHARD && CONTROL_SHARD <= last),
  })).sort(byKey);
}

/**
 * States the client guarantees never to be in (issue #13): two primary masters, a shard with two
 * owners. Seen in health or support, they are a problem whatever else looks fine.
 */
export function impossibleStates(health: readonly NodeHealth[], ownership: readonly NodeShards[] = []): string[] {
  const found: string[] = [];
  const primaries = health.filter((h) => h.role === 'primary_master');
  if (primaries.length > 1) found.push(`${primaries.length} primary masters at once: ${primaries.map((p) => p.coreappHostname).join(', ')}`);
  const owners = new Map<number, string[]>();
  for (const node of ownership) for (const shard of node.shards) owners.set(shard, [...(owners.get(shard) ?? []), node.coreappHostname]);
  for (const [shard, names] of [...owners].sort((a, b) => a[0] - b[0])) {
    if (names.length > 1) found.push(`shard ${shard} has ${names.length} owners at once: ${names.join(', ')}`);
  }
  const controls = ownership.filter((n) => n.control);
  if (controls.length > 1) found.push(`the control shard has ${controls.length} owners at once: ${controls.map((n) => n.coreappHostname).join(', ')}`);
  return found;
}

/** Nodes taking part in an impossible state (two primaries, two owners of a shard), with what is wrong. */
export function conflictingNodes(health: readonly NodeHealth[], shards: readonly NodeShards[]): Map<string, string> {
  const found = new Map<string, string>();
  const primaries = health.filter((h) => h.role === 'primary_master');
  if (primaries.length > 1) for (const p of primaries) found.set(p.key, `one of ${primaries.length} primary masters at once`);
  for (const node of shards) {
    const shared = node.shards.filter((shard) => shards.some((other) => other !== node && other.shards.includes(shard)));
    if (shared.length) found.set(node.key, `shard ${shared.join(', ')} also claimed by another node`);
  }
  return found;
}

/**
 * The health entry of a container: by its hostname (a prefix of the container id under compose),
 * else by COREAPP_HOSTNAME equal to the service name when exactly one entry has it (hostnames
 * that are not container ids, e.g. set in the compose file). A re-created container whose new id
 * is not listed yet gets no entry rather than its predecessor's.
 */
export function healthOfContainer<T extends NodeKeyed>(node: ContainerNode, health: readonly T[]): T | undefined {
  const byId = health.find((h) => h.containerHostname.length >= 12 && node.id.startsWith(h.containerHostname));
  if (byId) return byId;
  const byService = health.filter((h) => h.coreappHostname === node.service);
  return byService.length === 1 && !/^[0-9a-f]{12}$/.test(byService[0].containerHostname) ? byService[0] : undefined;
}

export type HealthLevel = 'ok' | 'warning' | 'error';

export interface HealthSummary {
  level: HealthLevel;
  /** Short text for the status bar, e.g. "primary master2 · 2 connected". */
  text: string;
  /** One line per problem, for the tooltip. */
  problems: string[];
}

/**
 * Rolls a cluster's health up the way an operator reads it; with the shard map of `/v1/support`,
 * a shard with two owners is an error too.
 */
export function summarizeHealth(health: readonly NodeHealth[], ownership: readonly NodeShards[] = []): HealthSummary {
  if (health.length === 0) return { level: 'error', text: t('no health'), problems: [t('/v1/health listed no node')] };
  const impossible = impossibleStates(health, ownership);
  const problems: string[] = [...impossible];
  const notReady = health.filter((h) => h.error);
  const primaries = health.filter((h) => h.role === 'primary_master');
  const connected = health.filter((h) => h.gatewayStatus === 'connected');
  const unregistered = health.some((h) => h.gatewayStatus === 'unregistered');
  const uninitialized = health.filter((h) => h.gatewayStatus === 'uninitialized');

  if (primaries.length === 0 && health.some((h) => h.role)) problems.push(t('no primary master'));
  if (unregistered) problems.push(t('the number is not registered yet (POST /v1/account, then verify the code)'));
  for (const u of uninitialized) problems.push(t('{0} is uninitialized (database upgrade or initialisation in progress)', u.coreappHostname));
  for (const n of notReady) problems.push(`${n.coreappHostname}: ${n.error!.code} ${n.error!.title}`);

  const primary = primaries[0]?.coreappHostname;
  const head = primaries.length > 1 ? t('{0} primaries!', primaries.length) : primary ? t('primary {0}', primary) : t('no primary');
  const text = unregistered ? t('{0} · unregistered', head) : t('{0} · {1} connected', head, connected.length);
  const level: HealthLevel = impossible.length > 0 || primaries.length !== 1 || (!unregistered && connected.length === 0) ? 'error' : problems.length > 0 ? 'warning' : 'ok';
  return { level, text, problems };
}
