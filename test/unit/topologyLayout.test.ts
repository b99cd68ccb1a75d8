import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseHealth, parseShardOwnership } from '../../src/cluster/clusterHealth';
import type { ContainerNode } from '../../src/cluster/containerNode';
import type { HealthBody, SupportNode } from '../../src/contract';
import { BOX, topologyLayout } from '../../src/topology/topologyLayout';

const id = (i: number) => i.toString(16).padStart(12, '0');
const container = (service: string, i: number, state = 'running'): ContainerNode => ({ id: id(i).padEnd(64, 'f'), name: `biz_${service}_1`, service, state, status: '', image: 'x', ports: [] });

/** Meta's maximum: 2 masters and 33 coreapps for 32 shards, plus the webapp and the database. */
function maxCluster() {
  const coreapps = Array.from({ length: 33 }, (_, i) => `wacore${i + 1}`);
  const nodes = [container('db', 1), container('waweb', 2), container('master1', 3), container('master2', 4), ...coreapps.map((s, i) => container(s, 10 + i))];
  const health: HealthBody = { health: {
    [`master1:${id(3)}`]: { gateway_status: 'connected', role: 'primary_master' },
    [`master2:${id(4)}`]: { gateway_status: 'disconnected', role: 'secondary_master' },
    ...Object.fromEntries(coreapps.map((s, i) => [`${s}:${id(10 + i)}`, { gateway_status: i < 32 ? 'connected' : 'disconnected', role: 'coreapp' }])),
  } };
  const support: SupportNode[] = [
    { key: `master1:${id(3)}`, body: { shards: [[-1, -1]] } },
    ...coreapps.map((s, i) => ({ key: `${s}:${id(10 + i)}`, body: { shards: i < 32 ? [[i, i]] as Array<[number, number]> : [] } })),
  ];
  return { nodes, health: parseHealth(health), shards: parseShardOwnership(support) };
}

describe('the topology layout', () => {
  it('puts the webapp and database on top, then the masters, then the coreapps with their shards', () => {
    const { nodes, health, shards } = maxCluster();
    const layout = topologyLayout(nodes.slice(0, 7), health, shards, 720);
    const byTitle = new Map(layout.boxes.map((b) => [b.title, b]));
    assert.equal(byTitle.get('db')!.y, byTitle.get('waweb')!.y);
    assert.ok(byTitle.get('master1')!.y > byTitle.get('waweb')!.y);
    assert.ok(byTitle.get('wacore1')!.y > byTitle.get('master1')!.y);
    assert.equal(byTitle.get('master1')!.badge, 'control shard');
    assert.equal(byTitle.get('wacore2')!.badge, 'shard 1');
    assert.equal(byTitle.get('master1')!.tone, 'ok');
    assert.deepEqual(layout.links.map((l) => l.kind), ['db', 'api', 'shard', 'shard', 'shard']);
  });

  it('keeps 35 nodes readable: coreapps wrap into rows inside the width, no box overlaps another', () => {
    const { nodes, health, shards } = maxCluster();
    const layout = topologyLayout(nodes, health, shards, 720);
    assert.equal(layout.boxes.length, 37);
    assert.ok(layout.boxes.every((b) => b.x + b.w <= 720 - BOX.pad + 1), 'every box inside the width');
    for (const a of layout.boxes) for (const b of layout.boxes) {
      if (a !== b) assert.ok(a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y, `${a.title} overlaps ${b.title}`);
    }
    assert.equal(layout.boxes.find((b) => b.title === 'wacore33')!.badge, 'standby');
    assert.equal(layout.links.filter((l) => l.kind === 'shard').length, 32);
    const started = performance.now();
    for (let i = 0; i < 100; i++) topologyLayout(nodes, health, shards, 720);
    assert.ok((performance.now() - started) / 100 < 10, 'a layout of 35 nodes takes well under 10 ms');
  });

  it('marks stopped nodes and an impossible state as errors', () => {
    const { nodes, health } = maxCluster();
    const doubled = parseShardOwnership([{ key: `wacore1:${id(10)}`, body: { shards: [[0, 0]] } }, { key: `wacore2:${id(11)}`, body: { shards: [[0, 0]] } }]);
    const layout = topologyLayout([...nodes.slice(0, 6), container('wacore3', 12, 'exited')], health, doubled);
    const tone = (title: string) => layout.boxes.find((b) => b.title === title)!.tone;
    assert.equal(tone('wacore1'), 'error');
    assert.equal(tone('wacore2'), 'error');
    assert.equal(tone('wacore3'), 'error');
    assert.equal(layout.boxes.find((b) => b.title === 'wacore3')!.subtitle, 'exited');
  });
});
