import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { readNodeConfig } from '../../src/config';
import { mergeSettings, defaultSettings, intervalsOf } from '../../src/logic/settings';

test('a master reads db.env and the compose environment; its key is COREAPP_HOSTNAME:container', () => {
  const cfg = readNodeConfig({
    WA_EMULATOR_IMAGE: 'coreapp', WA_EMULATOR_VERSION: '2.53.1', WA_MASTER_NODE: '1', COREAPP_HOSTNAME: 'master1',
    WA_DB_ENGINE: 'PGSQL', WA_DB_HOSTNAME: 'db', WA_DB_PORT: '3306', WA_DB_USERNAME: 'root', WA_DB_PASSWORD: 'testpass', WA_DB_NAME_PREFIX: 'acme_',
  });
  assert.equal(cfg.nodeKey, `master1:${hostname()}`);
  assert.ok(cfg.isMaster && !cfg.isDbUpgrade && cfg.exitOnSuccess);
  assert.deepEqual({ ...cfg.db, password: '' }, { engine: 'PGSQL', host: 'db', port: 3306, user: 'root', password: '', database: 'acme_waent', idleTimeoutMs: 180000 });
});

test('the upgrade job honours EXIT_ON_SUCCESS=FALSE; an unknown engine is refused', () => {
  assert.equal(readNodeConfig({ WA_DB_UPGRADE: '1', EXIT_ON_SUCCESS: 'FALSE' }).exitOnSuccess, false);
  assert.ok(readNodeConfig({ WA_DB_UPGRADE: '1' }).isDbUpgrade);
  assert.throws(() => readNodeConfig({ WA_DB_ENGINE: 'ORACLE' }), /MYSQL or PGSQL/);
});

test('the Webapp is keyed by WEBAPP_HOSTNAME; short API keys are ignored', () => {
  const cfg = readNodeConfig({ WA_EMULATOR_IMAGE: 'web', WEBAPP_HOSTNAME: 'waweb', WA_API_KEY: 'short' });
  assert.equal(cfg.image, 'web');
  assert.equal(cfg.hostname, 'waweb');
  assert.equal(cfg.apiKey, undefined);
});

test('settings PATCHes merge into nested objects and drive the heartbeat timings', () => {
  const s = mergeSettings(defaultSettings(), { heartbeat_interval: 1, unhealthy_interval: 4, webhooks: { url: 'https://hook.example' } });
  assert.deepEqual(s.webhooks, { max_concurrent_requests: 12, url: 'https://hook.example' });
  assert.deepEqual(intervalsOf(s), { heartbeatMs: 1000, unhealthyMs: 4000 });
  assert.deepEqual(intervalsOf(defaultSettings()), { heartbeatMs: 5000, unhealthyMs: 30000 });
});
