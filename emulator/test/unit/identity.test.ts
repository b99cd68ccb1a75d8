import { test } from 'node:test';
import assert from 'node:assert/strict';
import { marginMs } from '../../src/logic/fencing';
import { decideClaim, refusalText, type ClaimantRow } from '../../src/logic/identity';

const row = (nodeKey: string, seenMs: number, over: Partial<ClaimantRow> = {}): ClaimantRow => ({
  nodeKey, container: nodeKey.split(':')[1], seenMs, expiresMs: seenMs + 3000, refusedBy: null, ...over,
});

test('the first container claims a free COREAPP_HOSTNAME; its own old row is no obstacle', () => {
  assert.deepEqual(decideClaim([], 'wacore3:aaa', 0), { kind: 'claim', stale: [] });
  assert.deepEqual(decideClaim([row('wacore3:aaa', 0)], 'wacore3:aaa', 1000), { kind: 'claim', stale: [] });
});

test('a second live container with the same COREAPP_HOSTNAME is refused, naming the holder', () => {
  const holder = row('wacore3:aaa', 10_000);
  const d = decideClaim([holder], 'wacore3:bbb', 11_000);
  assert.deepEqual(d, { kind: 'refused', holder });
  const text = refusalText('wacore3', 'wacore3:bbb', holder);
  assert.match(text, /COREAPP_HOSTNAME wacore3 is held by the live container aaa/);
  assert.match(text, /--scale/);
});

test('refused replicas do not hold the hostname: a third one is refused by the holder, not by them', () => {
  const holder = row('wacore3:aaa', 10_000);
  const d = decideClaim([holder, row('wacore3:bbb', 10_500, { refusedBy: 'wacore3:aaa' })], 'wacore3:ccc', 11_000);
  assert.equal(d.kind === 'refused' && d.holder.nodeKey, 'wacore3:aaa');
});

test('a holder whose claim lapsed is replaced, also while refused replicas wait', () => {
  const lapsedAt = 13_000 + marginMs(3000) + 1;
  const rows = [row('wacore3:aaa', 10_000), row('wacore3:bbb', lapsedAt - 500, { refusedBy: 'wacore3:aaa' })];
  assert.equal(decideClaim(rows, 'wacore3:bbb', lapsedAt - 1).kind, 'refused', 'within the margin the old holder may still serve');
  assert.deepEqual(decideClaim(rows, 'wacore3:bbb', lapsedAt), { kind: 'claim', stale: ['wacore3:aaa'] });
});
