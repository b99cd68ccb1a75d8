import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answering, claimFresh, claimLapsed } from '../../src/logic/failover';
import { marginMs } from '../../src/logic/fencing';

const HB = 1000;

test('a coreapp that answered within two heartbeats is answering; never answered is not', () => {
  assert.ok(answering(10_000, 11_500, HB));
  assert.ok(answering(10_000, 12_000, HB));
  assert.ok(!answering(10_000, 12_001, HB));
  assert.ok(!answering(undefined, 0, HB));
});

test('a claim is fresh until it expires, and lapses only unhealthy_interval plus the margin after the last heartbeat', () => {
  const row = { seenMs: 10_000, expiresMs: 13_000 }; // unhealthy_interval 3 s
  assert.ok(claimFresh(row, 13_000));
  assert.ok(!claimFresh(row, 13_001));
  assert.ok(!claimLapsed(row, 13_000 + marginMs(3000)), 'expired but within the margin: the coreapp may still be serving');
  assert.ok(claimLapsed(row, 13_000 + marginMs(3000) + 1));
});

test('the margin grows with the span', () => {
  assert.ok(marginMs(30_000) > marginMs(3000));
  assert.ok(!claimLapsed({ seenMs: 0, expiresMs: 30_000 }, 30_000 + marginMs(3000) + 1));
});
