import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decideLease, liveHolder } from '../../src/logic/election';

test('a free lease is acquired, an own lease renewed, a foreign live lease waited on', () => {
  assert.deepEqual(decideLease(null, 'master1:a', 1000, 4000), { kind: 'acquire', expiresMs: 5000 });
  const row = { holder: 'master1:a', expiresMs: 5000, epoch: 3 };
  assert.deepEqual(decideLease(row, 'master1:a', 2000, 4000), { kind: 'renew', expiresMs: 6000 });
  assert.deepEqual(decideLease(row, 'master2:b', 2000, 4000), { kind: 'wait', holder: 'master1:a' });
});

test('a lease is live up to and including its expiry, then anyone may take it over', () => {
  const row = { holder: 'master1:a', expiresMs: 5000, epoch: 3 };
  assert.equal(liveHolder(row, 5000), 'master1:a');
  assert.equal(liveHolder(row, 5001), null);
  assert.deepEqual(decideLease(row, 'master2:b', 5001, 4000), { kind: 'acquire', expiresMs: 9001 });
  assert.equal(liveHolder({ holder: null, expiresMs: 9e15, epoch: 1 }, 0), null, 'a released lease has no holder');
});

test('the expiry is judged by the database clock only: a master whose own clock is off by an hour changes nothing', () => {
  const row = { holder: 'master1:a', expiresMs: 5000, epoch: 3 };
  // decideLease is given database time; nothing in it reads a local clock.
  for (const dbNow of [4000, 5000]) assert.equal(decideLease(row, 'master2:b', dbNow, 4000).kind, 'wait');
  assert.equal(decideLease(row, 'master2:b', 5001, 4000).kind, 'acquire');
});
