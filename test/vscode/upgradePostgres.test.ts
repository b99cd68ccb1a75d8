// The guide's basic upgrade on a Postgres cluster, through "WABA: Upgrade Cluster"
// (WABA_SUITE=upgradePostgres): the workspace is a Postgres cluster folder on 2.51.2 made by
// emulator/scripts/cluster-folder.mjs; there is no DB upgrade job for Postgres, so the command
// takes the basic path (new WA_API_VERSION in .env, up -d) after a one-click settings backup.
// The runner removes the cluster afterwards.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Docker from 'dockerode';
import * as vscode from 'vscode';
import { connectAsAdmin, gateway, registerFromPanel, until, webappFingerprint } from './clusterSteps';
import { activateExtension, describeItems, refreshUntil, workspaceProjectName, type WabaClusterApi } from './support';

(process.env.WABA_SUITE === 'upgradePostgres' ? describe : describe.skip)('Upgrade Cluster on Postgres (the basic path)', function () {
  this.timeout(420_000);
  let api: WabaClusterApi;
  const project = workspaceProjectName();
  const folder = () => vscode.workspace.workspaceFolders![0].uri.fsPath;

  before(async () => { ({ api } = await activateExtension()); });

  it('a registered Postgres cluster on 2.51.2', async () => {
    assert.match(readFileSync(`${folder()}/db.env`, 'utf8'), /^WA_DB_ENGINE=PGSQL$/m);
    assert.equal(await vscode.commands.executeCommand('wabaCluster.up'), true);
    const items = await refreshUntil(api, (i) => i.filter((n) => /running/.test(n.description ?? '')).length === 7, 120_000);
    assert.equal(items.length, 7, describeItems(items));
    await connectAsAdmin(await webappFingerprint(60_000));
    await until('one primary master, unregistered', gateway(api, 'primary_master'), (g) => g.length === 1 && g[0] === 'unregistered');
    await registerFromPanel(api, project);
    await until('one coreapp connected (HA)', gateway(api, 'coreapp'), (g) => g.filter((s) => s === 'connected').length === 1);
    assert.equal(api.health().version, 'v2.51.2');
  });

  it('upgrades to 2.53.1 with a backup first: every node back on the new version, registration kept', async () => {
    const started = Date.now();
    const backupFile = join(folder(), 'waba-settings-backup-before-2.53.1.wabackup');
    const upgraded = await vscode.commands.executeCommand('wabaCluster.upgrade', { version: '2.53.1', confirmed: true, backupPassword: 'Backup-Passw0rd!', backupFile });
    console.log(`      Upgrade Cluster (basic path, Postgres) took ${((Date.now() - started) / 1000).toFixed(1)} s`);
    assert.equal(upgraded, true, 'the command reports success (it waits for every node to leave uninitialized on 2.53.1)');
    assert.match(readFileSync(`${folder()}/.env`, 'utf8'), /^WA_API_VERSION=2\.53\.1$/m);
    const backups = readdirSync(folder()).filter((f) => f.startsWith('waba-settings-backup-'));
    assert.deepEqual(backups, ['waba-settings-backup-before-2.53.1.wabackup'], 'one settings backup written before upgrading, where the user picked');
    assert.ok(existsSync(backupFile) && JSON.parse(readFileSync(backupFile, 'utf8')).data.length > 20);

    const health = api.health();
    assert.equal(health.version, 'v2.53.1');
    assert.deepEqual((health.nodes ?? []).filter((n) => n.gatewayStatus === 'uninitialized').map((n) => n.key), [], 'no node left uninitialized');
    await until('the registration kept: one coreapp connected on 2.53.1', gateway(api, 'coreapp'), (g) => g.filter((s) => s === 'connected').length === 1, 120_000);

    const containers = await new Docker().listContainers({ filters: { label: [`com.docker.compose.project=${project}`] } });
    const cluster = containers.filter((c) => c.Labels['com.docker.compose.service'] !== 'db');
    assert.equal(cluster.length, 6);
    assert.deepEqual(cluster.filter((c) => !c.Image.endsWith(':v2.53.1')).map((c) => `${c.Names[0]} ${c.Image}`), [], 'every WhatsApp container runs the new image');
  });
});
