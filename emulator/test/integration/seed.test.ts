// The developer guide "Developer Setup: High Availability and Multiconnect" step by step,
// against the emulator images under Meta's own compose file, for MySQL and PostgreSQL.
//   node --import tsx --test --test-concurrency=1 emulator/test/integration/seed.test.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { certForVname } from '../../src/logic/vname';
import { ComposeCluster, exec, waitForPublishedPortsFree } from '../support/compose-cluster';
import { expectSummary, healthSummary, primaryMasterOf } from '../support/health';
import { recipientsPerShard, sendText } from '../support/messages';
import { WabaClient, waitFor } from '../support/waba-client';

const VERSION = '2.51.2';
const PASSWORD = 'Seed-Pass-2026!';
const CC = '1';
const PHONE = '6315551000';
const HEARTBEAT_S = 1;
const UNHEALTHY_S = 4;

const seconds = (ms: number) => (ms / 1000).toFixed(1);

const health = (api: WabaClient) => healthSummary(api, VERSION);

for (const db of ['mysql', 'postgres'] as const) {
  test(`developer guide HA + Multiconnect walkthrough on ${db}`, { timeout: 15 * 60_000 }, async () => {
    await waitForPublishedPortsFree();
    const cluster = await ComposeCluster.create(db, VERSION, `seed${db}`);
    const api = new WabaClient();
    try {
      // Step 4: start db, webapp, two masters, two coreapps.
      const t0 = Date.now();
      await cluster.up(['db', 'waweb', 'master1', 'master2', 'wacore1', 'wacore2']);
      console.log(`${db}: docker-compose up -d returned after ${seconds(Date.now() - t0)} s`);
      const fingerprint = await api.pinCertificate();
      console.log(`${db}: webapp certificate ${fingerprint}`);

      // Login: the default password must be changed first.
      const loginNoChange = await waitFor('webapp login', 60_000, async () => {
        const r = await api.call('POST', '/v1/users/login', { basic: ['admin', 'secret'] });
        return r.status >= 500 || r.status === 0 ? undefined : r;
      });
      assert.equal(loginNoChange.status, 401);
      assert.equal(loginNoChange.body.errors[0].code, 1024);
      const weak = await api.login('admin', 'secret', 'weakpass');
      assert.equal(weak.status, 400);
      assert.match(weak.body.errors[0].details, /new_password/);
      const login = await api.login('admin', 'secret', PASSWORD);
      assert.equal(login.status, 200);
      assert.match(login.body.users[0].expires_after, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+00:00$/);
      assert.equal((await api.call('GET', '/v1/health', { token: 'not-a-token' })).status, 401);

      // Step 6: exactly one primary master, unregistered; everything else "Service not ready".
      const first = await waitFor('first health body', 60_000, async () => {
        const s = await health(api);
        const primary = primaryMasterOf(s);
        const other = primary === 'master1' ? 'master2' : 'master1';
        return expectSummary(s, { [primary]: 'primary_master/unregistered', [other]: '1011', wacore1: '1011', wacore2: '1011' });
      });
      console.log(`${db}: up -> all nodes answering health in ${seconds(Date.now() - t0)} s`);
      const rawHealth = (await api.call('GET', '/v1/health')).body.health as Record<string, unknown>;
      for (const key of Object.keys(rawHealth)) {
        const [service, container] = key.split(':');
        assert.equal(container, await cluster.containerHostname(service), `${key} names the container`);
      }
      const primary = primaryMasterOf(first);

      // Step 7: register; the code arrives in the primary master's log.
      const cert = certForVname('Emulator Seed Co');
      const bad = await api.call('POST', '/v1/account', { body: { cc: CC, method: 'sms', cert } });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.errors[0].code, 1008);
      assert.match(bad.body.errors[0].details, /phone_number/);
      const reg = await api.call('POST', '/v1/account', { body: { cc: CC, phone_number: PHONE, method: 'sms', cert } });
      assert.equal(reg.status, 202, JSON.stringify(reg.body));
      assert.deepEqual(reg.body.account, [{ vname: 'Emulator Seed Co' }]);
      const code = await waitFor('registration code in the primary master log', 10_000, async () =>
        /Registration code for \+16315551000: (\d{6})/.exec(await cluster.logs(primary))?.[1]);
      const wrong = await api.call('POST', '/v1/account/verify', { body: { code: code === '000000' ? '111111' : '000000' } });
      assert.equal(wrong.status, 400);
      assert.equal(wrong.body.errors[0].code, 1009);
      assert.equal((await api.call('POST', '/v1/account/verify', { body: { code } })).status, 201);

      // Step 8: HA: one coreapp connected, both masters disconnected.
      const other = primary === 'master1' ? 'master2' : 'master1';
      const ha = await waitFor('HA health', 20_000, async () => {
        const s = await health(api);
        const connected = ['wacore1', 'wacore2'].filter((c) => s[c] === 'coreapp/connected');
        if (connected.length !== 1) throw new Error(`one coreapp connected expected: ${JSON.stringify(s)}`);
        const standby = connected[0] === 'wacore1' ? 'wacore2' : 'wacore1';
        return expectSummary(s, {
          [primary]: 'primary_master/disconnected', [other]: 'secondary_master/disconnected',
          [connected[0]]: 'coreapp/connected', [standby]: 'coreapp/disconnected',
        });
      });
      assert.ok(ha);

      // Small heartbeat intervals so that failover happens within the test.
      const patch = await api.call('PATCH', '/v1/settings/application', { body: { heartbeat_interval: HEARTBEAT_S, unhealthy_interval: UNHEALTHY_S } });
      assert.equal(patch.status, 200, JSON.stringify(patch.body));
      const settings = await api.call('GET', '/v1/settings/application');
      assert.equal(settings.body.settings.application.heartbeat_interval, HEARTBEAT_S);
      assert.equal(settings.body.settings.application.unhealthy_interval, UNHEALTHY_S);

      // Multiconnect step 1: two shards.
      const three = await api.call('POST', '/v1/account/shards', { body: { cc: CC, phone_number: PHONE, shards: 3, cert } });
      assert.equal(three.status, 400);
      assert.match(three.body.errors[0].details, /shards/);
      assert.equal((await api.call('POST', '/v1/account/shards', { body: { cc: CC, phone_number: PHONE, shards: 2, cert } })).status, 201);
      assert.deepEqual((await api.call('GET', '/v1/account/shards')).body.account, { shards: 2 });

      // Multiconnect step 2: primary master and both coreapps connected.
      await waitFor('Multiconnect health', 20_000, async () => expectSummary(await health(api), {
        [primary]: 'primary_master/connected', [other]: 'secondary_master/disconnected',
        wacore1: 'coreapp/connected', wacore2: 'coreapp/connected',
      }));

      // Multiconnect steps 3-4: a third coreapp is a disconnected standby.
      await cluster.up(['wacore3']);
      await waitFor('wacore3 standby', 30_000, async () => expectSummary(await health(api), {
        [primary]: 'primary_master/connected', [other]: 'secondary_master/disconnected',
        wacore1: 'coreapp/connected', wacore2: 'coreapp/connected', wacore3: 'coreapp/disconnected',
      }));
      const support = (await api.call('GET', '/v1/support')).body.support as Record<string, any>;
      const shardsOf = (service: string) => Object.entries(support).find(([k]) => k.startsWith(`${service}:`))?.[1].shards;
      assert.deepEqual(shardsOf(primary), [[-1, -1]]);
      assert.deepEqual(shardsOf(other), []);
      assert.deepEqual(shardsOf('wacore3'), []);
      assert.deepEqual([shardsOf('wacore1'), shardsOf('wacore2')].map((s) => JSON.stringify(s)).sort(), ['[[0,0]]', '[[1,1]]']);
      assert.equal(support[Object.keys(support)[0]].db_engine, db === 'mysql' ? 'MYSQL' : 'PGSQL');

      // Messages to recipients on both shards.
      const recipients = recipientsPerShard(2);
      for (const to of recipients) {
        const sent = await sendText(api, to);
        assert.equal(sent.status, 201, JSON.stringify(sent.body));
        assert.match(sent.body.messages[0].id, /^gBEG[A-Za-z0-9]{23}$/);
      }

      // Failover: kill a connected coreapp; the standby takes its shard.
      const victim = JSON.stringify(shardsOf('wacore1')) === '[[1,1]]' ? 'wacore1' : 'wacore2';
      const survivor = victim === 'wacore1' ? 'wacore2' : 'wacore1';
      const tKill = Date.now();
      await cluster.kill(victim);
      const gap = await sendText(api, recipients[1]);
      assert.equal(gap.status, 500, 'a message to the dead owner\'s shard fails until failover');
      assert.ok([1014, 1018].includes(gap.body.errors[0].code), JSON.stringify(gap.body));
      await waitFor('wacore3 takes over', 60_000, async () => expectSummary(await health(api), {
        [primary]: 'primary_master/connected', [other]: 'secondary_master/disconnected',
        [survivor]: 'coreapp/connected', [victim]: '1014', wacore3: 'coreapp/connected',
      }));
      const failoverMs = Date.now() - tKill;
      console.log(`${db}: coreapp failover (${victim} -> wacore3) in ${seconds(failoverMs)} s (unhealthy_interval ${UNHEALTHY_S} s, heartbeat ${HEARTBEAT_S} s)`);
      assert.ok(failoverMs <= (UNHEALTHY_S + 2 * HEARTBEAT_S) * 1000 + 6000, `failover took ${failoverMs} ms`);
      const resent = await sendText(api, recipients[1]);
      assert.equal(resent.status, 201, JSON.stringify(resent.body));
      const masterLog = await cluster.logs(primary);
      assert.match(masterLog, new RegExp(`failover: shard 1 moved from ${victim}:[0-9a-f]{12} to wacore3:[0-9a-f]{12} \\(owner unhealthy`));
      for (const line of masterLog.split('\n').filter((l) => l && !l.startsWith('[wait_on_'))) {
        assert.match(line, new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z (INFO |WARN |ERROR) ${primary} \\S`));
      }
      assert.doesNotMatch(masterLog, new RegExp(PASSWORD.replace(/[!-]/g, '.')));

      // The old owner comes back: the shard map says wacore3 owns its shard, so it stays a standby.
      await exec('docker', ['start', await cluster.containerId(victim)]);
      await waitFor('returning coreapp stays standby', 30_000, async () => expectSummary(await health(api), {
        [primary]: 'primary_master/connected', [other]: 'secondary_master/disconnected',
        [survivor]: 'coreapp/connected', [victim]: 'coreapp/disconnected', wacore3: 'coreapp/connected',
      }));

      // Roles, tokens and the other admin endpoints.
      const created = await api.call('POST', '/v1/users', { body: { username: 'operator', password: 'Operator-123' } });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const operator = new WabaClient();
      await operator.pinCertificate();
      assert.equal((await operator.login('operator', 'Operator-123')).status, 200);
      const denied = await operator.call('GET', '/v1/settings/application');
      assert.equal(denied.status, 403);
      assert.equal(denied.body.errors[0].code, 1005);
      assert.equal((await sendText(operator, recipients[0])).status, 201);
      assert.equal((await operator.call('POST', '/v1/users/logout')).status, 200);
      assert.equal((await operator.call('GET', '/v1/health')).status, 401);
      assert.equal((await api.call('GET', '/v1/nothing-here')).body.errors[0].code, 1006);
      const metrics = await api.call('GET', '/metrics');
      assert.equal(metrics.status, 200);
      assert.ok(metrics.body.metrics.web_uptime.data[0].value >= 0);
      const backup = await api.call('POST', '/v1/settings/backup', { body: { password: 'backup-pw' } });
      assert.equal(backup.status, 200);
      const badRestore = await api.call('POST', '/v1/settings/restore', { body: { password: 'wrong', data: backup.body.settings.data } });
      assert.equal(badRestore.body.errors[0].code, 1009);
      assert.equal((await api.call('POST', '/v1/settings/restore', { body: { password: 'backup-pw', data: backup.body.settings.data } })).status, 200);

      // Kill the primary master; the other master takes the lease.
      const tMaster = Date.now();
      await cluster.kill(primary);
      await waitFor('master takeover', 60_000, async () => {
        const s = await health(api);
        if (s[other] !== 'primary_master/connected' || s[primary] !== '1014') throw new Error(JSON.stringify(s));
        return s;
      });
      assert.match(await cluster.logs(other), /role changed: secondary_master -> primary_master/);
      console.log(`${db}: master failover (${primary} -> ${other}) in ${seconds(Date.now() - tMaster)} s`);
      assert.equal((await api.call('GET', '/v1/settings/application')).status, 200);

      // Without any master, master-only calls answer 1017 while messages still flow.
      await cluster.compose(['stop', '-t', '5', other]);
      const noMaster = await api.call('GET', '/v1/settings/application');
      assert.equal(noMaster.status, 500);
      assert.equal(noMaster.body.errors[0].code, 1017);
      assert.equal((await sendText(api, recipients[0])).status, 201);

      // down + up: registration, shards, users and the certificate survive.
      await cluster.compose(['down', '-t', '5']);
      await cluster.up();
      assert.equal(await api.pinCertificate(), fingerprint, 'certificate survives container recreation');
      await waitFor('login after restart', 60_000, async () => ((await api.login('admin', PASSWORD)).status === 200 ? true : undefined));
      await waitFor('registered cluster after restart', 60_000, async () => {
        const s = await health(api);
        const values = Object.values(s);
        if (Object.keys(s).length !== 5) throw new Error(JSON.stringify(s));
        if (values.filter((v) => v === 'coreapp/connected').length !== 2 || values.filter((v) => v === 'primary_master/connected').length !== 1) throw new Error(JSON.stringify(s));
        return s;
      });
      assert.deepEqual((await api.call('GET', '/v1/account/shards')).body.account, { shards: 2 });

      // down -v wipes everything: a fresh cluster is unregistered with the default password.
      await cluster.compose(['down', '-v', '-t', '5']);
      await cluster.up(['db', 'waweb', 'master1', 'master2', 'wacore1', 'wacore2']);
      assert.notEqual(await api.pinCertificate(), fingerprint, 'a wiped cluster has a new certificate');
      await waitFor('fresh login', 60_000, async () => ((await api.login('admin', 'secret', PASSWORD)).status === 200 ? true : undefined));
      await waitFor('unregistered again', 60_000, async () => {
        const s = await health(api);
        const p = primaryMasterOf(s);
        return expectSummary(s, { [p]: 'primary_master/unregistered', [p === 'master1' ? 'master2' : 'master1']: '1011', wacore1: '1011', wacore2: '1011' });
      });
    } catch (error) {
      await cluster.printLogs(['db', 'waweb', 'master1', 'master2', 'wacore1', 'wacore2', 'wacore3']);
      throw error;
    } finally {
      await cluster.destroy();
    }
  });
}
