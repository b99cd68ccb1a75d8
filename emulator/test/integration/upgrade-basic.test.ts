// The developer guide's basic upgrade (issue #7.1): set WA_API_VERSION to the new version and
// `up -d`. The new nodes find the older schema, the primary master (one master, under the lease)
// upgrades it, every node leaves `uninitialized`, and the registration, shards, settings and users
// are kept, on MySQL and on PostgreSQL. On PostgreSQL the older version is then started again on
// the upgraded schema: every node refuses, nothing changes, and the new version brings it all back.
//   node --import tsx --test --test-concurrency=1 emulator/test/integration/upgrade-basic.test.ts
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ComposeCluster, waitForPublishedPortsFree } from '../support/compose-cluster';
import { healthSummary } from '../support/health';
import { registerCluster, type Account } from '../support/registered-cluster';
import { COREAPPS, createOperator, expectDowngradeRefused, expectKeptOn } from '../support/upgrade-steps';
import { WabaClient, waitFor } from '../support/waba-client';

const A = '2.51.2';
const B = '2.53.1';

// Waiting for another test's cluster to go away is not part of any test's time limit.
before(() => waitForPublishedPortsFree());

for (const db of ['mysql', 'postgres'] as const) {
  const account: Account = { cc: '44', phone: '7700900456', vname: 'Basic Upgrade Ltd', password: 'Basic-Upgrade-2026!', shards: 2, heartbeatS: 1, unhealthyS: 4 };
  test(`basic upgrade ${A} -> ${B} on ${db} (guide: new WA_API_VERSION + up -d)${db === 'postgres' ? ', then a downgrade refused' : ''}`, { timeout: 15 * 60_000 }, async () => {
    const cluster = await ComposeCluster.create(db, A, `basic${db}`);
    const api = new WabaClient();
    const started = Date.now();
    try {
      await cluster.up();
      await registerCluster(cluster, api, A, account, COREAPPS);
      await createOperator(api);

      const t0 = Date.now();
      await cluster.up([], { WA_API_VERSION: B });
      const seen = new Set<string>();
      await waitFor(`every node connected on ${B}`, 120_000, async () => {
        const s = await healthSummary(api, B).catch(() => undefined);
        if (!s) return undefined;
        Object.values(s).forEach((v) => seen.add(v));
        return Object.values(s).filter((v) => v.endsWith('/connected')).length === 3 ? s : undefined;
      }, 200);
      console.log(`  ${db}: up -d on ${B} -> Multiconnect again in ${((Date.now() - t0) / 1000).toFixed(1)} s (states seen: ${[...seen].sort().join(', ')})`);
      await expectKeptOn(cluster, api, B, account);

      // One master, the primary, upgraded the schema; the other waited.
      const logs = { master1: await cluster.logs('master1'), master2: await cluster.logs('master2') };
      const upgraders = Object.entries(logs).filter(([, log]) => /upgrading the database schema 51 -> 53 as primary master/.test(log)).map(([m]) => m);
      assert.equal(upgraders.length, 1, `exactly one master upgrades: ${upgraders.join(', ')}`);
      assert.match(logs[upgraders[0] as 'master1'], /database schema upgraded: 51 -> 53/);
      for (const service of COREAPPS) assert.doesNotMatch(await cluster.logs(service), /upgrading the database schema/);

      if (db === 'postgres') await expectDowngradeRefused(cluster, api, A, B, account);
    } catch (error) {
      console.log(`docker-compose ps -a:\n${await cluster.compose(['ps', '-a']).catch((e: Error) => e.message)}`);
      await cluster.printLogs(['waweb', 'db', 'master1', 'master2', ...COREAPPS], 40);
      throw error;
    } finally {
      await cluster.destroy();
      console.log(`  ${cluster.folder.db}: ${((Date.now() - started) / 1000).toFixed(0)} s from up to down -v`);
    }
  });
}
