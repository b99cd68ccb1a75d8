import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseHealth, parseShardOwnership, summarizeHealth } from '../../src/cluster/clusterHealth';
import type { ContainerNode } from '../../src/docker/containerNode';
import type { HealthBody, SupportNode } from '../../src/contract';
import { compactShards } from '../../src/topology/shardMap';
import { rowsForSnapshot } from '../../src/views/nodeRows';

const hex = (n: number) => `${n}`.repeat(12).slice(0, 12);
const SERVICES = ['master1', 'master2', 'wacore1', 'wacore2', 'wacore3'];
const key = (i: number) => `${SERVICES[i]}:${hex(i + 1)}`;
const container = (i: number): ContainerNode => ({ id: hex(i + 1).padEnd(64, '0'), name: `biz_${SERVICES[i]}_1`, service: SERVICES[i], state: 'running', status: 'Up', image: 'x', ports: [] });
const containers = SERVICES.map((_, i) => container(i));

const health = (roles: string[], statuses: string[]): HealthBody => ({ health: Object.fromEntries(SERVICES.map((_, i) => [key(i), { role: roles[i], gateway_status: statuses[i] }])) } as HealthBody);
const support = (shards: Array<Array<[number, number]>>): SupportNode[] => SERVICES.map((_, i) => ({ key: key(i), body: { shards: shards[i] } }));

const multiconnect = health(['primary_master', 'secondary_master', 'coreapp', 'coreapp', 'coreapp'], ['connected', 'disconnected', 'connected', 'connected', 'disconnected']);
const twoShards = support([[[-1, -1]], [], [[0, 0]], [[1, 1]], []]);

describe('the shard map in the tree and the status bar', () => {
  it('shows each coreapp\'s shard, the standby, and the control shard on the primary master', () => {
    const rows = rowsForSnapshot({ kind: 'ready', project: 'biz', nodes: containers }, parseHealth(multiconnect), parseShardOwnership(twoShards));
    assert.deepEqual(rows.map((r) => [r.label, r.description]), [
      ['master1', 'primary_master · connected · control shard'],
      ['master2', 'secondary_master · disconnected'],
      ['wacore1', 'coreapp · connected · shard 0'],
      ['wacore2', 'coreapp · connected · shard 1'],
      ['wacore3', 'coreapp · disconnected · standby'],
    ]);
  });

  it('marks no standby before registration (nobody owns a shard yet)', () => {
    const unregistered = health(['primary_master', 'secondary_master', 'coreapp', 'coreapp', 'coreapp'], ['unregistered', 'disconnected', 'disconnected', 'disconnected', 'disconnected']);
    const rows = rowsForSnapshot({ kind: 'ready', project: 'biz', nodes: containers }, parseHealth(unregistered), parseShardOwnership(support([[], [], [], [], []])));
    assert.deepEqual(rows.map((r) => r.description), ['primary_master · unregistered', 'secondary_master · disconnected', 'coreapp · disconnected', 'coreapp · disconnected', 'coreapp · disconnected']);
  });

  it('two owners of one shard: both rows are errors, and the summary is an error, never healthy', () => {
    const threeConnected = health(['primary_master', 'secondary_master', 'coreapp', 'coreapp', 'coreapp'], ['connected', 'disconnected', 'connected', 'connected', 'connected']);
    const doubled = parseShardOwnership(support([[[-1, -1]], [], [[0, 0]], [[1, 1]], [[1, 1]]]));
    const nodes = parseHealth(threeConnected);
    assert.equal(summarizeHealth(nodes).level, 'ok', 'health alone cannot see it');
    const summary = summarizeHealth(nodes, doubled);
    assert.equal(summary.level, 'error');
    assert.deepEqual(summary.problems, ['shard 1 has 2 owners at once: wacore2, wacore3']);
    const rows = rowsForSnapshot({ kind: 'ready', project: 'biz', nodes: containers }, nodes, doubled);
    assert.deepEqual(rows.filter((r) => r.icon.id === 'error').map((r) => r.label), ['wacore2', 'wacore3']);
    assert.match(rows[4].description ?? '', /shard 1 · ⚠ shard 1 also claimed by another node/);
    assert.match(rows[4].tooltip ?? '', /Impossible state/);
  });

  it('two primary masters: both rows are errors and the status text says so', () => {
    const two = parseHealth(health(['primary_master', 'primary_master', 'coreapp', 'coreapp', 'coreapp'], ['connected', 'connected', 'connected', 'connected', 'disconnected']));
    const summary = summarizeHealth(two, parseShardOwnership(twoShards));
    assert.equal(summary.level, 'error');
    assert.equal(summary.text, '2 primaries! · 4 connected');
    assert.deepEqual(summary.problems, ['2 primary masters at once: master1, master2']);
    const rows = rowsForSnapshot({ kind: 'ready', project: 'biz', nodes: containers }, two);
    assert.deepEqual(rows.filter((r) => r.icon.id === 'error').map((r) => r.label), ['master1', 'master2']);
  });

  it('writes shard lists compactly', () => {
    assert.equal(compactShards([3, 0, 1, 2, 5]), '0–3, 5');
    assert.equal(compactShards([0, 1]), '0, 1');
    assert.equal(compactShards([7]), '7');
  });
});
