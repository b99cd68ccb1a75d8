import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../src/logic/envelope';
import { parseAccountRequest, parseNewPassword, parseSettingsPatch, parseShardsRequest, parseTextMessage } from '../../src/logic/requests';
import { passwordProblem } from '../../../src/contract';
import { mergeSettings, withDefaults } from '../../src/logic/settings';

function apiError(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ApiError, String(e));
    return e;
  }
  assert.fail('expected an ApiError');
}

test('account registration: a missing field is 1008 and named, a bad value 1009 and named', () => {
  const missing = apiError(() => parseAccountRequest({ cc: '1', method: 'sms', cert: 'Zm9v' }));
  assert.equal(missing.code, 1008);
  assert.match(missing.details, /phone_number/);
  const bad = apiError(() => parseAccountRequest({ cc: '1', phone_number: '555', method: 'fax', cert: 'Zm9v' }));
  assert.equal(bad.code, 1009);
  assert.match(bad.details, /method/);
  assert.deepEqual(parseAccountRequest({ cc: '1', phone_number: '6315551000', method: 'voice', cert: 'Zm9v' }),
    { cc: '1', phone: '6315551000', method: 'voice', cert: 'Zm9v', pin: undefined });
});

test('shards accept 1, 2, 4, 8, 16, 32 only', () => {
  const base = { cc: '1', phone_number: '6315551000' };
  assert.equal(parseShardsRequest({ ...base, shards: 2 }).shards, 2);
  assert.equal(parseShardsRequest({ ...base, shards: '4' }).shards, 4);
  const e = apiError(() => parseShardsRequest({ ...base, shards: 3 }));
  assert.equal(e.code, 1009);
  assert.match(e.details, /shards/);
});

test('passwords need 8-64 chars, digit, upper, lower and special', () => {
  assert.equal(passwordProblem('Secret-123'), undefined);
  assert.match(passwordProblem('secret-123') ?? '', /upper/);
  assert.match(passwordProblem('Secret123') ?? '', /special/);
  assert.match(passwordProblem('S-1a') ?? '', /8 to 64/);
  assert.equal(apiError(() => parseNewPassword({ new_password: 'short' })).code, 1009);
});

test('messages: recipient and text body are required; templates need a namespace (2014)', () => {
  assert.deepEqual(parseTextMessage({ to: '16315551001', type: 'text', text: { body: 'hi' } }), { to: '16315551001', type: 'text', body: 'hi' });
  assert.match(apiError(() => parseTextMessage({ type: 'text', text: { body: 'hi' } })).details, /to/);
  assert.equal(apiError(() => parseTextMessage({ to: '16315551001', text: {} })).code, 1008);
  assert.equal(apiError(() => parseTextMessage({ to: '16315551001', text: { body: 'x'.repeat(4097) } })).code, 1001);
  assert.equal(apiError(() => parseTextMessage({ to: '16315551001', type: 'template', template: { name: 't' } })).code, 2014);
});

test('settings patch: known fields only, typed', () => {
  assert.deepEqual(parseSettingsPatch({ heartbeat_interval: 1, unhealthy_interval: 4 }), { heartbeat_interval: 1, unhealthy_interval: 4 });
  assert.match(apiError(() => parseSettingsPatch({ heartbeat_interval: -1 })).details, /heartbeat_interval/);
  assert.equal(apiError(() => parseSettingsPatch({ bogus: 1 })).code, 1010);
});

test('settings patch: nested fields by their dotted name, digit strings for numbers, stored merged with defaults', () => {
  const patch = parseSettingsPatch({ webhooks: { url: 'https://hook:8443/in', message: { sent: true } }, callback_backoff_delay_ms: '1000' });
  assert.deepEqual(patch, { webhooks: { url: 'https://hook:8443/in', message: { sent: true } }, callback_backoff_delay_ms: 1000 });
  const merged = withDefaults(mergeSettings(withDefaults({ garbagecollector_enable: { media: false } }), patch)) as any;
  assert.deepEqual(merged.webhooks, { url: 'https://hook:8443/in', max_concurrent_requests: 6, message: { sent: true, delivered: true, read: true } });
  assert.equal(merged.garbagecollector_enable, undefined, 'undocumented keys of older emulators are dropped');
  const nested = apiError(() => parseSettingsPatch({ webhooks: { max_concurrent_requests: 7 } }));
  assert.equal(nested.code, 1009);
  assert.equal(nested.details, 'Invalid value for parameter webhooks.max_concurrent_requests: must be one of 6, 12, 18, 24');
  assert.equal(apiError(() => parseSettingsPatch({ webhooks: { colour: 'red' } })).details, 'Unknown parameter: webhooks.colour');
  assert.equal(apiError(() => parseSettingsPatch({ pass_through: true })).code, 1009);
  assert.equal(apiError(() => parseSettingsPatch({})).code, 1008);
});
