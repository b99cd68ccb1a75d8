// How the Webapp reaches the masters and coreapps.
import { listNodes, nodeAddress, readLease, type NodeRow } from '../db/cluster-store';
import type { Sql } from '../db/sql';
import { liveHolder } from '../logic/election';
import { controlPath, type ControlRoute } from '../node/master-control';
import { ApiError, ErrorCode, NOT_INSTANTIATED } from '../logic/envelope';
import { callNode, CONTROL_PORT, HEALTH_PORT, loadClusterSecret, replyError, type InternalReply } from '../net/internal-api';

const NODE_TIMEOUT_MS = 1000;

/** 1014 with the address the webapp tried, as the real Webapp reports a node it cannot reach. */
export function unreachable(host: string, port: number, why: unknown, role?: string): ApiError {
  const reason = (why as NodeJS.ErrnoException)?.code ?? (why as Error)?.message ?? String(why);
  return new ApiError(ErrorCode.InternalError, `Unable to reach ${host}:${port}${role ? `, ${role}` : ''} (${reason}). Please check if wacore is running`);
}

/** Calls one node at its own container address, with the cluster secret. */
export async function callClusterNode(sql: Sql, node: NodeRow, port: number, method: string, path: string, body: unknown, timeoutMs: number): Promise<InternalReply> {
  await loadClusterSecret(sql);
  return callNode(nodeAddress(node), port, method, path, body, timeoutMs);
}

/**
 * Asks every registered node. A node that answers but is not set up says "Service not ready" (1011);
 * one the webapp cannot reach (stopped, crashed, not listening) is 1014 with the address it tried.
 */
export async function askAllNodes(sql: Sql, path: '/health' | '/support'): Promise<Record<string, unknown>> {
  const nodes = await listNodes(sql);
  const answers = await Promise.all(nodes.map(async (n) => {
    try {
      const reply = await callClusterNode(sql, n, HEALTH_PORT, 'GET', path, undefined, NODE_TIMEOUT_MS);
      return reply.status === 200 ? reply.body : { errors: [NOT_INSTANTIATED] };
    } catch (e) {
      return { errors: [unreachable(nodeAddress(n), HEALTH_PORT, e).toObject()] };
    }
  }));
  return Object.fromEntries(nodes.map((n, i) => [n.nodeKey, answers[i]]));
}

async function primaryMaster(sql: Sql): Promise<NodeRow> {
  const holder = liveHolder(await readLease(sql), await sql.nowMs());
  const node = holder ? (await listNodes(sql)).find((n) => n.nodeKey === holder) : undefined;
  if (!node) throw new ApiError(ErrorCode.NotPrimaryMaster, 'No primary master holds the master lease; retry the request');
  return node;
}

/** Forwards a master-only operation (a route of the contract) to the primary master. */
export async function forwardToPrimary(sql: Sql, op: ControlRoute, body: unknown): Promise<InternalReply> {
  const master = await primaryMaster(sql);
  let reply: InternalReply;
  try {
    reply = await callClusterNode(sql, master, CONTROL_PORT, 'POST', controlPath(op), body, 5000);
  } catch {
    throw new ApiError(ErrorCode.NotPrimaryMaster, `Primary master ${master.nodeKey} is not reachable at ${master.hostname}:${CONTROL_PORT}; retry the request`);
  }
  const err = replyError(reply);
  if (err) throw err;
  return reply;
}
