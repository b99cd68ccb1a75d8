// Remove Cluster and Delete Data (WABA_SUITE=...,uninstall, last on the compose v2 run's cluster,
// which it deletes): the guide's `down -v`, with the settings backup it recommends offered first.
// A backup that cannot be written deletes nothing; a written one is followed by `down -v`.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import * as vscode from 'vscode';
import { openPreview, readBackupText } from '../../src/settings/backupFile';
import { twoShardCluster } from './clusterSteps';
import { activateExtension, refreshUntil, workspaceProjectName, type WabaClusterApi } from './support';

const BACKUP_PASSWORD = 'Backup-Passw0rd!';

(process.env.WABA_SUITE?.split(',').includes('uninstall') ? describe : describe.skip)('Remove Cluster and Delete Data, with a backup first', function () {
  this.timeout(180_000);
  const docker = new Docker();
  const project = workspaceProjectName();
  const label = { label: [`com.docker.compose.project=${project}`] };
  const scratch = mkdtempSync(join(tmpdir(), 'waba-uninstall-'));
  let api: WabaClusterApi;

  const containers = async () => (await docker.listContainers({ all: true, filters: label })).length;
  const volumes = async () => ((await docker.listVolumes({ filters: label })).Volumes ?? []).map((v) => v.Name).sort();

  before(async () => { ({ api } = await activateExtension()); });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('a backup that cannot be written stops the removal: every container and volume is kept', async () => {
    await twoShardCluster(api, project);
    const before = { containers: await containers(), volumes: await volumes() };
    assert.ok(before.containers >= 7 && before.volumes.length >= 2, JSON.stringify(before));
    // A folder where the backup file should go: writing it fails.
    const removed = await vscode.commands.executeCommand('wabaCluster.uninstall', { choice: 'backUp', backup: { password: BACKUP_PASSWORD, file: scratch } });
    assert.notEqual(removed, true);
    assert.deepEqual({ containers: await containers(), volumes: await volumes() }, before);
  });

  it('"Back Up Settings, Then Delete" writes the backup, then down -v removes containers and volumes', async () => {
    const file = join(scratch, 'before-uninstall.wabackup');
    const removed = await vscode.commands.executeCommand('wabaCluster.uninstall', { choice: 'backUp', backup: { password: BACKUP_PASSWORD, file } });
    assert.equal(removed, true);
    const backup = readBackupText(readFileSync(file, 'utf8'));
    assert.equal(backup.kind, 'extension');
    if (backup.kind === 'extension') {
      assert.ok(backup.file.data.length > 40, 'the webapp\'s backup data is in the file');
      assert.ok(openPreview(backup.file, BACKUP_PASSWORD), 'the password opens what the backup holds');
    }
    assert.equal(await containers(), 0);
    assert.deepEqual(await volumes(), []);
    await refreshUntil(api, (items) => items.length === 0, 30_000);
  });
});
