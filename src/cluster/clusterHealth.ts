import type { GatewayStatus, HealthBody, NodeRole, WabaError } from '../contract';
import type { ContainerNode } from './containerNode';

/** One node's entry of `/v1/health`, split into its parts. */
export interface NodeHealth {
  key: string;
  /** COREAPP_HOSTNAME: the compose service name under Meta's compose files. */
  coreappHostname: string;
  /** The container's own hostname: its 12-hex short id under compose. */
  containerHostname: string;
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
    .map(([key, value]) => {
      const colon = key.lastIndexOf(':');
      return {
        key,
        coreappHostname: colon === -1 ? key : key.slice(0, colon),
        containerHostname: colon === -1 ? '' : key.slice(colon + 1),
        role: value?.role,
        gatewayStatus: value?.gateway_status,
        error: value?.errors?.[0],
      };
    })
    .sort((a, b) => a.key.localeCompare(b.key, 'en', { numeric: true }));
}

/**
 * The health entry of a container: by its hostname (a prefix of the container id under compose),
 * else by COREAPP_HOSTNAME equal to the service name when exactly one entry has it (hostnames
 * that are not container ids, e.g. set in the compose file). A re-created container whose new id
 * is not listed yet gets no entry rather than its predecessor's.
 */
export function healthOfContainer(node: ContainerNode, health: readonly NodeHealth[]): NodeHealth | undefined {
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

/** Rolls a cluster's health up the way an operator reads it. */
export function summarizeHealth(health: readonly NodeHealth[]): HealthSummary {
  if (health.length === 0) return { level: 'error', text: 'no health', problems: ['/v1/health listed no node'] };
  const problems: string[] = [];
  const notReady = health.filter((h) => h.error);
  const primaries = health.filter((h) => h.role === 'primary_master');
  const connected = health.filter((h) => h.gatewayStatus === 'connected');
  const unregistered = health.some((h) => h.gatewayStatus === 'unregistered');
  const uninitialized = health.filter((h) => h.gatewayStatus === 'uninitialized');

  if (primaries.length === 0 && health.some((h) => h.role)) problems.push('no primary master');
  if (primaries.length > 1) problems.push(`${primaries.length} primary masters: ${primaries.map((p) => p.coreappHostname).join(', ')}`);
  if (unregistered) problems.push('the number is not registered yet (POST /v1/account, then verify the code)');
  for (const u of uninitialized) problems.push(`${u.coreappHostname} is uninitialized (database upgrade or initialisation in progress)`);
  for (const n of notReady) problems.push(`${n.coreappHostname}: ${n.error!.code} ${n.error!.title}`);

  const primary = primaries[0]?.coreappHostname;
  const head = primary ? `primary ${primary}` : 'no primary';
  const text = unregistered ? `${head} · unregistered` : `${head} · ${connected.length} connected`;
  const level: HealthLevel = primaries.length !== 1 || (!unregistered && connected.length === 0) ? 'error' : problems.length > 0 ? 'warning' : 'ok';
  return { level, text, problems };
}
