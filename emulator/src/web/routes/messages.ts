// POST /v1/messages: routed by hash(to) % shards to the coreapp owning that shard.
import { readRegistration } from '../../db/account-store';
import { listNodes, readShardMap } from '../../db/cluster-store';
import { ApiError } from '../../logic/envelope';
import { parseTextMessage } from '../../logic/requests';
import { shardFor } from '../../logic/routing';
import { MESSAGING_PORT, replyError } from '../../net/internal-api';
import { callClusterNode } from '../cluster-client';
import { requireUser, type Route } from '../http';
import { requireCurrentSchema, type WebState } from '../web-state';

export function messageRoutes(state: WebState): Record<string, Route> {
  const { sql } = state;
  return {
    'POST /v1/messages': async (ctx) => {
      await requireUser(ctx);
      const msg = parseTextMessage(ctx.body);
      await requireCurrentSchema(state);
      const reg = await readRegistration(sql);
      if (!reg.registered) throw new ApiError(1011, 'The account is not registered');
      const shard = shardFor(msg.to, reg.shards);
      const ownerKey = (await readShardMap(sql)).get(shard);
      const owner = ownerKey ? (await listNodes(sql)).find((n) => n.nodeKey === ownerKey) : undefined;
      if (!owner) throw new ApiError(1018, `No coreapp owns shard ${shard} right now (failover in progress?); retry the request`);
      let reply;
      try {
        reply = await callClusterNode(sql, owner, MESSAGING_PORT, 'POST', '/messages', { to: msg.to, shard }, 3000);
      } catch {
        throw new ApiError(1011, `Please check if wacore is running: ${owner.hostname}:${MESSAGING_PORT} (owner of shard ${shard})`);
      }
      const err = replyError(reply);
      if (err) throw err;
      return { status: 201, body: { messages: [{ id: (reply.body as { id: string }).id }] } };
    },
  };
}
