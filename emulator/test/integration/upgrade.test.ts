// Upgrading a registered cluster from A to B the way the developer guide says: B nodes on
// an A database are "uninitialized"; the dbupgrade job migrates and exits 0; then B works
// with the registration, shards, settings and users of A.
//   node --import tsx --test --test-concurrency=1 emulator/test/integration/upgrade.test.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { certForVname } from '../../src/logic/vname';
import { ComposeCluster, exec, waitForPublishedPortsFree } from '../support/compose-cluster';
import { expectSummary, healthSummary as health, primaryMasterOf } from '../support/health';
import { WabaClient, waitFor } from '../support/waba-client';

const A = '2.51.2';
const B = '2.53.1';
const PASSWORD = 'Upgrade-Pass-2026!';
const CC = '44';
const PHONE = '7700900123';

function multiconnect(s: Record<string, string>): Record<string, string> {
  const p = primaryMasterOf(s);
  const connected = Object.keys(s).filter((k) => k.startsWith('wacore') && s[k] === 'coreapp/connected');
  if (connected.length !== 2) throw new Error(`two connected coreapps expected: ${JSON.stringify(s)}`);
  const standby = ['wacore1', 'wacore2', 'wacore3'].find((c) => !connected.includes(c)) as string;
  return expectSummary(s, {
    [p]: 'primary_master/connected', [p === 'master1' ? 'master2' : 'master1']: 'secondary_master/disconnected',
    [connected[0]]: 'coreapp/connected', [connected[1]]: 'coreapp/connected', [standby]: 'coreapp/disconnected',
  });
}

test(`DB upgrade ${A} -> ${B} keeps registration, shards, settings and users`, { timeout: 10 * 60_000 }, async () => {
  await waitForPublishedPortsFree();
  const cluster = await ComposeCluster.create('mysql', A, 'upgrade');
  const api = new WabaClient();
  try {
    await cluster.up();
    await api.pinCertificate();
    await waitFor('login', 60_000, async () => ((await api.login('admin', 'secret', PASSWORD)).status === 200 ? true : undefined));
    const primary = await waitFor('primary master', 60_000, async () => primaryMasterOf(await health(api, A)));
    const cert = certForVname('Upgrade Ltd');
    assert.equal((await api.call('POST', '/v1/account', { body: { cc: CC, phone_number: PHONE, method: 'voice', cert } })).status, 202);
    const code = await waitFor('registration code', 10_000, async () => /Registration code for \+447700900123: (\d{6})/.exec(await cluster.logs(primary))?.[1]);
    assert.equal((await api.call('POST', '/v1/account/verify', { body: { code } })).status, 201);
    assert.equal((await api.call('PATCH', '/v1/settings/application', { body: { heartbeat_interval: 1, unhealthy_interval: 4 } })).status, 200);
    assert.equal((await api.call('POST', '/v1/account/shards', { body: { cc: CC, phone_number: PHONE, shards: 2, cert } })).status, 201);
    await waitFor(`Multiconnect on ${A}`, 30_000, async () => multiconnect(await health(api, A)));

    // B images against the A database: every node is uninitialized.
    await cluster.up([], { WA_API_VERSION: B });
    await waitFor('login on B', 60_000, async () => ((await api.login('admin', PASSWORD)).status === 200 ? true : undefined));
    await waitFor(`${B} nodes on the ${A} schema`, 60_000, async () => expectSummary(await health(api, B), {
      master1: 'secondary_master/uninitialized', master2: 'secondary_master/uninitialized',
      wacore1: 'coreapp/uninitialized', wacore2: 'coreapp/uninitialized', wacore3: 'coreapp/uninitialized',
    }));
    const refused = await api.call('POST', '/v1/messages', { body: { to: '447700900999', type: 'text', text: { body: 'x' } } });
    assert.equal(refused.status, 500);
    assert.equal(refused.body.errors[0].code, 1011);

    // The dbupgrade job of B exits 0.
    const upgradeFiles = ['-f', 'dbupgrade-compose.yml', '-f', 'docker-compose.dbupgrade.emulator.yml'];
    await cluster.compose([...upgradeFiles, 'up', '-d'], { WA_API_VERSION: B });
    const jobId = (await cluster.compose([...upgradeFiles, 'ps', '-q', 'dbupgrade'], { WA_API_VERSION: B })).trim();
    const exitCode = (await exec('docker', ['wait', jobId])).trim();
    const jobLog = await exec('docker', ['logs', jobId]);
    assert.equal(exitCode, '0', jobLog);
    assert.match(jobLog, /schema 51 -> 53/);

    // Guide step 4: (re)start on B. Everything from A is still there.
    await cluster.up([], { WA_API_VERSION: B });
    await waitFor(`Multiconnect on ${B}`, 60_000, async () => multiconnect(await health(api, B)));
    assert.deepEqual((await api.call('GET', '/v1/account/shards')).body.account, { shards: 2 });
    const settings = (await api.call('GET', '/v1/settings/application')).body.settings.application;
    assert.equal(settings.unhealthy_interval, 4);
    assert.equal(settings.wa_id, `${CC}${PHONE}`);
    const sent = await api.call('POST', '/v1/messages', { body: { to: '447700900999', type: 'text', text: { body: 'after upgrade' } } });
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    assert.equal(sent.body.meta.version, `v${B}`);
  } catch (error) {
    // What the webapp said helps more than a bare ECONNREFUSED.
    const ps = await cluster.compose(['ps']).catch((e: Error) => e.message);
    const web = await cluster.logs('waweb').catch((e: Error) => e.message);
    console.log(`docker-compose ps:\n${ps}\nwaweb log (last lines):\n${web.split('\n').slice(-30).join('\n')}`);
    throw error;
  } finally {
    await cluster.destroy();
  }
});
