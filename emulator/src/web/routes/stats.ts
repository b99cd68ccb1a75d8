// GET /v1/stats/app and /v1/stats/db (JSON, or Prometheus text with ?format=prometheus), keyed by
// node as in HA/Multiconnect. The emulator counts from the database and the Webapp's webhook
// sender, under Meta's metric names: per master/coreapp the messages it sent; the callback figures
// under the Webapp's own key (in the emulator the Webapp sends the callbacks, in Meta's cluster the
// coreapps do); database figures only under the primary master, every other node `{}`.
import type { MetricFamilies, MetricFamily } from '../../../../src/contract';
import { listNodes, readLease } from '../../db/cluster-store';
import { liveHolder } from '../../logic/election';
import { ApiError, ErrorCode } from '../../logic/envelope';
import { wantsPrometheus, type Handlers, type Reply, type RequestContext } from '../http';
import { PROMETHEUS_CONTENT_TYPE, prometheusText } from '../prometheus';
import type { WebState } from '../web-state';

const gauge = (help: string, value: number, labels: Record<string, string> = {}): MetricFamily => ({ type: 'gauge', help, data: [{ labels, value }] });
const counter = (help: string, data: MetricFamily['data']): MetricFamily => ({ type: 'counter', help, data });

function reply(ctx: RequestContext, kind: 'app' | 'db', byNode: Record<string, MetricFamilies>): Reply {
  if (!wantsPrometheus(ctx)) return { status: 200, body: { stats: { [kind]: byNode } } };
  const sets = Object.entries(byNode).map(([node, families]) => ({ labels: { node }, families }));
  return { status: 200, text: { contentType: PROMETHEUS_CONTENT_TYPE, content: prometheusText(sets) } };
}

async function count(state: WebState, sql: string): Promise<number> {
  return Number((await state.sql.query<{ n: number | string }>(sql))[0]?.n ?? 0);
}

async function appStats(state: WebState): Promise<Record<string, MetricFamilies>> {
  const sent = await state.sql.query<{ node_key: string; n: number | string }>('SELECT node_key, COUNT(*) AS n FROM messages GROUP BY node_key');
  const byNode: Record<string, MetricFamilies> = {};
  for (const node of await listNodes(state.sql)) {
    const n = Number(sent.find((r) => r.node_key === node.nodeKey)?.n ?? 0);
    byNode[node.nodeKey] = { endpoint_requests: counter('Number of requests handled by the node, by endpoint', [{ labels: { endpoint: 'messages' }, value: n }]) };
  }
  const f = state.webhooks.figures;
  byNode[state.cfg.nodeKey] = {
    callback_queue_size: gauge('Number of callbacks waiting to be delivered to the webhook', f.queued),
    callback_requests: counter('Number of callback requests to the webhook, by result', [
      { labels: { result: 'success' }, value: f.delivered }, { labels: { result: 'failure' }, value: f.failed },
    ]),
    callback_requests_duration_ms_sum: counter('Total duration of callback requests in ms', [{ labels: {}, value: f.durationMsSum }]),
    callback_requests_duration_ms_count: counter('Number of callback requests whose duration is summed', [{ labels: {}, value: f.delivered + f.failed }]),
    in_message_from_server: counter('Number of inbound messages received (emulator: triggered through /emulator/inbound-message)', [{ labels: {}, value: f.inbound }]),
  };
  return byNode;
}

async function dbStats(state: WebState): Promise<Record<string, MetricFamilies>> {
  const primary = liveHolder(await readLease(state.sql), await state.sql.nowMs());
  if (!primary) throw new ApiError(ErrorCode.NotPrimaryMaster, 'No primary master holds the master lease; database stats come from the primary master');
  const byNode: Record<string, MetricFamilies> = {};
  for (const node of await listNodes(state.sql)) byNode[node.nodeKey] = {};
  byNode[primary] = {
    db_messages: gauge('Number of messages in the database', await count(state, 'SELECT COUNT(*) AS n FROM messages')),
    db_contacts: gauge('Number of contacts in the database, by type', await count(state, 'SELECT COUNT(DISTINCT recipient) AS n FROM messages'), { type: 'whatsapp_user' }),
    db_message_receipts: gauge('Number of message receipts (delivered, read) sent as callbacks', state.webhooks.figures.receipts),
    db_pending_callbacks: gauge('Number of callbacks not yet acknowledged by the webhook', state.webhooks.figures.queued),
    db_pending_messages: gauge('Number of messages waiting to be sent', 0),
  };
  return byNode;
}

export function statsRoutes(state: WebState): Handlers<'statsApp' | 'statsDb'> {
  return {
    statsApp: async (ctx) => {
      return reply(ctx, 'app', await appStats(state));
    },
    statsDb: async (ctx) => {
      return reply(ctx, 'db', await dbStats(state));
    },
  };
}
