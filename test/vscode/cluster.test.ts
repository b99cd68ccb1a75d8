// The emulated cluster end to end, through the extension as a user drives it (WABA_SUITE=cluster):
// the workspace is a cluster folder made by emulator/scripts/cluster-folder.mjs (Meta's MySQL
// multiconnect-compose.yml + the emulator override). The runner removes the cluster afterwards.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { connect } from 'node:tls';
import Docker from 'dockerode';
import * as vscode from 'vscode';
import { certForVname } from '../../emulator/src/logic/vname';
import { activateExtension, describeItems, refreshUntil, sleep, workspaceProjectName, type WabaClusterApi } from './support';

const PHONE = { cc: '1', phone_number: '6315551000' };
const NEW_PASSWORD = 'Cluster-Test-2026!';

/** The webapp's certificate fingerprint, read the way a user would read it off the browser. */
async function webappFingerprint(timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const fp = await new Promise<string | undefined>((resolve) => {
      const s = connect({ host: '127.0.0.1', port: 9090, rejectUnauthorized: false }, () => { resolve(s.getPeerCertificate().fingerprint256); s.end(); });
      s.on('error', () => resolve(undefined));
    });
    if (fp) return fp;
    if (Date.now() > deadline) throw new Error('the webapp never answered TLS on 127.0.0.1:9090');
    await sleep(500);
  }
}

async function until<T>(what: string, read: () => T | Promise<T>, accept: (v: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)}`);
    await sleep(500);
  }
}

(process.env.WABA_SUITE === 'cluster' ? describe : describe.skip)('The emulated cluster, driven from VS Code', function () {
  this.timeout(180_000);
  let api: WabaClusterApi;
  const docker = new Docker();
  const project = workspaceProjectName();
  const gateway = (role: string) => () => (api.health().nodes ?? []).filter((n) => n.role === role).map((n) => n.gatewayStatus);

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
    const connected = await until('login (the webapp may still be starting)',
      () => vscode.commands.executeCommand('wabaCluster.connect', { username: 'admin', password: 'secret', newPassword: NEW_PASSWORD, trustFingerprint: fingerprint }), (ok) => ok === true, 60_000);
    assert.equal(connected, true);
    await until('one primary master, unregistered', gateway('primary_master'), (g) => g.length === 1 && g[0] === 'unregistered');
    const items = await refreshUntil(api, (i) => i.some((n) => n.description === 'primary_master · unregistered'));
    assert.ok(items.some((n) => n.description === 'primary_master · unregistered'), describeItems(items));
  });

  it('registers the number from the cluster panel: request code, read it from the primary master log, verify', async () => {
    const bad = await api.panelRequest('requestCode', { ...PHONE, method: 'fax', cert: '' });
    assert.equal(bad.ok, false);
    assert.ok(bad.fieldErrors?.method && bad.fieldErrors?.cert, JSON.stringify(bad));

    const requested = await api.panelRequest('requestCode', { ...PHONE, method: 'sms', cert: certForVname('Acme Test Shop') });
    assert.equal(requested.ok, true, requested.error);
    assert.deepEqual(requested.result, { status: 202, vname: 'Acme Test Shop' });

    const primary = (api.health().nodes ?? []).find((n) => n.role === 'primary_master')!.key.split(':')[0];
    const [master] = await docker.listContainers({ filters: { label: [`com.docker.compose.project=${project}`, `com.docker.compose.service=${primary}`] } });
    const log = (await docker.getContainer(master.Id).logs({ stdout: true, stderr: true })).toString('utf8');
    const code = /Registration code for \+16315551000: (\d{6})/.exec(log)?.[1];
    assert.ok(code, 'the primary master logged the registration code');
    const verified = await api.panelRequest('verify', { code });
    assert.equal(verified.ok, true, verified.error);
    await until('one coreapp connected (HA)', gateway('coreapp'), (g) => g.filter((s) => s === 'connected').length === 1);
  });

  it('sets 2 shards only after confirmation; two coreapps and the primary master connect', async () => {
    const asked = await api.panelRequest('setShards', { ...PHONE, shards: 2 });
    assert.equal(asked.ok, true, asked.error);
    assert.match(JSON.stringify(asked.result), /"applied":false.*Set 2 shards for \+1 6315551000\?/);
    const applied = await api.panelRequest('setShards', { ...PHONE, shards: 2, confirmed: true });
    assert.deepEqual(applied.result, { applied: true }, applied.error);
    await until('2 coreapps + primary master connected', () => [...gateway('coreapp')(), ...gateway('primary_master')()], (g) => g.filter((s) => s === 'connected').length === 3);
    const items = await refreshUntil(api, (i) => i.filter((n) => n.description === 'coreapp · connected').length === 2);
    assert.equal(items.filter((n) => n.description === 'coreapp · disconnected').length, 1, `one standby coreapp: ${describeItems(items)}`);
  });

  it('backs up the settings, then upgrades 2.51.2 -> 2.53.1 with the DB upgrade job, keeping registration and shards', async () => {
    const backup = await vscode.commands.executeCommand<string>('wabaCluster.backupSettings', 'Backup-Passw0rd!');
    assert.ok(backup && existsSync(backup) && readFileSync(backup, 'utf8').trim().length > 20, 'an encrypted backup file in the cluster folder');
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
    // docker-compose 1.29 prefixes each line with "<service>_<index> |".
    for (const service of ['waweb', 'master1', 'wacore1']) assert.match(text, new RegExp(`^${service}_1 +\\| `, 'm'), `${service} lines in debug_output.txt: ${text.slice(0, 300)}`);
  });

  it('after the cluster is re-created with its data (down -v), trusts the new certificate and logs in again', async () => {
    const folder = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const before = await webappFingerprint(10_000);
    const { execFileSync } = await import('node:child_process');
    execFileSync('docker-compose', ['down', '-v', '-t', '2'], { cwd: folder, stdio: 'ignore' });
    execFileSync('docker-compose', ['up', '-d'], { cwd: folder, stdio: 'ignore' });
    const after = await webappFingerprint(90_000);
    assert.notEqual(after, before, 'a re-created cluster has a new certificate');
    const connected = await until('login on the re-created cluster',
      () => vscode.commands.executeCommand('wabaCluster.connect', { username: 'admin', password: 'secret', newPassword: NEW_PASSWORD, trustFingerprint: after }), (ok) => ok === true, 90_000);
    assert.equal(connected, true);
    await until('the re-created cluster is unregistered again', gateway('primary_master'), (g) => g.length === 1 && g[0] === 'unregistered');
  });
});
