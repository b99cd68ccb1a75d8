import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fnv1a32, shardFor } from '../../src/logic/routing';

test('FNV-1a matches the reference vectors', () => {
  assert.equal(fnv1a32(''), 0x811c9dc5);
  assert.equal(fnv1a32('a'), 0xe40c292c);
  assert.equal(fnv1a32('foobar'), 0xbf9cf968);
});

test('formatting of the recipient does not change its shard', () => {
  for (const s of [2, 4, 32]) assert.equal(shardFor('+1 631 555 1001', s), shardFor('16315551001', s));
});

test('shard ids stay in range and spread over all shards', () => {
  const seen = new Set<number>();
  for (let i = 0; i < 200; i++) {
    const shard = shardFor(`1631555${String(i).padStart(4, '0')}`, 4);
    assert.ok(shard >= 0 && shard < 4);
    seen.add(shard);
  }
  assert.equal(seen.size, 4);
  assert.equal(shardFor('16315551001', 1), 0);
});
