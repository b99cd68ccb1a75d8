// The application settings editor: the form model from the contract (ranges, checks naming the
// field, the diff a user confirms, masked webhook secrets) and the editor workflow against a fake
// webapp (nothing sent before confirmation, only changed fields sent, refusals at their field).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SETTING_FIELDS } from '../../src/contract';
import { SettingsEditor } from '../../src/settings/settingsEditor';
import { describeChange, diffSettings, fieldNamedIn, maskUrl, planSettingsChange, settingRows } from '../../src/settings/settingsForm';
import { FieldValidationError } from '../../src/settings/fieldValidationError';
import { FakeAdminApi } from './fakes/fakeAdminApi';

describe('settings form model', () => {
  it('has one row per documented field, with its meaning, range and the reported value', () => {
    const webapp = new FakeAdminApi();
    const rows = settingRows(webapp.settings);
    assert.deepEqual(rows.map((r) => r.path), SETTING_FIELDS.map((f) => f.path));
    const unhealthy = rows.find((r) => r.path === 'unhealthy_interval')!;
    assert.equal(unhealthy.value, 30);
    assert.equal(unhealthy.range, 'whole number ≥ 1 (s)');
    assert.match(unhealthy.meaning, /fails over/);
    assert.equal(rows.find((r) => r.path === 'webhooks.max_concurrent_requests')!.range, 'one of 6, 12, 18, 24');
    assert.equal(rows.find((r) => r.path === 'callback_persist')!.restartRequired, true);
    assert.equal(settingRows({}).find((r) => r.path === 'heartbeat_interval')!.value, undefined, 'a field an older webapp does not report');
  });

  it('plans only the fields that change, nested as Meta nests them, and says each change', () => {
    const plan = planSettingsChange(new FakeAdminApi().settings, {
      unhealthy_interval: '3', heartbeat_interval: 5, 'webhooks.url': 'https://hooks.example.com/wa', 'webhooks.message.sent': true, 'media.auto_download': ['image', 'video'],
    });
    assert.deepEqual(plan.errors, {});
    assert.deepEqual(plan.patch, { unhealthy_interval: 3, webhooks: { url: 'https://hooks.example.com/wa', message: { sent: true } }, media: { auto_download: ['image', 'video'] } });
    assert.deepEqual(plan.changes.map(describeChange), [
      'unhealthy_interval 30 s → 3 s', 'media.auto_download (none) → image, video', 'webhooks.url (none) → https://hooks.example.com/wa', 'webhooks.message.sent off → on',
    ], 'in the editor\'s (the contract\'s) order');
  });

  it('refuses bad values and unknown fields, naming the field, and plans nothing for them', () => {
    const plan = planSettingsChange(new FakeAdminApi().settings, {
      unhealthy_interval: '0', heartbeat_interval: 'often', 'webhooks.max_concurrent_requests': '7', 'webhooks.url': 'ftp://x', 'webhooks.colour': 'blue', 'media.auto_download': ['gif'],
    });
    assert.deepEqual(plan.changes, []);
    assert.deepEqual(plan.errors, {
      unhealthy_interval: 'unhealthy_interval must be a whole number of at least 1',
      heartbeat_interval: 'heartbeat_interval must be a whole number of at least 1',
      'webhooks.max_concurrent_requests': 'webhooks.max_concurrent_requests must be one of 6, 12, 18, 24',
      'webhooks.url': 'webhooks.url must start with https://',
      'webhooks.colour': 'webhooks.colour is not an application setting Meta documents',
      'media.auto_download': 'media.auto_download must be a list of audio, document, image, sticker, video, voice',
    });
  });

  it('never shows a webhook URL\'s password or query, and takes the masked text back as "unchanged"', () => {
    const secretUrl = 'https://bot:s3cret@hooks.example.com/wa?token=abc';
    assert.equal(maskUrl(secretUrl), 'https://bot:•••@hooks.example.com/wa?•••');
    const current = { webhooks: { url: secretUrl } };
    const row = settingRows(current).find((r) => r.path === 'webhooks.url')!;
    assert.equal(row.value, 'https://bot:•••@hooks.example.com/wa?•••');
    assert.deepEqual(planSettingsChange(current, { 'webhooks.url': row.value as string }).changes, []);
    const changed = planSettingsChange(current, { 'webhooks.url': '' });
    assert.deepEqual(changed.changes.map(describeChange), ['webhooks.url https://bot:•••@hooks.example.com/wa?••• → (none)']);
  });

  it('diffs two settings bodies over the documented fields (a restore preview)', () => {
    const a = new FakeAdminApi().settings;
    const b = structuredClone(a) as Record<string, unknown>;
    b.unhealthy_interval = 3;
    (b.webhooks as Record<string, unknown>).max_concurrent_requests = 12;
    assert.deepEqual(diffSettings(a, b).map(describeChange), ['unhealthy_interval 30 s → 3 s', 'webhooks.max_concurrent_requests 6 → 12']);
    assert.deepEqual(diffSettings(a, {}), [], 'a field the backup lacks is not a change');
  });

  it('finds the field a webapp error names', () => {
    const sent = ['webhooks.url', 'unhealthy_interval', 'webhooks.message.sent'];
    assert.equal(fieldNamedIn('Invalid value for parameter webhooks.url: must be https', sent), 'webhooks.url');
    assert.equal(fieldNamedIn('Invalid value for parameter webhooks.message.sent: must be true or false', sent), 'webhooks.message.sent');
    assert.equal(fieldNamedIn('Parameter value is not valid', sent), undefined);
  });
});

describe('SettingsEditor', () => {
  it('asks first: without confirmation nothing is sent, the answer lists the changes', async () => {
    const webapp = new FakeAdminApi();
    const editor = new SettingsEditor(() => webapp);
    const asked = await editor.apply({ unhealthy_interval: '10', callback_persist: false }, false);
    assert.deepEqual(asked, { applied: false, question: 'Apply 2 changes to the application settings?', changes: ['callback_persist on → off', 'unhealthy_interval 30 s → 10 s'], restartRequired: ['callback_persist'] });
    assert.ok(!webapp.calls.some((c) => c.startsWith('PATCH')), webapp.calls.join(', '));
    assert.equal(webapp.get('unhealthy_interval'), 30);
  });

  it('applies a confirmed change with one PATCH of the changed fields and shows the settings read back', async () => {
    const webapp = new FakeAdminApi();
    const editor = new SettingsEditor(() => webapp);
    const applied = await editor.apply({ unhealthy_interval: '3', heartbeat_interval: '1', 'webhooks.max_concurrent_requests': '6' }, true);
    assert.equal(applied.applied, true);
    assert.deepEqual(applied.changes, ['heartbeat_interval 5 s → 1 s', 'unhealthy_interval 30 s → 3 s']);
    assert.equal(webapp.calls.filter((c) => c.startsWith('PATCH')).length, 1);
    assert.equal(webapp.get('unhealthy_interval'), 3);
    assert.ok(applied.applied && applied.settings.rows.find((r) => r.path === 'heartbeat_interval')!.value === 1);
    assert.ok(applied.applied && applied.unconfirmed.length === 0);
  });

  it('refuses invalid input before sending anything, each error at its field', async () => {
    const webapp = new FakeAdminApi();
    const error = await new SettingsEditor(() => webapp).apply({ unhealthy_interval: '-1', 'webhooks.url': 'not a url' }, true).catch((e: unknown) => e);
    assert.ok(error instanceof FieldValidationError);
    assert.deepEqual(Object.keys(error.fieldErrors).sort(), ['unhealthy_interval', 'webhooks.url']);
    assert.ok(!webapp.calls.some((c) => c.startsWith('PATCH')));
  });

  it('reports what the webapp refuses at the field it names, and changes nothing', async () => {
    const webapp = new FakeAdminApi();
    webapp.httpsOnly = true;
    const error = await new SettingsEditor(() => webapp).apply({ 'webhooks.url': 'http://10.0.0.1/hook', unhealthy_interval: '3' }, true).catch((e: unknown) => e);
    assert.ok(error instanceof FieldValidationError, String(error));
    assert.match(error.fieldErrors['webhooks.url'], /^webhooks\.url: the webapp refused it \(1009 Invalid value for parameter webhooks\.url: must be https\)/);
    assert.equal(webapp.get('unhealthy_interval'), 30, 'one PATCH: nothing half-applied');
  });

  it('says there is nothing to apply when the form has the current values', async () => {
    await assert.rejects(new SettingsEditor(() => new FakeAdminApi()).apply({ unhealthy_interval: '30' }, true), /Nothing to apply/);
  });
});
