import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planShards, shardsOwnedBy, type CoreappCandidate, type ShardMap } from '../../src/logic/shards';

const node = (n: number, over: Partial<CoreappCandidate> = {}): CoreappCandidate => ({
  key: `wacore${n}:c${n}`, hostname: `wacore${n}`, healthy: true, eligible: true, ...over,
});

test('HA: one coreapp gets shard 0 and the control shard, everyone else nothing', () => {
  const { map, changes } = planShards(1, new Map(), [node(2), node(1)]);
  assert.deepEqual([...map], [[0, 'wacore1:c1']]);
  assert.deepEqual(changes, [{ shard: 0, from: null, to: 'wacore1:c1', reason: 'assigned' }]);
  assert.deepEqual(shardsOwnedBy('wacore1:c1', 1, map, 'master1:m'), [[-1, -1], [0, 0]]);
  assert.deepEqual(shardsOwnedBy('wacore2:c2', 1, map, 'master1:m'), []);
  assert.deepEqual(shardsOwnedBy('master1:m', 1, map, 'master1:m'), []);
});

test('Multiconnect: primary master owns the control shard, each of S coreapps one shard, spares stand by', () => {
  const current: ShardMap = new Map([[0, 'wacore1:c1']]);
  const { map } = planShards(2, current, [node(1), node(2), node(3)]);
  assert.deepEqual([...map].sort(), [[0, 'wacore1:c1'], [1, 'wacore2:c2']]);
  assert.deepEqual(shardsOwnedBy('master2:m', 2, map, 'master2:m'), [[-1, -1]]);
  assert.deepEqual(shardsOwnedBy('wacore2:c2', 2, map, 'master2:m'), [[1, 1]]);
  assert.deepEqual(shardsOwnedBy('wacore3:c3', 2, map, 'master2:m'), []);
});

test('numeric hostname order: wacore2 before wacore10', () => {
  const { map } = planShards(1, new Map(), [node(10), node(2)]);
  assert.equal(map.get(0), 'wacore2:c2');
});

test('failover: an unhealthy owner loses its shard to a standby', () => {
  const current: ShardMap = new Map([[0, 'wacore1:c1'], [1, 'wacore2:c2']]);
  const { map, changes } = planShards(2, current, [node(1), node(2, { healthy: false, eligible: false }), node(3)]);
  assert.equal(map.get(1), 'wacore3:c3');
  assert.deepEqual(changes, [
    { shard: 1, from: 'wacore2:c2', to: null, reason: 'owner unhealthy' },
    { shard: 1, from: null, to: 'wacore3:c3', reason: 'assigned' },
  ]);
});

test('a late but not yet unhealthy owner keeps its shard; nobody else gets it', () => {
  const current: ShardMap = new Map([[0, 'wacore1:c1']]);
  const { map, changes } = planShards(1, current, [node(1, { eligible: false }), node(2)]);
  assert.equal(map.get(0), 'wacore1:c1');
  assert.equal(changes.length, 0);
});

test('a shard stays unowned when no standby is eligible, and an owner that vanished is dropped', () => {
  const current: ShardMap = new Map([[0, 'wacore1:old'], [1, 'wacore2:c2']]);
  const { map, changes } = planShards(2, current, [node(2)]);
  assert.deepEqual([...map], [[1, 'wacore2:c2']]);
  assert.deepEqual(changes, [{ shard: 0, from: 'wacore1:old', to: null, reason: 'owner gone' }]);
});

test('never two owners per shard, never two shards per coreapp', () => {
  const current: ShardMap = new Map([[0, 'wacore1:c1'], [1, 'wacore1:c1'], [3, 'wacore2:c2']]);
  const { map } = planShards(2, current, [node(1), node(2), node(3)]);
  const owners = [...map.values()];
  assert.equal(new Set(owners).size, owners.length);
  assert.deepEqual([...map.keys()].sort(), [0, 1]);
  assert.ok(!owners.includes('wacore1:c1') || map.get(0) === 'wacore1:c1');
});

test('a restarted coreapp that lost its shard stays a standby', () => {
  const current: ShardMap = new Map([[0, 'wacore3:c3']]);
  const { map, changes } = planShards(1, current, [node(1), node(3)]);
  assert.equal(map.get(0), 'wacore3:c3');
  assert.equal(changes.length, 0);
});

test('shrinking the shard count releases the shards above it', () => {
  const current: ShardMap = new Map([[0, 'wacore1:c1'], [1, 'wacore2:c2']]);
  const { map, changes } = planShards(1, current, [node(1), node(2)]);
  assert.deepEqual([...map], [[0, 'wacore1:c1']]);
  assert.equal(changes[0].reason, 'shard count changed');
});
