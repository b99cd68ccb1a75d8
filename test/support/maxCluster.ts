// Meta's maximum as plain data, for unit tests: the webapp, the database, 2 masters
// and 33 coreapps, 32 of them owning a shard each and one standing by.
import { parseHealth, parseShardOwnership, type NodeHealth, type NodeShards } from '../../src/cluster/clusterHealth';
import type { ContainerNode } from '../../src/docker/containerNode';
import type { HealthBody, SupportNode } from '../../src/contract';

export const hexId = (i: number): string => i.toString(16).padStart(12, '0');

export function containerNode(service: string, i: number, state = 'running'): ContainerNode {
  return { id: hexId(i).padEnd(64, 'f'), name: `biz_${service}_1`, service, state, status: state === 'running' ? 'Up 5 minutes' : 'Exited (137)', image: 'x', ports: [] };
}

/** `down`: coreapps (by number, from 1) that answer 1014, as after a kill. */
export function maxCluster(down: readonly number[] = []): { nodes: ContainerNode[]; health: NodeHealth[]; shards: NodeShards[] } {
  const coreapps = Array.from({ length: 33 }, (_, i) => `wacore${i + 1}`);
  const nodes = [containerNode('db', 1), containerNode('waweb', 2), containerNode('master1', 3), containerNode('master2', 4), ...coreapps.map((s, i) => containerNode(s, 10 + i))];
  const dead = { errors: [{ code: 1014, title: 'Internal error' }] };
  const health: HealthBody = { health: {
    [`master1:${hexId(3)}`]: { gateway_status: 'connected', role: 'primary_master' },
    [`master2:${hexId(4)}`]: { gateway_status: 'disconnected', role: 'secondary_master' },
    ...Object.fromEntries(coreapps.map((s, i) => [`${s}:${hexId(10 + i)}`, down.includes(i + 1) ? dead : { gateway_status: i < 32 ? 'connected' : 'disconnected', role: 'coreapp' }])),
  } };
  const support: SupportNode[] = [
    { key: `master1:${hexId(3)}`, body: { shards: [[-1, -1]] } },
    ...coreapps.map((s, i) => ({ key: `${s}:${hexId(10 + i)}`, body: { shards: i < 32 && !down.includes(i + 1) ? [[i, i]] as Array<[number, number]> : [] } })),
  ];
  return { nodes, health: parseHealth(health), shards: parseShardOwnership(support) };
}
