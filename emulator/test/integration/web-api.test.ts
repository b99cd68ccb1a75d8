// The Webapp's behaviour as Meta documents it (issue #7 items 2-4 and 6), on one PostgreSQL cluster
// under Meta's compose file: error semantics (1011/1014/1015/1024), shards above the running
// coreapps, /v1/support for any user, stats and metrics in JSON and Prometheus text, API keys,
// webhooks out to receiver containers on the cluster network (retries, HTTPS with the uploaded CA,
// inbound messages), login timing, opt-in rate limits and the JWT key check.
//   node --import tsx --test --test-concurrency=1 emulator/test/integration/web-api.test.ts
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import {
  metricTotal, parseMetricsBody, parseStatsBody, parseSupportBody, parseWebhookCallback, unownedShards, type WebhookCallback,
} from '../../../src/contract';
import { createSelfSignedCert } from '../../src/crypto/self-signed-cert';
import { shardFor } from '../../src/logic/routing';
import { certForVname } from '../../src/logic/vname';
import { ComposeCluster, exec, waitForPublishedPortsFree } from '../support/compose-cluster';
import { healthSummary, primaryMasterOf } from '../support/health';
import { WabaClient, waitFor } from '../support/waba-client';
import { WebhookReceiver, type Received } from '../support/webhook-receiver';

const VERSION = '2.51.2';
const PASSWORD = 'Web-Api-Pass-1!';
const API_KEY = 'emulator-test-api-key-1';
const CC = '1';
const PHONE = '6315551000';
const BACKOFF_MS = 400;

/** An override of the test's own: a fixed API key, and limits / a JWT key the test switches on. */
const OVERRIDE = `services:
  waweb:
    environment:
      WA_API_KEY: "${API_KEY}"
      WA_EMULATOR_HEALTH_RATE_LIMIT: "\${TEST_HEALTH_LIMIT:-}"
      WA_EMULATOR_LOGIN_RATE_LIMIT: "\${TEST_LOGIN_LIMIT:-}"
      WA_WEB_JWT_CRYPTO_KEY: "\${TEST_JWT_KEY:-}"
`;

function recipientOnShard(shard: number, shards: number, skip = 0): string {
  for (let i = 0, found = 0; ; i++) {
    const to = `1631555${String(3000 + i)}`;
    if (shardFor(to, shards) === shard && found++ === skip) return to;
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function timed<T>(fn: () => Promise<T>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}


// Waiting for the machine-wide cluster ports lock (other runs' clusters) is not part of a test's time.
before(() => waitForPublishedPortsFree(), { timeout: 35 * 60_000 });
test('webapp behaviour: errors, support, stats, API keys, webhooks, limits', { timeout: 15 * 60_000 }, async () => {
  await waitForPublishedPortsFree();
  const cluster = await ComposeCluster.create('postgres', VERSION, 'webapi');
  const dir = cluster.folder.dir;
  writeFileSync(join(dir, 'docker-compose.webtest.yml'), OVERRIDE);
  const envFile = join(dir, '.env');
  writeFileSync(envFile, readFileSync(envFile, 'utf8').replace(/^COMPOSE_FILE=(.*)$/m, 'COMPOSE_FILE=$1:docker-compose.webtest.yml'));
  const image = `${process.env.WABA_EMULATOR_IMAGES || 'waba-emulator'}/coreapp:v${VERSION}`;
  const receivers: WebhookReceiver[] = [];
  const api = new WabaClient();
  const webLog = () => cluster.logs('waweb');
  const send = (to: string, client = api) => client.call('POST', '/v1/messages', { body: { to, type: 'text', text: { body: `hello ${to}` } } });
  try {
    await cluster.up(['db', 'waweb', 'master1', 'master2', 'wacore1', 'wacore2']);
    await api.pinCertificate();

    // 1024: the default password must be changed (401, as the 2019 webapp answers).
    const first = await waitFor('webapp login', 60_000, async () => {
      const r = await api.call('POST', '/v1/users/login', { basic: ['admin', 'secret'] });
      return r.status >= 500 || r.status === 0 ? undefined : r;
    });
    assert.equal(first.status, 401);
    assert.equal(first.body.errors[0].code, 1024);
    assert.equal((await api.login('admin', 'secret', PASSWORD)).status, 200);

    // 1011 at the top level (HTTP 500): no number registered yet.
    const unregistered = await send('16315550001');
    assert.equal(unregistered.status, 500);
    assert.equal(unregistered.body.errors[0].code, 1011);

    // Rate limits are off unless the webapp's environment turns them on.
    for (let i = 0; i < 15; i++) assert.equal((await api.call('GET', '/v1/health')).status, 200, `health call ${i + 1}`);

    // Register, then 4 shards on 2 coreapps: shards 2 and 3 have no owner.
    const primary = await waitFor('primary master', 60_000, async () => primaryMasterOf(await healthSummary(api, VERSION)));
    const cert = certForVname('Web Api Co');
    assert.equal((await api.call('POST', '/v1/account', { body: { cc: CC, phone_number: PHONE, method: 'sms', cert } })).status, 202);
    const code = await waitFor('registration code', 10_000, async () => /Registration code for \+16315551000: (\d{6})/.exec(await cluster.logs(primary))?.[1]);
    assert.equal((await api.call('POST', '/v1/account/verify', { body: { code } })).status, 201);
    assert.equal((await api.call('PATCH', '/v1/settings/application', { body: { heartbeat_interval: 1, unhealthy_interval: 4 } })).status, 200);
    assert.equal((await api.call('POST', '/v1/account/shards', { body: { cc: CC, phone_number: PHONE, shards: 4, cert } })).status, 201);
    await waitFor('both coreapps connected', 30_000, async () => {
      const s = await healthSummary(api, VERSION);
      return s.wacore1 === 'coreapp/connected' && s.wacore2 === 'coreapp/connected' && s[primary] === 'primary_master/connected' ? s : undefined;
    });
    const support4 = parseSupportBody((await api.call('GET', '/v1/support')).body);
    assert.deepEqual(unownedShards(4, support4), [2, 3], 'support names the owned shards; 2 and 3 are nobody\'s');
    await waitFor('webapp log names the unowned shards', 10_000, async () => (/WARN  waweb shards 2, 3 of 4 have no coreapp/.test(await webLog()) ? true : undefined));
    const orphan = await send(recipientOnShard(2, 4));
    assert.equal(orphan.status, 500);
    assert.deepEqual(orphan.body.errors[0], { code: 1014, title: 'Internal error', details: 'No coreapp node available for shard 2 (4 shards); start more coreapps' });

    assert.equal((await api.call('POST', '/v1/account/shards', { body: { cc: CC, phone_number: PHONE, shards: 2, cert } })).status, 201);
    await waitFor('every shard owned', 30_000, async () => {
      const nodes = parseSupportBody((await api.call('GET', '/v1/support')).body);
      return unownedShards(2, nodes).length === 0 && /every shard of 2 has a coreapp/.test(await webLog()) ? true : undefined;
    });
    let sent = 0;
    for (const to of [recipientOnShard(0, 2), recipientOnShard(1, 2)]) {
      assert.equal((await send(to)).status, 201);
      sent++;
    }

    // API key: health, metrics and stats only.
    for (const path of ['/v1/health', '/metrics', '/v1/stats/app']) assert.equal((await api.call('GET', path, { apiKey: API_KEY })).status, 200, path);
    assert.equal((await api.call('GET', '/v1/support', { apiKey: API_KEY })).status, 401);
    assert.equal((await api.call('POST', '/v1/messages', { apiKey: API_KEY, body: { to: '16315550002', type: 'text', text: { body: 'x' } } })).status, 401);
    assert.equal((await api.call('GET', '/v1/health', { apiKey: `${API_KEY}x` })).status, 401);

    // /v1/support for any logged-in user; settings stay admin-only.
    assert.equal((await api.call('POST', '/v1/users', { body: { username: 'operator', password: 'Operator-123!' } })).status, 201);
    const operator = new WabaClient();
    await operator.pinCertificate();
    assert.equal((await operator.login('operator', 'Operator-123!')).status, 200);
    const opSupport = await operator.call('GET', '/v1/support');
    assert.equal(opSupport.status, 200);
    assert.equal(parseSupportBody(opSupport.body).length, 4);
    assert.equal((await operator.call('GET', '/v1/settings/application')).status, 403);

    // Webhooks: status callbacks for a sent message; a receiver refusing the first two sees Meta's
    // linear backoff; the failures are in the webapp's log.
    const plain = await WebhookReceiver.start({ image, network: cluster.folder.network, name: `${cluster.folder.project}-receiver`, refuseFirst: 2 });
    receivers.push(plain);
    assert.equal((await api.call('PATCH', '/v1/settings/application', {
      body: { webhooks: { url: 'http://receiver:8080/hook', message: { sent: true } }, callback_backoff_delay_ms: BACKOFF_MS },
    })).status, 200);
    const to = recipientOnShard(1, 2, 1);
    const msg = await send(to);
    assert.equal(msg.status, 201);
    sent++;
    const id = msg.body.messages[0].id as string;
    const statuses = await waitFor('sent, delivered and read callbacks', 20_000, async () => {
      const got = (await plain.received()).map((r) => parseWebhookCallback(JSON.parse(r.body)));
      const mine = got.flatMap((c) => c.statuses ?? []).filter((s) => s.id === id);
      return mine.length === 3 ? mine : undefined;
    });
    assert.deepEqual(statuses.map((s) => s.status).sort(), ['delivered', 'read', 'sent']);
    for (const s of statuses) {
      assert.equal(s.recipient_id, to);
      assert.ok(Math.abs(Number(s.timestamp) - Date.now() / 1000) < 120, 'timestamp in epoch seconds');
    }
    const received = await plain.received();
    assert.ok(received.every((r) => r.type === 'application/json' && r.path === '/hook'));
    const refused = await plain.received('REFUSED');
    assert.equal(refused.length, 2);
    for (const r of refused) {
      const retried = received.find((x: Received) => x.body === r.body) ?? assert.fail(`refused callback never retried: ${r.body}`);
      assert.ok(retried.at - r.at >= BACKOFF_MS - 50, `retried after ${retried.at - r.at} ms (backoff ${BACKOFF_MS} ms)`);
    }
    assert.match(await webLog(), /WARN  waweb webhook http:\/\/receiver:8080\/hook failed for status \w+ of gBEG\w+: HTTP 500 \(200 OK expected\); attempt 1, next in 400 ms/);

    // An inbound message (emulator-only route) arrives in Meta's shape.
    const inbound = await api.call('POST', '/emulator/inbound-message', { body: { from: '16315557777', text: 'hello business', name: 'Kerry' } });
    assert.equal(inbound.status, 202, JSON.stringify(inbound.body));
    const inboundId = inbound.body.messages[0].id as string;
    const callback = await waitFor('inbound callback', 10_000, async () => (await plain.received())
      .map((r) => JSON.parse(r.body) as WebhookCallback).find((c) => c.messages?.[0]?.id === inboundId));
    assert.deepEqual(parseWebhookCallback(callback), {
      contacts: [{ profile: { name: 'Kerry' }, wa_id: '16315557777' }],
      messages: [{ from: '16315557777', id: inboundId, timestamp: callback.messages?.[0].timestamp, type: 'text', text: { body: 'hello business' } }],
    });

    // HTTPS with a self-signed certificate: refused until its CA is uploaded.
    const tls = createSelfSignedCert('secure', ['secure'], []);
    const secure = await WebhookReceiver.start({ image, network: cluster.folder.network, name: `${cluster.folder.project}-secure`, alias: 'secure', port: 8443, tls });
    receivers.push(secure);
    assert.equal((await api.call('PATCH', '/v1/settings/application', { body: { webhooks: { url: 'https://secure:8443/hook' } } })).status, 200);
    const viaTls = (await api.call('POST', '/emulator/inbound-message', { body: { from: '16315557778', text: 'over tls' } })).body.messages[0].id as string;
    await waitFor('certificate refused in the log', 10_000, async () => (/webhook https:\/\/secure:8443\/hook failed for inbound message \w+: self-signed certificate/.test(await webLog()) ? true : undefined));
    assert.equal((await secure.received()).length, 0);
    assert.equal((await api.call('POST', '/v1/certificates/webhooks/ca', { text: tls.certPem })).status, 201);
    await waitFor('delivered once the CA is uploaded', 15_000, async () => ((await secure.received()).some((r) => r.body.includes(viaTls)) ? true : undefined));

    // A webhook that cannot be reached is named in the log and counted as failures.
    assert.equal((await api.call('PATCH', '/v1/settings/application', { body: { webhooks: { url: 'http://receiver:9/hook' } } })).status, 200);
    assert.equal((await api.call('POST', '/emulator/inbound-message', { body: { from: '16315557779', text: 'lost' } })).status, 202);
    await waitFor('unreachable webhook in the log', 20_000, async () => {
      const lines = (await webLog()).split('\n').filter((l) => l.includes('receiver:9'));
      if (lines.some((l) => /WARN  waweb webhook http:\/\/receiver:9\/hook failed for inbound message \w+: connect ECONNREFUSED [\d.]+:9; attempt 1, next in 400 ms/.test(l))) return true;
      throw new Error(`webapp log: ${lines.slice(-3).join(' | ') || 'nothing about receiver:9'}`);
    });
    assert.equal((await api.call('PATCH', '/v1/settings/application', { body: { webhooks: { url: '' } } })).status, 200);
    const noUrl = await api.call('POST', '/emulator/inbound-message', { body: { from: '16315557779', text: 'x' } });
    assert.equal(noUrl.status, 400);
    assert.equal(noUrl.body.errors[0].code, 1022);

    // Stats and metrics, JSON and Prometheus text.
    const app = parseStatsBody((await api.call('GET', '/v1/stats/app')).body, 'app');
    const webKey = app.find((n) => n.key.startsWith('waweb:')) ?? assert.fail('no webapp entry in /v1/stats/app');
    assert.equal(app.filter((n) => !n.key.startsWith('waweb:')).reduce((sum, n) => sum + metricTotal(n.families, 'endpoint_requests', { endpoint: 'messages' }), 0), sent);
    assert.ok(metricTotal(webKey.families, 'callback_requests', { result: 'success' }) >= 5);
    assert.ok(metricTotal(webKey.families, 'callback_requests', { result: 'failure' }) >= 3);
    assert.equal(metricTotal(webKey.families, 'in_message_from_server'), 3);
    const db = parseStatsBody((await api.call('GET', '/v1/stats/db')).body, 'db');
    const withFigures = db.filter((n) => Object.keys(n.families).length > 0);
    assert.equal(withFigures.length, 1, 'only the primary master reports database stats');
    assert.match(withFigures[0].key, /^master[12]:/);
    assert.equal(metricTotal(withFigures[0].families, 'db_messages'), sent);
    const appText = await api.call('GET', '/v1/stats/app?format=prometheus');
    assert.equal(appText.status, 200);
    assert.match(appText.body, /^# TYPE endpoint_requests counter$/m);
    assert.match(appText.body, /^endpoint_requests\{node="wacore1:[0-9a-f]{12}",endpoint="messages"\} \d+$/m);
    assert.match((await api.call('GET', '/v1/stats/db?format=prometheus')).body, new RegExp(`^db_messages\\{node="master[12]:[0-9a-f]{12}"\\} ${sent}$`, 'm'));
    assert.ok(parseMetricsBody((await api.call('GET', '/metrics')).body).metrics.web_uptime);
    assert.match((await api.call('GET', '/metrics?format=prometheus', { apiKey: API_KEY })).body, /^# TYPE web_uptime gauge\nweb_uptime\{node="[0-9a-f]{12}"\} \d+$/m);
    assert.equal((await api.call('GET', '/metrics?format=xml')).body.errors[0].code, 1009);

    // An unknown user name costs the same password check as a wrong password.
    const wrong: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 8; i++) {
      wrong.push(await timed(() => api.call('POST', '/v1/users/login', { basic: ['admin', `Wrong-${i}-pass!`] })));
      unknown.push(await timed(() => api.call('POST', '/v1/users/login', { basic: [`nobody${i}`, `Wrong-${i}-pass!`] })));
    }
    console.log(`login timing: wrong password median ${median(wrong).toFixed(1)} ms, unknown user median ${median(unknown).toFixed(1)} ms`);
    assert.ok(median(unknown) >= 0.5 * median(wrong), `unknown user ${median(unknown)} ms vs wrong password ${median(wrong)} ms`);

    // 1014 for a node the webapp cannot reach (killed: a node stopped cleanly leaves the registry), in
    // health and support, and for a message to its shard.
    await cluster.compose(['kill', 'wacore2']);
    const gap = await send(recipientOnShard(JSON.stringify(support4.find((n) => n.key.startsWith('wacore2:'))?.body.shards) === '[[0,0]]' ? 0 : 1, 2));
    assert.equal(gap.status, 500);
    assert.ok([1014, 1018].includes(gap.body.errors[0].code), JSON.stringify(gap.body));
    await waitFor('wacore2 unreachable in health', 15_000, async () => ((await healthSummary(api, VERSION)).wacore2 === '1014' ? true : undefined));
    const down = parseSupportBody((await api.call('GET', '/v1/support')).body).find((n) => n.key.startsWith('wacore2:'));
    assert.equal(down?.body.errors?.[0].code, 1014);
    assert.match(down?.body.errors?.[0].details ?? '', new RegExp(`^Unable to reach ${down?.key.split(':')[1]}:6253 \\(`));

    // Opt-in limits: /v1/health for everyone, failed logins per client address (1015, HTTP 429).
    await cluster.up(['waweb'], { TEST_HEALTH_LIMIT: '3/60', TEST_LOGIN_LIMIT: '2/60' });
    await waitFor('webapp back', 60_000, async () => ((await api.call('GET', '/metrics').catch(() => ({ status: 0 }))).status === 200 ? true : undefined));
    for (let i = 0; i < 3; i++) assert.equal((await api.call('GET', '/v1/health')).status, 200);
    const limited = await api.call('GET', '/v1/health');
    assert.equal(limited.status, 429);
    assert.equal(limited.body.errors[0].code, 1015);
    assert.match(limited.body.errors[0].details, /^Too many \/v1\/health calls; retry in \d+ s$/);
    for (let i = 0; i < 2; i++) assert.equal((await api.call('POST', '/v1/users/login', { basic: ['admin', 'Wrong-pass-1!'] })).status, 401);
    const blocked = await api.call('POST', '/v1/users/login', { basic: ['admin', PASSWORD] });
    assert.equal(blocked.status, 429, 'even the right password waits once the failures are used up');
    assert.equal(blocked.body.errors[0].code, 1015);
    assert.match(await webLog(), /rate limit on: health 3 per 60 s/);

    // A JWT key set by env shorter than 32 bytes: the webapp refuses to start and says why.
    await cluster.up(['waweb'], { TEST_JWT_KEY: 'too-short-key' });
    const webId = await cluster.containerId('waweb');
    await waitFor('webapp refused the key', 30_000, async () => ((await exec('docker', ['inspect', '-f', '{{.State.Status}} {{.State.ExitCode}}', webId])).trim() === 'exited 1' ? true : undefined));
    assert.match(await webLog(), /WA_WEB_JWT_CRYPTO_KEY must be at least 32 bytes \(it has 13\)/);
  } finally {
    for (const r of receivers) await r.remove();
    await cluster.destroy();
  }
});
