import { test } from 'node:test';
import assert from 'node:assert/strict';
import { schemaFit, schemaVersionFor, tooOldText } from '../../src/logic/version';

test('schema version is the minor version', () => {
  assert.equal(schemaVersionFor('2.51.2'), 51);
  assert.equal(schemaVersionFor('v2.53.1'), 53);
  assert.throws(() => schemaVersionFor('latest'), /not a WhatsApp Business API version/);
});

test('a newer version on an older schema waits for the upgrade (uninitialized)', () => {
  assert.equal(schemaFit(51, 53, 51), 'behind');
  assert.equal(schemaFit(null, 53, null), 'behind');
});

test('after the upgrade the newer version runs; an older node that was already running keeps serving', () => {
  assert.equal(schemaFit(53, 53, 51), 'current');
  assert.equal(schemaFit(53, 51, 51), 'newer', 'the DB upgrade job ran under a running 2.51 node: no downtime until it is restarted');
});

test('an older version started on a newer schema (a downgrade) is refused and says what to run', () => {
  assert.equal(schemaFit(53, 51, 53), 'too-old');
  assert.match(tooOldText('2.51.2', 51, 53), /newer than version 2\.51\.2 supports \(51\).*changes nothing.*\(2\.53\.x\) or newer/);
});
