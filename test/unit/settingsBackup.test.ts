// Settings backup and restore without VS Code: the file holds Meta's blob and a preview only the
// password opens; a restore says what will change before anything is sent, refuses a wrong password
// before the webapp sees it, and reads back what changed. Files written whole, owner-only.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { backupFileText, readBackupText, writeBackupFile } from '../../src/settings/backupFile';
import { applyRestore, planRestore, takeBackup } from '../../src/settings/settingsRestore';
import { FakeAdminApi } from './fakes/fakeAdminApi';

const PASSWORD = 'Backup-Passw0rd!';

describe('settings backup and restore', () => {
  const dir = mkdtempSync(join(tmpdir(), 'waba-backup-test-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('backs up to a file that tells nothing without the password', async () => {
    const webapp = new FakeAdminApi();
    webapp.settings.unhealthy_interval = 3;
    (webapp.settings.webhooks as Record<string, unknown>).url = 'https://bot:s3cret@hooks.example.com/wa';
    const file = await takeBackup(webapp.api, PASSWORD, { webapp: 'https://127.0.0.1:9090', apiVersion: 'v2.53.1' });
    const path = join(dir, 'settings.wabackup');
    writeBackupFile(path, file);
    const text = readFileSync(path, 'utf8');
    assert.equal(statSync(path).mode & 0o777, 0o600, 'readable by its owner only');
    assert.ok(!/s3cret|hooks\.example|unhealthy/.test(text), 'neither the settings nor the webhook password in clear');
    assert.deepEqual(readdirSync(dir), ['settings.wabackup'], 'no partial file left');
    const read = readBackupText(text);
    assert.equal(read.kind, 'extension');
    assert.equal(read.kind === 'extension' && read.file.apiVersion, 'v2.53.1');
  });

  it('refuses a short password before asking the webapp', async () => {
    const webapp = new FakeAdminApi();
    await assert.rejects(takeBackup(webapp.api, 'short'), /at least 8 characters/);
    assert.deepEqual(webapp.calls, []);
  });

  it('backup → change → restore: shows what will change, then returns the old values', async () => {
    const webapp = new FakeAdminApi();
    webapp.settings.unhealthy_interval = 3;
    const text = backupFileText(await takeBackup(webapp.api, PASSWORD));
    webapp.settings.unhealthy_interval = 10;
    webapp.settings.heartbeat_interval = 2;

    const plan = await planRestore(webapp.api, text, PASSWORD);
    assert.equal(plan.previewed, true);
    assert.deepEqual(plan.changes, ['heartbeat_interval 2 s → 5 s', 'unhealthy_interval 10 s → 3 s']);
    assert.ok(!webapp.calls.includes('POST /v1/settings/restore'), 'planning sends nothing');

    const changed = await applyRestore(webapp.api, plan, PASSWORD);
    assert.deepEqual(changed, plan.changes, 'what changed, read back from the webapp');
    assert.equal(webapp.get('unhealthy_interval'), 3);
    assert.equal(webapp.get('heartbeat_interval'), 5);
  });

  it('a wrong password is caught by the preview: the webapp never sees the restore', async () => {
    const webapp = new FakeAdminApi();
    const text = backupFileText(await takeBackup(webapp.api, PASSWORD));
    await assert.rejects(planRestore(webapp.api, text, 'Wrong-Passw0rd!'), /password does not open this backup.*Nothing was sent/);
    assert.ok(!webapp.calls.includes('POST /v1/settings/restore'));
  });

  it('restores a bare blob (a curl backup) without a preview, and names a file that is no backup', async () => {
    const webapp = new FakeAdminApi();
    const blob = (webapp.call<{ settings: { data: string } }>('POST', '/v1/settings/backup', { password: PASSWORD }));
    const bare = `${(await blob).body.settings.data}\n`;
    const plan = await planRestore(webapp.api, bare, PASSWORD);
    assert.deepEqual({ previewed: plan.previewed, changes: plan.changes }, { previewed: false, changes: [] });
    assert.throws(() => readBackupText('{"hello": 1}'), /not a settings backup of this extension/);
    assert.throws(() => readBackupText('multiconnect-compose.yml: services: {}'), /not a settings backup/);
  });

  it('never leaves a half-written file where it could not write', async () => {
    // A folder where the file should go: the temporary file is written, the rename over it fails.
    const target = join(dir, 'taken');
    mkdirSync(target);
    const file = await takeBackup(new FakeAdminApi().api, PASSWORD);
    assert.throws(() => writeBackupFile(target, file), /Cannot write the backup to .*taken/);
    assert.ok(statSync(target).isDirectory(), 'what was there is untouched');
    assert.deepEqual(readdirSync(dir).filter((f) => f.includes('.partial')), [], 'no partial file left');
  });
});
