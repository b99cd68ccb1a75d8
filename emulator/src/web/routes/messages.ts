// POST /v1/messages: routed by hash(to) % shards to the coreapp owning that shard; status
// callbacks follow on the webhook (webhook-sender.ts).
import type { MessagesBody } from '../../../../src/contract';
import { readRegistration } from '../../db/account-store';
import { listNodes, nodeAddress, readShardMap } from '../../db/cluster-store';
import { ApiError, ErrorCode } from '../../logic/envelope';
import { parseTextMessage } from '../../logic/requests';
import { shardFor } from '../../logic/routing';
import { log } from '../../log';
import { MESSAGING_PORT, replyError } from '../../net/internal-api';
import { callClusterNode, unreachable } from '../cluster-client';
import type { Handlers } from '../http';
import { requireCurrentSchema, type WebState } from '../web-state';

export function messageRoutes(state: WebState): Handlers<'sendMessage'> {
  const { sql } = state;
  return {
    sendMessage: async (ctx) => {
      const msg = parseTextMessage(ctx.body);
      await requireCurrentSchema(state);
      const reg = await readRegistration(sql);
      if (!reg.registered) throw new ApiError(ErrorCode.ServiceNotReady, 'The account is not registered');
      const shard = shardFor(msg.to, reg.shards);
      const ownerKey = (await readShardMap(sql)).get(shard);
      const owner = ownerKey ? (await listNodes(sql)).find((n) => n.nodeKey === ownerKey) : undefined;
      // No coreapp owns the shard (fewer coreapps than shards): the 2019 Webapp's answer ([W]).
      if (!owner) throw new ApiError(ErrorCode.InternalError, `No coreapp node available for shard ${shard} (${reg.shards} shards); start more coreapps`);
      let reply;
      try {
        reply = await callClusterNode(sql, owner, MESSAGING_PORT, 'POST', '/messages', { to: msg.to, shard }, 3000);
      } catch (e) {
        throw unreachable(nodeAddress(owner), MESSAGING_PORT, e, `the owner of shard ${shard}`);
      }
      const err = replyError(reply);
      if (err) throw err;
      const id = (reply.body as { id: string }).id;
      // The message is sent: a webhook problem must not turn the answer into an error.
      await state.webhooks.messageAccepted(id, msg.to).catch((e: Error) => log.warn(`status callbacks of ${id} not queued: ${e.message}`));
      return { status: 201, body: { messages: [{ id }] } satisfies MessagesBody };
    },
  };
}
