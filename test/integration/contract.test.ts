// Contract test: the extension's own client (src/api/WabaClient, TLS pinned to the certificate the
// webapp presents, as the extension uses it) against a running emulated cluster, every answer checked
// with the wire contract's parsers (src/contract). The emulator's behaviour stays its own; this checks
// that what the extension parses is what the cluster sends.
//   node --import tsx --test test/integration/contract.test.ts
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { pinFromPem } from '../../src/api/certificatePin';
import { createSelfSignedCert } from '../../emulator/src/crypto/self-signed-cert';
import { readPeerCertificate } from '../../src/api/peerCertificate';
import { WabaClient } from '../../src/api/wabaClient';
import { WabaApiError } from '../../src/api/wabaError';
import {
  defaultApplicationSettings, ErrorCode, missingSettings, parseHealthBody, parseMetricsBody, parseSettingsBody, parseStatsBody,
  parseSupportBody, ShapeError,
} from '../../src/contract';
import { ComposeCluster, waitForPublishedPortsFree } from '../../emulator/test/support/compose-cluster';
import { waitFor } from '../../emulator/test/support/waba-client';

const VERSION = '2.53.1';
const PASSWORD = 'Contract-Pass-1!';


// Waiting for the machine-wide cluster ports lock (other runs' clusters) is not part of a test's time.
before(() => waitForPublishedPortsFree(), { timeout: 35 * 60_000 });
test('the extension\'s client parses what an emulated cluster answers', { timeout: 10 * 60_000 }, async () => {
  await waitForPublishedPortsFree();
  const cluster = await ComposeCluster.create('mysql', VERSION, 'contract');
  let client: WabaClient | undefined;
  try {
    await cluster.up(['db', 'waweb', 'master1', 'master2', 'wacore1']);
    const pin = await waitFor('webapp certificate', 60_000, () => readPeerCertificate('127.0.0.1', 9090));
    client = new WabaClient({ host: '127.0.0.1', port: 9090 }, pin);
    const api = client;

    // Login: the first one must change the default password (1024), as the extension handles it.
    const refused = await waitFor('webapp answering', 60_000, async () => {
      try {
        await api.login('admin', 'secret');
        return undefined;
      } catch (e) {
        return e instanceof WabaApiError && e.status < 500 ? e : undefined;
      }
    });
    assert.equal(refused.code, ErrorCode.PasswordChangeRequired);
    const { token, expiresAfter } = await api.login('admin', 'secret', PASSWORD);
    assert.match(expiresAfter, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+00:00$/);
    const authorization = `Bearer ${token}`;
    const get = async (path: string) => (await api.call<unknown>('GET', path, { authorization })).body;

    // Each node appears in health once it has started; on a loaded machine a master can be primary before wacore1 is up.
    const health = await waitFor('a primary master and all 3 nodes in health', 60_000, async () => {
      const body = parseHealthBody((await api.health(token)).body);
      const nodes = Object.values(body.health);
      return nodes.some((n) => n.role === 'primary_master') && nodes.length >= 3 ? body : undefined;
    });
    assert.deepEqual(Object.keys(health.health).map((k) => k.split(':')[0]).sort(), ['master1', 'master2', 'wacore1']);
    assert.equal(health.meta?.version, `v${VERSION}`);

    const support = parseSupportBody(await get('/v1/support'));
    assert.deepEqual(support.map((n) => n.key.split(':')[0]).sort(), ['master1', 'master2', 'wacore1']);
    for (const node of support) assert.match(node.body.expire_timestamp ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);

    const settings = parseSettingsBody(await get('/v1/settings/application')).settings.application;
    assert.deepEqual(missingSettings(settings), []);
    assert.deepEqual(settings, defaultApplicationSettings());
    await api.call('PATCH', '/v1/settings/application', { authorization, body: { webhooks: { url: 'https://hooks.example.test/in' }, heartbeat_interval: 2 } });
    const patched = parseSettingsBody(await get('/v1/settings/application')).settings.application;
    assert.equal(patched.webhooks?.url, 'https://hooks.example.test/in');
    assert.equal(patched.heartbeat_interval, 2);
    const invalid = await api.call('PATCH', '/v1/settings/application', { authorization, body: { heartbeat_interval: 0 } }).catch((e) => e);
    assert.ok(invalid instanceof WabaApiError && invalid.code === ErrorCode.InvalidParameter, String(invalid));
    assert.match(invalid.message, /heartbeat_interval: must be a whole number of at least 1/);

    const backup = (await api.call<{ settings?: { data?: unknown } }>('POST', '/v1/settings/backup', { authorization, body: { password: 'Backup-Pass-1!' } })).body;
    assert.equal(typeof backup.settings?.data, 'string');
    await api.call('PATCH', '/v1/settings/application', { authorization, body: { heartbeat_interval: 7 } });
    await api.call('POST', '/v1/settings/restore', { authorization, body: { password: 'Backup-Pass-1!', data: backup.settings?.data } });
    assert.equal(parseSettingsBody(await get('/v1/settings/application')).settings.application.heartbeat_interval, 2, 'restore brings the backed-up settings back');

    const app = parseStatsBody(await get('/v1/stats/app'), 'app');
    assert.ok(app.some((n) => n.key.startsWith('wacore1:')));
    const db = parseStatsBody(await get('/v1/stats/db'), 'db');
    assert.equal(db.filter((n) => n.families.db_messages).length, 1);
    assert.ok(parseMetricsBody(await get('/metrics')).metrics.web_uptime);

    const noCa = await api.call('GET', '/v1/certificates/webhooks/ca', { authorization }).catch((e) => e);
    assert.ok(noCa instanceof WabaApiError && noCa.status === 404 && noCa.code === ErrorCode.NotFound, String(noCa));

    // A body that does not fit is named by the parsers, not silently cast.
    assert.throws(() => parseHealthBody({ health: { 'wacore1:x': { gateway_status: 'up' } } }), ShapeError);
    // Pinned to another certificate, the same client refuses the webapp.
    const other = new WabaClient({ host: '127.0.0.1', port: 9090 }, pinFromPem(createSelfSignedCert('waweb', ['localhost'], ['127.0.0.1']).certPem));
    try {
      // The chain check fails first (the webapp's certificate is not the pinned one), before the pin check.
      await assert.rejects(other.health(token), /self-signed certificate|different certificate/);
    } finally {
      other.dispose();
    }
  } finally {
    client?.dispose();
    await cluster.destroy();
  }
});
