// The wire contract's shapes (src/contract) as both sides use them: Meta's defaults, what a PATCH
// may carry, and the parsers' verdicts on documented and broken bodies.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  callbackRetryDelayMs, defaultApplicationSettings, missingSettings, parseHealthBody, parseMetricsBody, parseSettingsBody,
  parseStatsBody, parseSupportBody, parseWebhookCallback, SETTING_FIELDS, settingField, settingProblem, settingValue, ShapeError,
  unownedShards, type KnownErrorCode, parseShardsBody, parseRegistrationBody, failoverIntervals, failoverBound, ROUTES, routeKey,
} from '../../../src/contract';
import { ApiError } from '../../src/logic/envelope';

describe('application settings contract', () => {
  it('has every documented field with Meta\'s default, webhooks.url empty', () => {
    const s = defaultApplicationSettings();
    assert.equal(s.webhooks.url, '');
    assert.equal(s.heartbeat_interval, 5);
    assert.equal(s.unhealthy_interval, 30);
    assert.equal(s.callback_backoff_delay_ms, 3000);
    assert.equal(s.max_callback_backoff_delay_ms, 900000);
    assert.deepEqual(s.webhooks.message, { sent: false, delivered: true, read: true });
    assert.deepEqual(missingSettings(s), []);
    assert.deepEqual(missingSettings({ webhooks: { url: '' } }).includes('webhooks.url'), false);
    assert.ok(missingSettings({}).length === SETTING_FIELDS.length);
  });

  it('says why a value does not fit', () => {
    const field = (p: string) => settingField(p) ?? assert.fail(p);
    assert.equal(settingProblem(field('heartbeat_interval'), 0), 'must be a whole number of at least 1');
    assert.equal(settingProblem(field('heartbeat_interval'), settingValue(field('heartbeat_interval'), '7')), undefined);
    assert.equal(settingProblem(field('webhooks.max_concurrent_requests'), 7), 'must be one of 6, 12, 18, 24');
    assert.equal(settingProblem(field('webhooks.url'), 'ftp://x'), 'must start with https://');
    assert.equal(settingProblem(field('webhooks.url'), ''), undefined);
    assert.match(settingProblem(field('webhooks.url'), 'not a url') ?? '', /must be a URL/);
    assert.equal(settingProblem(field('media.auto_download'), ['image', 'gif']), 'must be a list of audio, document, image, sticker, video, voice');
    assert.equal(settingProblem(field('callback_persist'), 'yes'), 'must be true or false');
  });

  it('parses a GET body and names the field of a wrong type', () => {
    assert.ok(parseSettingsBody({ settings: { application: defaultApplicationSettings() } }));
    assert.ok(parseSettingsBody({ settings: { application: { callback_backoff_delay_ms: '3000' } } }), 'digit strings are integers');
    assert.throws(() => parseSettingsBody({ settings: { application: { webhooks: { url: 5 } } } }),
      (e: Error) => e instanceof ShapeError && e.message === 'settings.application.webhooks.url must be a string, not number 5');
  });
});

describe('support, health, stats and webhook shapes', () => {
  const support = {
    support: {
      'master1:aaa': { role: 'primary_master', shards: [[-1, -1]], debug_info: '16315551000' },
      'wacore1:bbb': { role: 'coreapp', shards: [[0, 0]] },
      'wacore2:ccc': { errors: [{ code: 1014, title: 'Internal error', details: 'wacore2:6253 unreachable' }] },
    },
  };

  it('lists the nodes of a cluster and of a single instance', () => {
    assert.deepEqual(parseSupportBody(support).map((n) => n.key), ['master1:aaa', 'wacore1:bbb', 'wacore2:ccc']);
    assert.deepEqual(parseSupportBody({ support: { context: 'healthcheck', version: '2.51.2' } }).map((n) => n.key), ['']);
    assert.throws(() => parseSupportBody({ support: { 'wacore1:b': { shards: [[0]] } } }), /support.wacore1:b.shards\[0\] must be \[first, last\]/);
  });

  it('names the shards nobody owns', () => {
    assert.deepEqual(unownedShards(4, parseSupportBody(support)), [1, 2, 3]);
    assert.deepEqual(unownedShards(1, parseSupportBody({ support: { 'wacore1:b': { shards: [[-1, -1], [0, 0]] } } })), []);
  });

  it('checks health bodies', () => {
    assert.ok(parseHealthBody({ health: { gateway_status: 'connected' } }));
    assert.ok(parseHealthBody({ health: { 'w:c': support.support['wacore2:ccc'], 'm:a': { gateway_status: 'connected', role: 'primary_master' } } }));
    assert.throws(() => parseHealthBody({ health: { 'w:c': { gateway_status: 'unreachable' } } }), /health.w:c.gateway_status must be one of/);
    assert.throws(() => parseHealthBody({ health: { 'w:c': {} } }), /a gateway_status or errors/);
  });

  it('checks stats keyed by node and metrics', () => {
    const family = { type: 'gauge', help: 'h', data: [{ labels: { node: 'x' }, value: 3 }] };
    assert.deepEqual(parseStatsBody({ stats: { db: { 'm:1': { db_messages: family }, 'w:2': {} } } }, 'db').map((n) => n.key), ['m:1', 'w:2']);
    assert.deepEqual(parseStatsBody({ stats: { app: { uptime: family } } }, 'app').map((n) => n.key), ['']);
    assert.ok(parseMetricsBody({ metrics: { web_uptime: family } }));
    assert.throws(() => parseMetricsBody({ metrics: { web_uptime: { ...family, type: 'histogram' } } }), /metrics.web_uptime.type must be one of gauge, counter/);
  });

  it('checks webhook callbacks and the retry delay', () => {
    assert.ok(parseWebhookCallback({ statuses: [{ id: 'gBEG1', recipient_id: '1', status: 'read', timestamp: '1' }] }));
    assert.ok(parseWebhookCallback({ contacts: [{ profile: { name: 'A' }, wa_id: '1' }], messages: [{ from: '1', id: 'x', timestamp: '1', type: 'text', text: { body: 'hi' } }] }));
    assert.throws(() => parseWebhookCallback({ statuses: [{ id: 'g', recipient_id: '1', status: 'seen', timestamp: '1' }] }), /statuses\[0\].status/);
    assert.throws(() => parseWebhookCallback({}), ShapeError);
    assert.deepEqual([1, 2, 3, 400].map((n) => callbackRetryDelayMs(n, 3000, 900000)), [3000, 6000, 9000, 900000]);
  });
});

describe('account bodies and the failover bound', () => {
  it('reads the shard count once, in Meta\'s shape or wrapped in an array, and names a missing one', () => {
    assert.equal(parseShardsBody({ account: { shards: 4 } }).account.shards, 4);
    assert.equal(parseShardsBody({ account: [{ shards: 2 }] }).account.shards, 2);
    assert.throws(() => parseShardsBody({ account: {} }), /account\.shards must be a number, not missing/);
    assert.deepEqual(parseRegistrationBody({ account: [{ vname: 'Acme' }] }).account, [{ vname: 'Acme' }]);
    assert.deepEqual(parseRegistrationBody(undefined), {}, '201 for a number already registered has no payload');
  });

  it('takes Meta\'s defaults where a cluster reports no interval: 30 s + one 5 s heartbeat', () => {
    assert.deepEqual(failoverIntervals({}), { heartbeat: 5, unhealthy: 30 });
    assert.deepEqual(failoverIntervals({ heartbeat_interval: 1, unhealthy_interval: 0 }), { heartbeat: 1, unhealthy: 30 });
    assert.equal(failoverBound(failoverIntervals({})), 35);
    assert.equal(failoverBound({ heartbeat: 1, unhealthy: 3 }), 4);
  });

  it('names every route once, by method and path', () => {
    const keys = Object.values(ROUTES).map(routeKey);
    assert.equal(new Set(keys).size, keys.length);
    assert.ok(Object.values(ROUTES).every((r) => r.path === '/' || r.path.startsWith('/v1/') || r.path === '/metrics'));
  });
});

describe('HTTP statuses of the error catalogue', () => {
  it('follow the 2019 webapp for 1011, 1017, 1018 (500) and 1024 (401); 1015 is 429', () => {
    const status = (code: KnownErrorCode) => new ApiError(code, 'x').httpStatus;
    assert.deepEqual(([1011, 1014, 1015, 1017, 1018, 1022, 1024] as const).map(status), [500, 500, 429, 500, 500, 400, 401]);
  });
});
