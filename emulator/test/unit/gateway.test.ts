import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gatewayStatus, nodeHealth } from '../../src/logic/gateway';
import { NOT_INSTANTIATED } from '../../src/logic/envelope';

const facts = { schemaReady: true, registered: true, ownedShards: [] as number[][] };

test('before registration only the primary master is instantiated', () => {
  assert.deepEqual(nodeHealth({ ...facts, registered: false, role: 'primary_master' }), { gateway_status: 'unregistered', role: 'primary_master' });
  assert.deepEqual(nodeHealth({ ...facts, registered: false, role: 'secondary_master' }), { errors: [NOT_INSTANTIATED] });
  assert.deepEqual(nodeHealth({ ...facts, registered: false, role: 'coreapp' }), { errors: [NOT_INSTANTIATED] });
});

test('shard owners are connected, the rest disconnected', () => {
  assert.equal(gatewayStatus({ ...facts, role: 'coreapp', ownedShards: [[-1, -1], [0, 0]] }), 'connected');
  assert.equal(gatewayStatus({ ...facts, role: 'primary_master', ownedShards: [[-1, -1]] }), 'connected');
  assert.equal(gatewayStatus({ ...facts, role: 'primary_master' }), 'disconnected');
  assert.deepEqual(nodeHealth({ ...facts, role: 'secondary_master' }), { gateway_status: 'disconnected', role: 'secondary_master' });
});

test('a node that needs a newer schema is uninitialized whatever else holds', () => {
  assert.deepEqual(nodeHealth({ ...facts, schemaReady: false, registered: false, role: 'coreapp' }), { gateway_status: 'uninitialized', role: 'coreapp' });
  assert.equal(gatewayStatus({ ...facts, schemaReady: false, role: 'coreapp', ownedShards: [[0, 0]] }), 'uninitialized');
});
