// Wire shapes of `/v1/health` and `/v1/users/login` (waba-api.md §4.4, §6.3).
import type { WabaError } from './errors';

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
