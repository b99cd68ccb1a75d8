// What a master/coreapp node says about itself on /v1/health (waba-api.md §4.4, §6.3).
import type { GatewayStatus, NodeRole } from '../../../src/contract';
import { NOT_INSTANTIATED, type ErrorObject } from './envelope';

export type { GatewayStatus, NodeRole };

export interface NodeFacts {
  role: NodeRole;
  /** The database schema is at least the one this node's version needs. */
  schemaReady: boolean;
  registered: boolean;
  /** Result of shardsOwnedBy for this node. */
  ownedShards: number[][];
}

export type NodeHealth = { gateway_status: GatewayStatus; role: NodeRole } | { errors: ErrorObject[] };

export function gatewayStatus(f: NodeFacts): GatewayStatus {
  if (!f.schemaReady) return 'uninitialized';
  if (!f.registered) return 'unregistered';
  return f.ownedShards.length > 0 ? 'connected' : 'disconnected';
}

/**
 * Until a number is registered only the primary master is instantiated; the secondary
 * master and coreapps answer "Service not ready" (the developer guide's first health body).
 */
export function nodeHealth(f: NodeFacts): NodeHealth {
  const status = gatewayStatus(f);
  if (status === 'unregistered' && f.role !== 'primary_master') return { errors: [NOT_INSTANTIATED] };
  return { gateway_status: status, role: f.role };
}
