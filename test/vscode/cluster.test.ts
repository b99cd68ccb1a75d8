// The emulated cluster end to end, through the extension as a user drives it (WABA_SUITE=cluster):
// the workspace is a cluster folder made by emulator/scripts/cluster-folder.mjs (Meta's MySQL
// multiconnect-compose.yml + the emulator override). The runner removes the cluster afterwards.
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { NEW_PASSWORD, PHONE, connectAsAdmin, gateway as gatewayOf, registerFromPanel, until, webappFingerprint } from './clusterSteps';
import { activateExtension, describeItems, refreshUntil, workspaceProjectName, type WabaClusterApi } from './support';

(process.env.WABA_SUITE?.split(',').includes('cluster') ? describe : describe.skip)('The emulated cluster, driven from VS Code', function () {
  this.timeout(180_000);
  let api: WabaClusterApi;
  const project = workspaceProjectName();
  const gateway = (role: string) => gatewayOf(api, role);

  before(async () => { ({ api } = await activateExtension()); });

  it('starts the cluster with "WABA: Start Cluster" and lists every node', async () => {
    assert.equal(await vscode.commands.executeCommand('wabaCluster.up'), true);
    const items = await refreshUntil(api, (i) => i.filter((n) => /running/.test(n.description ?? '')).length === 7, 120_000);
    assert.deepEqual(items.map((i) => i.label), ['db', 'waweb', 'master1', 'master2', 'wacore1', 'wacore2', 'wacore3'], describeItems(items));
  });

  it('connects with a pinned certificate, changes the default password and shows health in the tree', async () => {
    const fingerprint = await webappFingerprint(60_000);
    const wrong = await vscode.commands.executeCommand('wabaCluster.connect', { username: 'admin', password: 'secret', newPassword: NEW_PASSWORD, trustFingerprint: 'AA:BB' });
    assert.equal(wrong, false, 'a different fingerprint is refused');
    await connectAsAdmin(fingerprint);
    await until('one primary master, unregistered', gateway('primary_master'), (g) => g.length === 1 && g[0] === 'unregistered');
    const items = await refreshUntil(api, (i) => i.some((n) => n.description === 'primary_master · unregistered'));
    assert.ok(items.some((n) => n.description === 'primary_master · unregistered'), describeItems(items));
  });

  it('registers the number from the cluster panel: request code, read it from the primary master log, verify', async () => {
    const bad = await api.panelRequest('requestCode', { ...PHONE, method: 'fax', cert: '' });
    assert.equal(bad.ok, false);
    assert.ok(bad.fieldErrors?.method && bad.fieldErrors?.cert, JSON.stringify(bad));

    await registerFromPanel(api, project);
    await until('one coreapp connected (HA)', gateway('coreapp'), (g) => g.filter((s) => s === 'connected').length === 1);
  });

  it('sets 2 shards only after confirmation; two coreapps and the primary master connect', async () => {
    const asked = await api.panelRequest('setShards', { ...PHONE, shards: 2 });
    assert.equal(asked.ok, true, asked.error);
    assert.match(JSON.stringify(asked.result), /"applied":false.*Set 2 shards for \+1 6315551000\?/);
    const applied = await api.panelRequest('setShards', { ...PHONE, shards: 2, confirmed: true });
    assert.deepEqual(applied.result, { applied: true }, applied.error);
    await until('2 coreapps + primary master connected', () => [...gateway('coreapp')(), ...gateway('primary_master')()], (g) => g.filter((s) => s === 'connected').length === 3);
    // The shard map of /v1/support in the tree: each owner's shard, the standby, the control shard.
    const shardRows = (i: Array<{ description?: string }>) => i.map((n) => n.description ?? '').filter((d) => /^(coreapp|primary_master)/.test(d)).sort();
    const items = await refreshUntil(api, (i) => shardRows(i).join() === 'coreapp · connected · shard 0,coreapp · connected · shard 1,coreapp · disconnected · standby,primary_master · connected · control shard');
    assert.deepEqual(shardRows(items), ['coreapp · connected · shard 0', 'coreapp · connected · shard 1', 'coreapp · disconnected · standby', 'primary_master · connected · control shard'], describeItems(items));
  });

  it('backs up the settings, then upgrades 2.51.2 -> 2.53.1 with the DB upgrade job, keeping registration and shards', async () => {
    // Where the user picks (the save dialog's answer), not into the cluster folder.
    const picked = join(mkdtempSync(join(tmpdir(), 'waba-backup-')), 'before-upgrade.wabackup');
    const backup = await vscode.commands.executeCommand<string>('wabaCluster.backupSettings', { password: 'Backup-Passw0rd!', file: picked });
    assert.equal(backup, picked);
    assert.ok(existsSync(picked) && JSON.parse(readFileSync(picked, 'utf8')).data.length > 20, 'an encrypted backup file where the user picked');
    rmSync(dirname(picked), { recursive: true, force: true });
    assert.equal(api.health().version, 'v2.51.2');
    assert.equal(await vscode.commands.executeCommand('wabaCluster.upgrade', { version: '2.53.1', confirmed: true }), true);
    const folder = vscode.workspace.workspaceFolders![0].uri.fsPath;
    assert.match(readFileSync(`${folder}/.env`, 'utf8'), /^WA_API_VERSION=2\.53\.1$/m);
    await until('health from 2.53.1 with the shards kept', () => api.health(),
      (h) => h.version === 'v2.53.1' && (h.nodes ?? []).filter((n) => n.role === 'coreapp' && n.gatewayStatus === 'connected').length === 2, 120_000);
  });

  it('tails a node log into an output channel and collects all logs into debug_output.txt', async () => {
    const items = await api.treeSnapshot();
    const waweb = items.find((i) => i.label === 'waweb')!;
    assert.equal(await vscode.commands.executeCommand('wabaCluster.tailLogs', waweb), 'waweb');
    const file = await vscode.commands.executeCommand<string>('wabaCluster.collectLogs');
    assert.ok(file && existsSync(file), 'debug_output.txt was written');
    const text = readFileSync(file, 'utf8');
    // docker-compose 1.29 prefixes each line with "<service>_<index> |", compose v2 with "<service>-<index> |".
    for (const service of ['waweb', 'master1', 'wacore1']) assert.match(text, new RegExp(`^${service}[-_]1 +\\| `, 'm'), `${service} lines in debug_output.txt: ${text.slice(0, 300)}`);
  });

  it('after the cluster is re-created with its data (down -v), trusts the new certificate and logs in again', async () => {
    const folder = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const before = await webappFingerprint(10_000);
    const { execFileSync } = await import('node:child_process');
    // In a terminal, with the compose CLI of this run (WABA_COMPOSE).
    const [cli, ...prefix] = (process.env.WABA_COMPOSE || 'docker-compose').split(' ');
    execFileSync(cli, [...prefix, 'down', '-v', '-t', '2'], { cwd: folder, stdio: 'ignore' });
    execFileSync(cli, [...prefix, 'up', '-d'], { cwd: folder, stdio: 'ignore' });
    const after = await webappFingerprint(90_000);
    assert.notEqual(after, before, 'a re-created cluster has a new certificate');
    const connected = await until('login on the re-created cluster',
      () => vscode.commands.executeCommand('wabaCluster.connect', { username: 'admin', password: 'secret', newPassword: NEW_PASSWORD, trustFingerprint: after }), (ok) => ok === true, 90_000);
    assert.equal(connected, true);
    await until('the re-created cluster is unregistered again', gateway('primary_master'), (g) => g.length === 1 && g[0] === 'unregistered');
  });
});
