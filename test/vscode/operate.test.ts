// Operating the emulated cluster from the panel and the palette (#9; WABA_SUITE=...,operate, after the
// cluster suites of the compose v2 run, on their cluster): the settings editor (refusals name the field;
// unhealthy_interval 3 s makes a failover take seconds), backup → change → restore, test messages whose
// shard and coreapp match /v1/support and the coreapp's own log, a shard without owner explained, the
// webhook inspector (callbacks in the panel, unreachable from elsewhere, URL put back) and the health
// back-off under the webapp's rate limit. The runner removes the cluster afterwards; this suite removes
// what it adds (probe containers, the override file, the backup folder) itself.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import type { TLSSocket } from 'node:tls';
import { join } from 'node:path';
import Docker from 'dockerode';
import * as vscode from 'vscode';
import { shardFor } from '../../emulator/src/logic/routing';
import { NEW_PASSWORD, twoShardCluster, until } from './clusterSteps';
import { activateExtension, sleep, workspaceProjectName, type WabaClusterApi } from './support';

const BACKUP_PASSWORD = 'Backup-Passw0rd!';
const PREVIOUS_HOOK = 'https://hooks.example.test/whatsapp';

/** A recipient the emulator routes to `shard` of `shards` (the test knows the emulator's hash; the extension does not). */
function recipientOn(shard: number, shards: number, skip = 0): string {
  for (let i = 0, found = 0; ; i++) {
    const to = `1631555${String(4000 + i)}`;
    if (shardFor(to, shards) === shard && found++ === skip) return to;
  }
}

(process.env.WABA_SUITE?.split(',').includes('operate') ? describe : describe.skip)('Operating the cluster: settings, backup, test messages, webhook inspector, back-off', function () {
  this.timeout(180_000);
  const docker = new Docker();
  const project = workspaceProjectName();
  const folder = () => vscode.workspace.workspaceFolders![0].uri.fsPath;
  const scratch = mkdtempSync(join(tmpdir(), 'waba-operate-'));
  const probes: string[] = [];
  let api: WabaClusterApi;
  let fingerprint: string;

  const request = async <T>(method: string, params: unknown): Promise<T> => {
    const r = await api.panelRequest(method, params);
    assert.equal(r.ok, true, `${method}: ${r.error} ${JSON.stringify(r.fieldErrors ?? {})}`);
    return r.result as T;
  };
  const settingOf = async (path: string) => (await request<{ rows: Array<{ path: string; value: unknown }> }>('getSettings', {})).rows.find((r) => r.path === path)?.value;
  const apply = (values: Record<string, unknown>) => request<{ applied: boolean; changes: string[] }>('applySettings', { values, confirmed: true });
  const connectedCoreapps = () => (api.health().nodes ?? []).filter((n) => n.role === 'coreapp' && n.gatewayStatus === 'connected').map((n) => n.key);
  const containerOf = async (nodeKey: string) => {
    const id = nodeKey.split(':')[1];
    const [c] = await docker.listContainers({ all: true, filters: { label: [`com.docker.compose.project=${project}`] } }).then((cs) => cs.filter((x) => x.Id.startsWith(id)));
    assert.ok(c, `a container for ${nodeKey}`);
    return docker.getContainer(c.Id);
  };
  // Never a synchronous child process here: the extension (and its receiver) runs in this very process.
  const compose = async (args: string[]) => {
    const [cli, ...prefix] = (process.env.WABA_COMPOSE || 'docker compose').split(' ');
    await run(cli, [...prefix, ...args], { cwd: folder() });
  };

  /** The webapp as a terminal user reads it (curl with the pinned certificate): an independent check. */
  const webapp = async (path: string): Promise<unknown> => {
    const call = (method: string, p: string, headers: Record<string, string>, body?: string) => new Promise<{ status: number; body: unknown }>((resolve, reject) => {
      let fp: string | undefined;
      const req = httpsRequest({ host: '127.0.0.1', port: 9090, path: p, method, headers, rejectUnauthorized: false, agent: false }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => { text += c; });
        res.on('end', () => (fp === fingerprint ? resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }) : reject(new Error(`certificate ${fp} is not the pinned ${fingerprint}`))));
      });
      req.on('socket', (socket) => socket.once('secureConnect', () => { fp = (socket as TLSSocket).getPeerCertificate().fingerprint256; }));
      req.on('error', reject);
      req.end(body);
    });
    const login = await call('POST', '/v1/users/login', { authorization: `Basic ${Buffer.from(`admin:${NEW_PASSWORD}`).toString('base64')}`, 'content-type': 'application/json' }, '{}');
    const token = (login.body as { users: Array<{ token: string }> }).users[0].token;
    return (await call('GET', path, { authorization: `Bearer ${token}` })).body;
  };

  before(async function () {
    this.timeout(300_000);
    ({ api } = await activateExtension());
    // On the cluster the earlier suites left (or a fresh one): running, connected, registered, 2 shards.
    fingerprint = await twoShardCluster(api, project);
  });

  after(async () => {
    for (const name of probes) await docker.getContainer(name).remove({ force: true }).catch(() => undefined);
    rmSync(scratch, { recursive: true, force: true });
    await vscode.workspace.getConfiguration('wabaCluster').update('healthPollSeconds', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('refuses invalid settings with the field named, and changes nothing', async () => {
    const refused = await api.panelRequest('applySettings', { values: { unhealthy_interval: '0', 'webhooks.url': 'ftp://hooks', 'webhooks.max_concurrent_requests': '7' }, confirmed: true });
    assert.equal(refused.ok, false);
    assert.deepEqual(Object.keys(refused.fieldErrors ?? {}).sort(), ['unhealthy_interval', 'webhooks.max_concurrent_requests', 'webhooks.url']);
    assert.match(refused.fieldErrors!.unhealthy_interval, /^unhealthy_interval must be a whole number of at least 1/);
    assert.equal(await settingOf('unhealthy_interval'), 30);
  });

  it('shows the change to confirm; applied, unhealthy_interval 3 s makes a coreapp failover take seconds', async () => {
    const asked = await request<{ applied: boolean; changes: string[] }>('applySettings', { values: { heartbeat_interval: '1', unhealthy_interval: '3' } });
    assert.deepEqual(asked, { applied: false, question: 'Apply 2 changes to the application settings?', changes: ['heartbeat_interval 5 s → 1 s', 'unhealthy_interval 30 s → 3 s'], restartRequired: [] });
    assert.equal(await settingOf('unhealthy_interval'), 30, 'nothing applied before confirmation');
    assert.deepEqual((await apply({ heartbeat_interval: '1', unhealthy_interval: '3' })).changes, ['heartbeat_interval 5 s → 1 s', 'unhealthy_interval 30 s → 3 s']);
    assert.equal(await settingOf('unhealthy_interval'), 3);
    // Let one heartbeat carry the new interval into every claim, then crash a shard owner.
    await sleep(2000);
    const [victim] = connectedCoreapps();
    const container = await containerOf(victim);
    const started = Date.now();
    await container.kill();
    const after = await until('a standby to take the shard over', connectedCoreapps, (c) => c.length === 2 && !c.includes(victim), 60_000);
    const seconds = (Date.now() - started) / 1000;
    console.log(`      failover with unhealthy_interval 3 s: ${seconds.toFixed(1)} s (${victim.split(':')[0]} killed, now ${after.map((k) => k.split(':')[0]).join(', ')})`);
    assert.ok(seconds < 20, `failover took ${seconds.toFixed(1)} s (with the default 30 s it cannot take less than 30 s)`);
    await container.start();
  });

  it('backs up to the file the user picks, and restore returns the old values after showing them', async () => {
    const file = join(scratch, 'before-change.wabackup');
    assert.equal(await vscode.commands.executeCommand('wabaCluster.backupSettings', { password: BACKUP_PASSWORD, file }), file);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    await apply({ unhealthy_interval: '10', 'webhooks.url': PREVIOUS_HOOK });
    assert.equal(await settingOf('unhealthy_interval'), 10);

    assert.equal(await vscode.commands.executeCommand('wabaCluster.restoreSettings', { file, password: 'Wrong-Passw0rd!', confirmed: true }), false, 'a wrong password restores nothing');
    assert.equal(await settingOf('unhealthy_interval'), 10);
    assert.equal(await vscode.commands.executeCommand('wabaCluster.restoreSettings', { file, password: BACKUP_PASSWORD, confirmed: true }), true);
    assert.deepEqual([await settingOf('unhealthy_interval'), await settingOf('heartbeat_interval'), await settingOf('webhooks.url')], [3, 1, '']);
  });

  it('sends test messages: the id, and the shard and coreapp named match /v1/support and the coreapp\'s log', async () => {
    for (const shard of [0, 1]) {
      const to = recipientOn(shard, 2);
      const sent = await request<{ id: string; shard?: number; coreapp?: string; nodeKey?: string; evidence: string[] }>('sendTestMessage', { to, text: `hello shard ${shard}` });
      assert.match(sent.id, /^[A-Za-z0-9_=-]{10,}$/);
      assert.equal(sent.shard, shard, JSON.stringify(sent));
      const support = (await webapp('/v1/support')) as { support: Record<string, { shards?: number[][] }> };
      const owner = Object.entries(support.support).find(([, body]) => (body.shards ?? []).some(([a]) => a === shard))?.[0];
      assert.equal(sent.nodeKey, owner, `/v1/support names ${owner} as the owner of shard ${shard}`);
      assert.equal(sent.coreapp, owner!.split(':')[0]);
      const log = (await (await containerOf(owner!)).logs({ stdout: true, stderr: true })).toString('utf8');
      assert.ok(log.includes(`message ${sent.id} sent on shard ${shard}`), `${sent.coreapp}'s log has the message`);
    }
    const bad = await api.panelRequest('sendTestMessage', { to: 'kerry', text: '' });
    assert.deepEqual(Object.keys(bad.fieldErrors ?? {}).sort(), ['text', 'to']);
  });

  it('explains a shard without owner: "shard N has no coreapp: failover in progress or too few coreapps"', async () => {
    await until('a standby again', () => (api.health().nodes ?? []).filter((n) => n.role === 'coreapp' && n.gatewayStatus === 'disconnected').length, (n) => n >= 1, 60_000);
    const standby = (api.health().nodes ?? []).find((n) => n.role === 'coreapp' && n.gatewayStatus === 'disconnected')!.key;
    const support = (await webapp('/v1/support')) as { support: Record<string, { shards?: number[][] }> };
    const owner1 = Object.entries(support.support).find(([, body]) => (body.shards ?? []).some(([a]) => a === 1))![0];
    const [standbyContainer, ownerContainer] = [await containerOf(standby), await containerOf(owner1)];
    await standbyContainer.stop({ t: 2 });
    await ownerContainer.kill();
    try {
      const refused = await until('the message to shard 1 refused', () => api.panelRequest('sendTestMessage', { to: recipientOn(1, 2), text: 'nobody owns shard 1' }),
        (r) => !r.ok && /shard 1 has no coreapp/.test(r.error ?? ''), 30_000);
      assert.match(refused.error!, /^shard 1 has no coreapp: failover in progress or too few coreapps \(2 shards; coreapps that own one now: wacore\d\)/);
    } finally {
      await standbyContainer.start();
      await ownerContainer.start();
    }
    await until('2 coreapps connected again', connectedCoreapps, (c) => c.length === 2, 60_000);
  });

  it('the webhook inspector shows a message\'s status callbacks, takes nothing from outside the cluster network, and puts the URL back', async () => {
    await apply({ 'webhooks.url': PREVIOUS_HOOK });
    const on = await request<{ state: string; url: string; network: string; previousUrl: string }>('startInspector', {});
    assert.equal(on.state, 'on');
    assert.equal(on.previousUrl, PREVIOUS_HOOK);
    assert.equal(await settingOf('webhooks.url'), on.url);
    const { hostname: gatewayIp, port } = new URL(on.url);

    // Not reachable from anything but the cluster's containers.
    const fromHost = await post(on.url, '{}');
    assert.notEqual(fromHost, 200, `from this machine (via the gateway): ${fromHost}`);
    assert.equal(await post(on.url.replace(gatewayIp, '127.0.0.1'), '{}'), 'ECONNREFUSED', 'nothing listens on loopback');
    const image = `${process.env.WABA_EMULATOR_IMAGES || 'waba-emulator'}/coreapp:v${api.health().version!.replace(/^v/, '')}`;
    const probeBody = JSON.stringify({ statuses: [{ id: 'probe-from-the-cluster', recipient_id: '1', status: 'sent', timestamp: '1' }] });
    const otherNetwork = await probe(image, 'bridge', on.url, probeBody);
    assert.notEqual(otherNetwork, '200', `from a container on another network: ${otherNetwork}`);
    const clusterNetwork = on.network.split(' ')[0];
    assert.equal(await probe(image, clusterNetwork, on.url, probeBody), '200', 'from a container on the cluster network');
    assert.ok(api.panelState().inspector!.refused >= 2, `dropped connections counted: ${api.panelState().inspector!.refused}`);
    assert.equal(Number(port) > 0, true);

    const sent = await request<{ id: string }>('sendTestMessage', { to: recipientOn(0, 2), text: 'inspect me' });
    const seen = await until('its delivered and read callbacks in the panel', () => api.panelState().inspector!.log.entries.filter((e) => e.messageId === sent.id).map((e) => e.detail).sort(),
      (s) => s.includes('delivered') && s.includes('read'), 30_000);
    assert.deepEqual(seen, ['delivered', 'read'], 'the settings ask for delivered and read (sent is off by default)');
    const view = api.panelState().inspector!;
    assert.ok(view.log.counts['status delivered'] >= 1 && view.log.counts['status read'] >= 1, JSON.stringify(view.log.counts));
    assert.match(view.log.entries.find((e) => e.messageId === sent.id)!.raw, new RegExp(`"id": "${sent.id}"`));

    const off = await request<{ state: string; message: string }>('stopInspector', {});
    assert.equal(off.state, 'off');
    assert.equal(await settingOf('webhooks.url'), PREVIOUS_HOOK, 'the previous URL is back');
    assert.notEqual(await probe(image, clusterNetwork, on.url, probeBody), '200', 'the receiver is gone');
    await apply({ 'webhooks.url': '' });
  });

  it('under the webapp\'s health rate limit the status bar and the panel show the back-off, and recover', async function () {
    this.timeout(240_000);
    writeFileSync(join(folder(), 'docker-compose.ratelimit-test.yml'), 'services:\n  waweb:\n    environment:\n      WA_EMULATOR_HEALTH_RATE_LIMIT: "4/15"\n');
    const files = ['-f', 'multiconnect-compose.yml', '-f', 'docker-compose.emulator.yml', '-f', 'docker-compose.ratelimit-test.yml'];
    try {
      await vscode.workspace.getConfiguration('wabaCluster').update('healthPollSeconds', 1, vscode.ConfigurationTarget.Workspace);
      await compose([...files, 'up', '-d', '--no-deps', 'waweb']);
      const limited = await until('the status bar to show the back-off', () => api.visible().statusBar?.text ?? '', (t) => /rate-limited/.test(t), 90_000);
      assert.match(limited, /^\$\(watch\) WABA: /);
      assert.match(api.visible().statusBar!.tooltip, /1015 Too many requests.*next poll/i);
      const panel = api.panelState().health;
      assert.ok(panel?.backoff && /rate-limits \/v1\/health/.test(panel.backoff.message), `the panel shows it too: ${JSON.stringify(panel)}`);
      const recovered = await until('a successful poll again', () => api.visible().statusBar?.text ?? '', (t) => /WABA: primary/.test(t) && !/rate-limited/.test(t), 90_000);
      assert.doesNotMatch(recovered, /failed/);
    } finally {
      rmSync(join(folder(), 'docker-compose.ratelimit-test.yml'), { force: true });
      await compose(['up', '-d', '--no-deps', 'waweb']);
    }
  });

  /** Runs a one-off container on `network` that POSTs `body` to `url`; its answer (status or error). */
  async function probe(image: string, network: string, url: string, body: string): Promise<string> {
    const name = `waba-operate-probe-${Date.now()}`;
    probes.push(name);
    const script = `const r=require('http').request(process.argv[1],{method:'POST',headers:{'content-type':'application/json'},timeout:4000},(s)=>{console.log(s.statusCode);s.resume()});r.on('timeout',()=>{console.log('timeout');r.destroy()});r.on('error',(e)=>console.log(e.code||e.message));r.end(process.argv[2])`;
    try {
      return (await run('docker', ['run', '--rm', '--name', name, '--network', network, '--label', 'waba-test=operate-probe', '--entrypoint', 'node', image, '-e', script, url, body])).trim();
    } catch (error) {
      return `probe failed: ${(error as Error).message}`;
    }
  }
});

/** POSTs from this machine; the status, or the error code when the connection fails. */
function post(url: string, body: string): Promise<number | string> {
  return new Promise((resolve) => {
    const req = httpRequest(url, { method: 'POST', timeout: 4000 }, (res) => { res.resume(); resolve(res.statusCode ?? 0); });
    req.on('timeout', () => { req.destroy(); resolve('timeout'); });
    req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    req.end(body);
  });
}

/** A child process's standard output, without blocking this process (the extension runs in it). */
function run(file: string, args: string[], options: { cwd?: string } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { ...options, encoding: 'utf8', timeout: 120_000 }, (error, stdout, stderr) => (error ? reject(new Error(`${file} ${args[0]}: ${error.message} ${stderr}`)) : resolve(stdout)));
  });
}
