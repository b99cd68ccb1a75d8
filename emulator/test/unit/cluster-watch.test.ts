// The split-brain checks the partition tests rely on must see what they are there to see.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { healthViolation, supportViolation } from '../support/cluster-watch';

test('two primary masters, or more connected coreapps than shards, in one health body', () => {
  const ok = { 'master1:a': { role: 'primary_master', gateway_status: 'connected' }, 'master2:b': { role: 'secondary_master', gateway_status: 'disconnected' }, 'wacore1:c': { errors: [{ code: 1011 }] } };
  assert.equal(healthViolation(ok, 2), null);
  assert.match(healthViolation({ ...ok, 'master2:b': { role: 'primary_master', gateway_status: 'connected' } }, 2) as string, /two primary masters: master1:a, master2:b/);
  const coreapps = Object.fromEntries(['w1', 'w2', 'w3'].map((k) => [k, { role: 'coreapp', gateway_status: 'connected' }]));
  assert.match(healthViolation(coreapps, 2) as string, /3 connected coreapps for 2 shards/);
});

test('a shard, or the control shard, owned twice in one support body', () => {
  const ok = { 'master1:a': { shards: [[-1, -1]] }, 'wacore1:c': { shards: [[0, 0]] }, 'wacore2:d': { shards: [[1, 1]] }, 'wacore3:e': { shards: [] }, 'x:y': { errors: [] } };
  assert.equal(supportViolation(ok), null);
  assert.match(supportViolation({ ...ok, 'wacore3:e': { shards: [[1, 1]] } }) as string, /shard 1 owned by wacore2:d and wacore3:e/);
  assert.match(supportViolation({ ...ok, 'wacore1:c': { shards: [[-1, -1], [0, 0]] } }) as string, /shard -1 owned by master1:a and wacore1:c/);
});
