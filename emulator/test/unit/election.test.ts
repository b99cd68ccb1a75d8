import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decideLease, leaseTtlMs, liveHolder, roleFromLease } from '../../src/logic/election';

test('a free lease is acquired, an own lease renewed, a foreign live lease waited on', () => {
  assert.deepEqual(decideLease(null, 'master1:a', 1000, 3000), { kind: 'acquire', expiresMs: 4000 });
  const row = { holder: 'master1:a', expiresMs: 5000, epoch: 3 };
  assert.deepEqual(decideLease(row, 'master1:a', 2000, 3000), { kind: 'renew', expiresMs: 5000 });
  assert.deepEqual(decideLease(row, 'master2:b', 2000, 3000), { kind: 'wait', holder: 'master1:a' });
});

test('an expired lease can be taken over by another master', () => {
  const row = { holder: 'master1:a', expiresMs: 5000, epoch: 3 };
  assert.equal(liveHolder(row, 5000), null);
  assert.deepEqual(decideLease(row, 'master2:b', 5001, 3000), { kind: 'acquire', expiresMs: 8001 });
});

test('role follows the live lease holder', () => {
  const row = { holder: 'master1:a', expiresMs: 5000, epoch: 1 };
  assert.equal(roleFromLease(row, 'master1:a', 4000), 'primary_master');
  assert.equal(roleFromLease(row, 'master2:b', 4000), 'secondary_master');
  assert.equal(roleFromLease(row, 'master1:a', 6000), 'secondary_master');
});

test('lease lasts three heartbeats, at least three seconds', () => {
  assert.equal(leaseTtlMs(5), 15000);
  assert.equal(leaseTtlMs(0.5), 3000);
});
