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

test('the Webapp is keyed by WEBAPP_HOSTNAME; API keys of 12 to 128 characters', () => {
  const cfg = readNodeConfig({ WA_EMULATOR_IMAGE: 'web', WEBAPP_HOSTNAME: 'waweb', WA_API_KEY: 'a-long-api-key' });
  assert.equal(cfg.image, 'web');
  assert.equal(cfg.hostname, 'waweb');
  assert.equal(cfg.apiKey, 'a-long-api-key');
  assert.throws(() => readNodeConfig({ WA_EMULATOR_IMAGE: 'web', WA_API_KEY: 'short' }), /WA_API_KEY must be 12 to 128 characters long \(it has 5\)/);
  assert.throws(() => readNodeConfig({ WA_EMULATOR_IMAGE: 'web', WA_API_KEY: 'k'.repeat(129) }), /it has 129/);
});

test('a JWT key set by env must have at least 32 bytes; the coreapps ignore the webapp keys', () => {
  assert.throws(() => readNodeConfig({ WA_EMULATOR_IMAGE: 'web', WA_WEB_JWT_CRYPTO_KEY: 'x'.repeat(31) }),
    /WA_WEB_JWT_CRYPTO_KEY must be at least 32 bytes \(it has 31\)/);
  assert.throws(() => readNodeConfig({ WA_EMULATOR_IMAGE: 'web', WA_WEB_JWT_CRYPTO_KEY: 'é'.repeat(15) }), /it has 30/, 'bytes, not characters');
  assert.equal(readNodeConfig({ WA_EMULATOR_IMAGE: 'web', WA_WEB_JWT_CRYPTO_KEY: 'x'.repeat(32) }).jwtKey, 'x'.repeat(32));
  assert.equal(readNodeConfig({ WA_EMULATOR_IMAGE: 'coreapp', WA_WEB_JWT_CRYPTO_KEY: 'short', WA_API_KEY: 'short' }).jwtKey, undefined);
});

test('settings PATCHes merge into nested objects and drive the heartbeat timings', () => {
  const s = mergeSettings(defaultSettings(), { heartbeat_interval: 1, unhealthy_interval: 4, webhooks: { url: 'https://hook.example' } });
  assert.deepEqual(s.webhooks, { url: 'https://hook.example', max_concurrent_requests: 6, message: { sent: false, delivered: true, read: true } });
  assert.deepEqual(intervalsOf(s), { heartbeatMs: 1000, unhealthyMs: 4000 });
  assert.deepEqual(intervalsOf(defaultSettings()), { heartbeatMs: 5000, unhealthyMs: 30000 });
});
