// The guide's no-downtime upgrade for MySQL (issue #7.1): while the cluster runs A, the dbupgrade
// job of B migrates the schema and exits 0, and A keeps serving messages throughout; then the
// containers are restarted on B with everything kept. Afterwards A started again on the B schema is
// refused by every node and changes nothing. (Meta documents the job for MySQL only: no Postgres run.)
//   node --import tsx --test --test-concurrency=1 emulator/test/integration/upgrade.test.ts
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ComposeCluster, exec, waitForPublishedPortsFree } from '../support/compose-cluster';
import { MessageStream, recipientsPerShard } from '../support/messages';
import { registerCluster, type Account } from '../support/registered-cluster';
import { COREAPPS, createOperator, expectDowngradeRefused, expectKeptOn } from '../support/upgrade-steps';
import { WabaClient } from '../support/waba-client';

const A = '2.51.2';
const B = '2.53.1';
const ACCOUNT: Account = { cc: '44', phone: '7700900123', vname: 'Upgrade Ltd', password: 'Upgrade-Pass-2026!', shards: 2, heartbeatS: 1, unhealthyS: 4 };

// Waiting for another test's cluster to go away is not part of any test's time limit.
before(() => waitForPublishedPortsFree());

test(`DB upgrade job ${A} -> ${B} on MySQL without downtime, then a downgrade refused`, { timeout: 15 * 60_000 }, async () => {
  const cluster = await ComposeCluster.create('mysql', A, 'upgrade');
  const api = new WabaClient();
  const started = Date.now();
  try {
    await cluster.up();
    await registerCluster(cluster, api, A, ACCOUNT, COREAPPS);
    await createOperator(api);

    // Guide steps 1-3: the job of B runs while A serves; it exits 0.
    const messages = new MessageStream(api, recipientsPerShard(ACCOUNT.shards));
    messages.start();
    const upgradeFiles = ['-f', 'dbupgrade-compose.yml', '-f', 'docker-compose.dbupgrade.emulator.yml'];
    let jobLog = '';
    try {
      await cluster.compose([...upgradeFiles, 'up', '-d'], { WA_API_VERSION: B });
      const jobId = (await cluster.compose([...upgradeFiles, 'ps', '-q', 'dbupgrade'], { WA_API_VERSION: B })).trim();
      const exitCode = (await exec('docker', ['wait', jobId])).trim();
      jobLog = await exec('docker', ['logs', jobId]);
      assert.equal(exitCode, '0', jobLog);
      await new Promise((r) => setTimeout(r, 2000));
    } finally {
      await messages.stop();
    }
    assert.match(jobLog, /schema 51 -> 53/);
    const failed = messages.results.filter((r) => r.status !== 201);
    assert.deepEqual(failed, [], 'no downtime: every message during the job is accepted by the running A cluster');
    assert.ok(messages.results.length >= 8, `${messages.results.length} messages sent during the job`);
    console.log(`  ${messages.results.length} messages accepted by ${A} while the job upgraded the schema`);

    // Guide step 4: restart the containers on B. Everything from A is still there.
    await cluster.up([], { WA_API_VERSION: B });
    await expectKeptOn(cluster, api, B, ACCOUNT);
    for (const service of ['master1', 'master2']) assert.doesNotMatch(await cluster.logs(service), /upgrading the database schema/, 'the job did it');

    await expectDowngradeRefused(cluster, api, A, B, ACCOUNT);
  } catch (error) {
    // What the webapp said helps more than a bare ECONNREFUSED.
    const ps = await cluster.compose(['ps']).catch((e: Error) => e.message);
    const web = await cluster.logs('waweb').catch((e: Error) => e.message);
    console.log(`docker-compose ps:\n${ps}\nwaweb log (last lines):\n${web.split('\n').slice(-30).join('\n')}`);
    throw error;
  } finally {
    await cluster.destroy();
    console.log(`  ${cluster.folder.db}: ${((Date.now() - started) / 1000).toFixed(0)} s from up to down -v`);
  }
});
