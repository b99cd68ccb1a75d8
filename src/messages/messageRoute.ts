// Which shard and coreapp a sent message went to, from what the cluster says about itself. Meta
// documents the rule (shard = hash(recipient) % shards, each shard owned by one coreapp, the owners in
// `ROUTES.support`) but not the hash, so the extension does not compute it: it reads which coreapp's
// message counter in `ROUTES.statsApp` rose and which coreapp's log mentions the message id, and names that
// coreapp's shard from `ROUTES.support`. HA (one shard) needs neither: shard 0's owner sent it.
// Pure: no vscode, no Node APIs.
import { dataShardsOf, ErrorCode, metricTotal, ROUTES, unownedShards, type NodeMetrics, type SupportNode } from '../contract';

/** A container whose log mentions the message id. */
export interface LogMention { containerId: string; service: string }

export interface RouteInputs {
  /** Data shards of the number (`ROUTES.shards`); undefined when it could not be read. */
  shards?: number;
  /** `ROUTES.support` after the message was sent. */
  support: readonly SupportNode[];
  statsBefore?: readonly NodeMetrics[];
  statsAfter?: readonly NodeMetrics[];
  logMentions: readonly LogMention[];
}

export interface MessageRoute {
  shard?: number;
  /** COREAPP_HOSTNAME of the coreapp that sent it. */
  coreapp?: string;
  /** Its `ROUTES.support` key ("wacore2:0123456789ab"). */
  nodeKey?: string;
  /** What says so, one line per source. */
  evidence: string[];
  /** What could not be known, and why. */
  note?: string;
}

const hostnameOf = (key: string): string => (key.includes(':') ? key.slice(0, key.lastIndexOf(':')) : key);
const containerOf = (key: string): string => (key.includes(':') ? key.slice(key.lastIndexOf(':') + 1) : '');
const sentBy = (stats: readonly NodeMetrics[] | undefined, key: string): number | undefined => {
  const node = stats?.find((n) => n.key === key);
  return node && metricTotal(node.families, 'endpoint_requests', { endpoint: 'messages' });
};

/** Support keys of nodes whose message counter rose between the two reads. */
function counterRose(inputs: RouteInputs): string[] {
  if (!inputs.statsBefore || !inputs.statsAfter) return [];
  return inputs.statsAfter.map((n) => n.key).filter((key) => (sentBy(inputs.statsAfter, key) ?? 0) > (sentBy(inputs.statsBefore, key) ?? 0));
}

/** Support keys of the nodes whose container's log mentions the id. */
function loggedBy(inputs: RouteInputs): string[] {
  return inputs.support.map((n) => n.key).filter((key) => inputs.logMentions.some((m) => {
    const container = containerOf(key);
    return container.length >= 12 ? m.containerId.startsWith(container) : m.service === hostnameOf(key);
  }));
}

function describeList(keys: readonly string[]): string {
  return keys.map(hostnameOf).join(', ');
}

export function messageRoute(inputs: RouteInputs): MessageRoute {
  const evidence: string[] = [];
  const owners = (shard: number) => inputs.support.filter((n) => dataShardsOf(n.body).includes(shard)).map((n) => n.key);
  if (inputs.shards === 1) {
    const [owner, ...more] = owners(0);
    if (owner && more.length === 0) {
      return { shard: 0, coreapp: hostnameOf(owner), nodeKey: owner, evidence: [`one shard (HA): ${ROUTES.support.path} says ${hostnameOf(owner)} owns shard 0`] };
    }
  }
  const rose = counterRose(inputs);
  const logged = loggedBy(inputs);
  if (rose.length) evidence.push(`${ROUTES.statsApp.path}: the message counter of ${describeList(rose)} rose`);
  if (logged.length) evidence.push(`the log of ${describeList(logged)} mentions the message id`);
  const agreed = rose.length && logged.length ? rose.filter((k) => logged.includes(k)) : rose.length ? rose : logged;
  if (agreed.length !== 1) {
    const why = agreed.length > 1
      ? `${describeList(agreed)} all sent messages meanwhile (other traffic): which one sent this one is not known.`
      : rose.length && logged.length
        ? `the stats (${describeList(rose)}) and the logs (${describeList(logged)}) disagree.`
        : `no coreapp's message counter in ${ROUTES.statsApp.path} rose and no coreapp log mentions the id.`;
    return { evidence, note: `Which coreapp sent it is not known: ${why} Meta routes by hash(recipient) % shards but does not document the hash.` };
  }
  const key = agreed[0];
  const node = inputs.support.find((n) => n.key === key);
  const shards = node ? dataShardsOf(node.body) : [];
  if (shards.length === 1) {
    evidence.push(`${ROUTES.support.path}: ${hostnameOf(key)} owns shard ${shards[0]}`);
    return { shard: shards[0], coreapp: hostnameOf(key), nodeKey: key, evidence };
  }
  return { coreapp: hostnameOf(key), nodeKey: key, evidence, note: `${ROUTES.support.path} shows ${hostnameOf(key)} owning ${shards.length ? `shards ${shards.join(', ')}` : 'no shard'} now (a failover since?): its shard at sending time is not known.` };
}

/** The number a 1014 names ("No coreapp node available for shard 1"), as the 2019 webapp words it. */
function shardNamedIn(details: string | undefined): number | undefined {
  const m = /\bshard (\d+)\b/i.exec(details ?? '');
  return m ? Number(m[1]) : undefined;
}

/**
 * Why a message was refused, in the words of the cluster's state: a shard without an owner is
 * named ("shard 1 has no coreapp: failover in progress or too few coreapps").
 */
export function explainSendFailure(error: { code?: number; details?: string; message: string }, inputs: Pick<RouteInputs, 'shards' | 'support'>): string {
  const named = shardNamedIn(error.details);
  const unowned = inputs.shards ? unownedShards(inputs.shards, inputs.support) : [];
  const owners = inputs.support.filter((n) => dataShardsOf(n.body).length > 0).map((n) => hostnameOf(n.key));
  const situation = inputs.shards ? ` (${inputs.shards} shard${inputs.shards === 1 ? '' : 's'}; coreapps that own one now: ${owners.join(', ') || 'none'})` : '';
  if (error.code === ErrorCode.InternalError || error.code === ErrorCode.NotPrimaryCoreapp || named !== undefined) {
    const shards = named !== undefined ? [named] : unowned;
    if (shards.length) {
      const still = named === undefined || unowned.includes(named);
      const which = shards.length === 1 ? `shard ${shards[0]} has` : `shards ${shards.join(', ')} have`;
      return still
        ? `${which} no coreapp: failover in progress or too few coreapps${situation}. The webapp answered: ${error.message}`
        : `${which} no coreapp when the message was sent (failover in progress or too few coreapps); ${ROUTES.support.path} now shows an owner: retry. The webapp answered: ${error.message}`;
    }
    if (error.code === ErrorCode.NotPrimaryCoreapp) return `The coreapp owning the recipient's shard is changing (failover)${situation}: retry in a few seconds. The webapp answered: ${error.message}`;
  }
  return error.message;
}
