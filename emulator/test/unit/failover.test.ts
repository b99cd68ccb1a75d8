import { test } from 'node:test';
import assert from 'node:assert/strict';
import { liveness } from '../../src/logic/failover';

const HB = 1000;
const UNHEALTHY = 4000;

test('a node that answered within two heartbeats is answering', () => {
  assert.equal(liveness({ lastOkMs: 10_000, watchedSinceMs: 0 }, 11_500, HB, UNHEALTHY), 'answering');
});

test('a node silent for less than unhealthy_interval is late, beyond it unhealthy', () => {
  assert.equal(liveness({ lastOkMs: 10_000, watchedSinceMs: 0 }, 13_000, HB, UNHEALTHY), 'late');
  assert.equal(liveness({ lastOkMs: 10_000, watchedSinceMs: 0 }, 14_001, HB, UNHEALTHY), 'unhealthy');
});

test('a node never heard from gets unhealthy_interval of grace from when watching began', () => {
  assert.equal(liveness({ watchedSinceMs: 10_000 }, 13_000, HB, UNHEALTHY), 'late');
  assert.equal(liveness({ watchedSinceMs: 10_000 }, 14_500, HB, UNHEALTHY), 'unhealthy');
});
