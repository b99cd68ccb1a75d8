import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HealthBody } from '../../src/contract';
import { healthOfContainer, parseHealth, summarizeHealth } from '../../src/cluster/clusterHealth';
import type { ContainerNode } from '../../src/docker/containerNode';
import { rowsForSnapshot } from '../../src/views/nodeRows';

const notReady = { errors: [{ code: 1011, title: 'Service not ready', details: 'Wacore is not instantiated. Please check wacore log for details.' }] };
// The seed's bodies, step by step.
const afterUp: HealthBody = { health: {
  'master1:b28d835cd579': notReady,
  'master2:7fe542d305b4': { gateway_status: 'unregistered', role: 'primary_master' },
  'wacore1:35a5fabfc79d': notReady,
  'wacore2:05e1a6d70665': notReady,
} };
const multiconnect: HealthBody = { health: {
  'master1:b28d835cd579': { gateway_status: 'disconnected', role: 'secondary_master' },
  'master2:7fe542d305b4': { gateway_status: 'connected', role: 'primary_master' },
  'wacore1:35a5fabfc79d': { gateway_status: 'connected', role: 'coreapp' },
  'wacore2:05e1a6d70665': { gateway_status: 'connected', role: 'coreapp' },
  'wacore3:23b50199bec2': { gateway_status: 'disconnected', role: 'coreapp' },
}, meta: { version: 'v2.53.1', api_status: 'stable' } };

const container = (service: string, id: string): ContainerNode =>
  ({ id: id.padEnd(64, '0'), name: `biz_${service}_1`, service, state: 'running', status: 'Up 1 minute', image: 'x', ports: [] });

describe('cluster health', () => {
  it('splits node keys into COREAPP_HOSTNAME and container hostname', () => {
    const nodes = parseHealth(afterUp);
    assert.deepEqual(nodes.map((n) => [n.coreappHostname, n.containerHostname, n.role ?? null, n.gatewayStatus ?? null, n.error?.code ?? null]), [
      ['master1', 'b28d835cd579', null, null, 1011],
      ['master2', '7fe542d305b4', 'primary_master', 'unregistered', null],
      ['wacore1', '35a5fabfc79d', null, null, 1011],
      ['wacore2', '05e1a6d70665', null, null, 1011],
    ]);
  });

  it('reads a single-instance body too', () => {
    assert.deepEqual(parseHealth({ health: { gateway_status: 'connected' } }).map((n) => n.gatewayStatus), ['connected']);
  });

  it('joins health to containers by container id, even when a re-created container reuses the service', () => {
    const nodes = parseHealth(multiconnect);
    assert.equal(healthOfContainer(container('wacore3', '23b50199bec2'), nodes)?.key, 'wacore3:23b50199bec2');
    assert.equal(healthOfContainer(container('wacore3', 'ffffffffffff'), nodes), undefined, 'a re-created container does not inherit its predecessor\'s status');
    const named = parseHealth({ health: { 'wacore3:wa-core-0': { gateway_status: 'connected', role: 'coreapp' } } });
    assert.equal(healthOfContainer(container('wacore3', 'ffffffffffff'), named)?.key, 'wacore3:wa-core-0', 'non-id hostnames match by service');
    assert.equal(healthOfContainer(container('db', 'aaaaaaaaaaaa'), nodes), undefined);
  });

  it('rolls the seed states up the way an operator reads them', () => {
    const unregistered = summarizeHealth(parseHealth(afterUp));
    assert.equal(unregistered.level, 'warning');
    assert.equal(unregistered.text, 'primary master2 · unregistered');
    assert.ok(unregistered.problems.some((p) => /not registered/.test(p)));
    assert.ok(unregistered.problems.includes('wacore1: 1011 Service not ready'));

    const healthy = summarizeHealth(parseHealth(multiconnect));
    assert.deepEqual(healthy, { level: 'ok', text: 'primary master2 · 3 connected', problems: [] });
  });

  it('flags a cluster without a primary master, or with two, as an error', () => {
    const none = parseHealth({ health: { 'master1:aaaaaaaaaaaa': { gateway_status: 'disconnected', role: 'secondary_master' }, 'wacore1:bbbbbbbbbbbb': { gateway_status: 'connected', role: 'coreapp' } } });
    assert.equal(summarizeHealth(none).level, 'error');
    assert.match(summarizeHealth(none).problems.join(), /no primary master/);
    const two = parseHealth({ health: { 'master1:aaaaaaaaaaaa': { gateway_status: 'connected', role: 'primary_master' }, 'master2:cccccccccccc': { gateway_status: 'connected', role: 'primary_master' } } });
    assert.equal(summarizeHealth(two).level, 'error');
  });

  it('shows role and gateway_status in the tree rows, and 1011 for nodes not ready', () => {
    const rows = rowsForSnapshot({ kind: 'ready', project: 'biz', nodes: [container('master1', 'b28d835cd579'), container('master2', '7fe542d305b4')] }, parseHealth(afterUp));
    assert.deepEqual(rows.map((r) => [r.label, r.description]), [['master1', '1011 Service not ready'], ['master2', 'primary_master · unregistered']]);
  });
});
