// Wire shapes of `/v1/health` and `/v1/users/login` (waba-api.md §4.4, §6.3).
import { parseWabaErrors, type WabaError } from './errors';
import { array, join, object, oneOf, optional, ShapeError, string } from './shape';

export interface WabaMeta { api_status?: string; version?: string }

export type GatewayStatus = 'connected' | 'connecting' | 'disconnected' | 'uninitialized' | 'unregistered';
export type NodeRole = 'primary_master' | 'secondary_master' | 'coreapp';

/** One node of `GET /v1/health` in HA/Multiconnect: a status or errors (e.g. 1011 Service not ready). */
export interface HealthNodeBody { gateway_status?: GatewayStatus; role?: NodeRole; errors?: WabaError[] }

export interface HealthBody {
  /** Node-keyed (`<COREAPP_HOSTNAME>:<container hostname>`) in a cluster; flat for a single instance. */
  health: Record<string, HealthNodeBody> | { gateway_status: GatewayStatus };
  meta?: WabaMeta;
}

export interface LoginBody { users: Array<{ token: string; expires_after: string }>; meta?: WabaMeta }

export const GATEWAY_STATUSES: readonly GatewayStatus[] = ['connected', 'connecting', 'disconnected', 'uninitialized', 'unregistered'];
export const NODE_ROLES: readonly NodeRole[] = ['primary_master', 'secondary_master', 'coreapp'];

function parseHealthNode(value: unknown, path: string): HealthNodeBody {
  const node = object(value, path);
  optional(node.gateway_status, join(path, 'gateway_status'), (v, p) => oneOf(v, GATEWAY_STATUSES, p));
  optional(node.role, join(path, 'role'), (v, p) => oneOf(v, NODE_ROLES, p));
  optional(node.errors, join(path, 'errors'), parseWabaErrors);
  if (node.gateway_status === undefined && node.errors === undefined) throw new ShapeError(path, 'a gateway_status or errors', value);
  return node as HealthNodeBody;
}

/** `GET /v1/health`: every node has a gateway_status (and role) or errors. */
export function parseHealthBody(body: unknown): HealthBody {
  const health = object(object(body, '').health, 'health');
  if (typeof health.gateway_status === 'string') parseHealthNode(health, 'health');
  else for (const [key, value] of Object.entries(health)) parseHealthNode(value, join('health', key));
  return body as HealthBody;
}

/** `POST /v1/users/login`: one token with its expiry. */
export function parseLoginBody(body: unknown): LoginBody {
  const users = array(object(body, '').users, 'users');
  const first = object(users[0], 'users[0]');
  string(first.token, 'users[0].token');
  string(first.expires_after, 'users[0].expires_after');
  return body as LoginBody;
}
