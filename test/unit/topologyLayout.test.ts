import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseShardOwnership } from '../../src/cluster/clusterHealth';
import { BOX, topologyLayout } from '../../src/topology/topologyLayout';
import { containerNode, hexId, maxCluster } from '../support/maxCluster';

const id = hexId;
const container = containerNode;

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
