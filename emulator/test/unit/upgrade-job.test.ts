import { test } from 'node:test';
import assert from 'node:assert/strict';
import { refusalFor } from '../../src/node/upgrade-job';

test('the DB upgrade job runs on MySQL and refuses on PostgreSQL, naming the basic path', () => {
  assert.equal(refusalFor('MYSQL'), null);
  assert.match(refusalFor('PGSQL') as string, /documented for MySQL only.*set WA_API_VERSION.*up -d/);
});
