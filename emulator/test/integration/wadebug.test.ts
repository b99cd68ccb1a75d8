// What Meta's WADebug relies on (issue #14), checked from outside as WADebug looks, on MySQL and
// PostgreSQL: the settings shape with and without a webhook, file-system changes of every WhatsApp
// node naming its log files, those files readable through Docker's archive API, a crash log after
// an injected crash, and the /v1/support and /v1/certificates/webhooks/ca shapes.
//   node --import tsx --test --test-concurrency=1 emulator/test/integration/wadebug.test.ts
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import {
  defaultApplicationSettings, missingSettings, parseSettingsBody, parseSupportBody, type SupportNode,
} from '../../../src/contract';
import { createSelfSignedCert } from '../../src/crypto/self-signed-cert';
import { ComposeCluster, exec, waitForPublishedPortsFree } from '../support/compose-cluster';
import { dockerDiff, readContainerFile } from '../support/container-fs';
import { WabaClient, waitFor } from '../support/waba-client';

const VERSION = '2.51.2';
const PASSWORD = 'Wadebug-Pass-1!';
const NODES = ['waweb', 'master1', 'master2', 'wacore1', 'wacore2'];

/** The files each WhatsApp node keeps, where Meta's images keep them. */
function logFilesOf(service: string, containerHostname: string): string[] {
  if (service === 'waweb') return ['/var/log/whatsapp/web.log', '/var/log/lighttpd/error.log'];
  return [`/usr/local/waent/logs/wa-service-${containerHostname.slice(0, 8)}.log`];
}


// Waiting for the machine-wide cluster ports lock (other runs' clusters) is not part of a test's time.
before(() => waitForPublishedPortsFree(), { timeout: 35 * 60_000 });
for (const db of ['mysql', 'postgres'] as const) {
  test(`WADebug's view of an emulated cluster on ${db}`, { timeout: 10 * 60_000 }, async () => {
    await waitForPublishedPortsFree();
    const cluster = await ComposeCluster.create(db, VERSION, `wadebug${db}`);
    const api = new WabaClient();
    try {
      await cluster.up(['db', ...NODES]);
      await api.pinCertificate();
      await waitFor('login', 60_000, async () => ((await api.login('admin', 'secret', PASSWORD)).status === 200 ? true : undefined));

      // check_webhook reads settings.application.webhooks.url unconditionally: "" when unset.
      // Settings come from the primary master: right after `up` there may be none yet (1017).
      const settings = await waitFor('settings from a primary master', 60_000, async () => {
        const r = await api.call('GET', '/v1/settings/application');
        return r.status === 200 ? r : undefined;
      });
      const application = parseSettingsBody(settings.body).settings.application;
      assert.deepEqual(missingSettings(application), []);
      assert.equal(application.webhooks?.url, '');
      assert.deepEqual(application, defaultApplicationSettings(), 'a fresh cluster answers Meta\'s defaults');
      const patched = await api.call('PATCH', '/v1/settings/application', { body: { webhooks: { url: 'https://hooks.example.test/whatsapp' } } });
      assert.equal(patched.status, 200, JSON.stringify(patched.body));
      const withHook = parseSettingsBody((await api.call('GET', '/v1/settings/application')).body).settings.application;
      assert.equal(withHook.webhooks?.url, 'https://hooks.example.test/whatsapp');
      assert.equal(withHook.webhooks?.max_concurrent_requests, 6, 'the rest of webhooks is kept');

      // /v1/support: every node, with its shards and when its build expires (WADebug bundles it).
      const support = await waitFor('support from every node', 30_000, async () => {
        const nodes = parseSupportBody((await api.call('GET', '/v1/support')).body);
        return nodes.length === 4 && nodes.every((n) => !n.body.errors) ? nodes : undefined;
      });
      for (const { key, body } of support as SupportNode[]) {
        assert.equal(body.debug_info, 'unregistered', key);
        assert.deepEqual(body.shards, [], key);
        assert.equal(body.db_engine, db === 'mysql' ? 'MYSQL' : 'PGSQL');
        assert.match(body.expire_timestamp ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/, key);
        const daysLeft = (Date.parse(`${body.expire_timestamp}Z`) - Date.now()) / 86_400_000;
        assert.ok(daysLeft > 170 && daysLeft <= 180, `${key}: a release build expires 180 days after it was built (${daysLeft.toFixed(1)} days left)`);
      }

      // /v1/certificates/webhooks/ca: 1006 when none (what WADebug expects), upload, get, delete.
      const none = await api.call('GET', '/v1/certificates/webhooks/ca');
      assert.equal(none.status, 404);
      assert.equal(none.body.errors[0].code, 1006);
      const notPem = await api.call('POST', '/v1/certificates/webhooks/ca', { text: 'hello' });
      assert.equal(notPem.status, 400);
      assert.equal(notPem.body.errors[0].code, 1009);
      const ca = createSelfSignedCert('hooks.example.test', ['hooks.example.test'], []).certPem;
      const uploaded = await api.call('POST', '/v1/certificates/webhooks/ca', { text: ca });
      assert.equal(uploaded.status, 201, JSON.stringify(uploaded.body));
      const got = await api.call('GET', '/v1/certificates/webhooks/ca');
      assert.equal(got.status, 200);
      assert.equal(got.body, ca, 'GET answers the PEM itself, as WADebug copies it into a coreapp');
      assert.equal((await api.call('DELETE', '/v1/certificates/webhooks/ca')).status, 200);
      assert.equal((await api.call('GET', '/v1/certificates/webhooks/ca')).status, 404);

      // Every WhatsApp node changed its file system: its log files, readable through the archive API.
      for (const service of NODES) {
        const id = await cluster.containerId(service);
        const files = logFilesOf(service, await cluster.containerHostname(service));
        const changed = (await dockerDiff(id)).filter((c) => c.kind !== 'D').map((c) => c.path);
        for (const file of files) assert.ok(changed.includes(file), `${service}: docker diff names ${file}: ${changed.join(' ')}`);
        const log = await readContainerFile(id, files[0]);
        assert.match(log, service === 'waweb' ? /INFO  waweb webapp waweb:\S+ v2\.51\.2 serving HTTPS on 443/ : new RegExp(`INFO  ${service} (master|coreapp) node ${service}:`));
        assert.doesNotMatch(log, new RegExp(PASSWORD.replace(/[!-]/g, '.')), 'no password in the log');
      }
      const webId = await cluster.containerId('waweb');
      assert.match(await readContainerFile(webId, '/var/log/lighttpd/error.log'), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d: \(server\.c\) server started/m);

      // A crash (injected; tini passes SIGUSR2 to the node) leaves a *-crash.log, and the restart
      // policy brings the node back.
      const coreId = await cluster.containerId('wacore1');
      await exec('docker', ['exec', coreId, 'kill', '-USR2', '1']);
      const crashLog = await waitFor('crash log', 30_000, async () => (await dockerDiff(coreId)).find((c) => c.kind === 'A' && /^\/usr\/local\/waent\/logs\/wa-service-[0-9a-f]{8}-\d{8}T\d{6}Z-crash\.log$/.test(c.path))?.path);
      const crash = await readContainerFile(coreId, crashLog);
      assert.match(crash, /^crash of wacore1:[0-9a-f]{12} \(WhatsApp Business API emulator 2\.51\.2/);
      assert.match(crash, /injected crash: SIGUSR2 received/);
      assert.match(crash, /last log lines:\n.*coreapp node wacore1:/s);
      await waitFor('wacore1 restarted by its restart policy', 30_000, async () => {
        const [count, status] = (await exec('docker', ['inspect', '-f', '{{.RestartCount}} {{.State.Status}}', coreId])).trim().split(' ');
        return Number(count) >= 1 && status === 'running' ? true : undefined;
      });
    } finally {
      await cluster.destroy();
    }
  });
}
