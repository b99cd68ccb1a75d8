// Diagnose Cluster on the emulated cluster (WABA_SUITE=diagnose): the registered 2-shard MySQL
// cluster the run's earlier suites left (or a fresh one); the suite creates each fault a user meets
// (a stopped coreapp, no standby, shards > coreapps, a stale version, a duplicate COREAPP_HOSTNAME via --scale, the database stopped),
// checks that Diagnose names it with its fix, undoes it, and checks the support bundle holds what it
// should and no secret. The runner removes the cluster afterwards.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import * as vscode from 'vscode';
import type { CheckResult, Diagnosis } from '../../src/diagnose/checks';
import { NEW_PASSWORD, gateway, twoShardCluster, until } from './clusterSteps';
import { activateExtension, describeItems, refreshUntil, workspaceProjectName, type WabaClusterApi } from './support';

const failing = (d: Diagnosis) => d.results.filter((r) => r.severity === 'problem' || r.severity === 'warning');
const describeResults = (results: readonly CheckResult[]) => results.map((r) => `${r.severity} ${r.id}: ${r.evidence}`).join('\n');

(process.env.WABA_SUITE?.split(',').includes('diagnose') ? describe : describe.skip)('Diagnose Cluster on the emulated cluster', function () {
  this.timeout(240_000);
  const docker = new Docker();
  const project = workspaceProjectName();
  const folder = () => vscode.workspace.workspaceFolders![0].uri.fsPath;
  const [cli, ...prefix] = (process.env.WABA_COMPOSE || 'docker compose').split(' ');
  const compose = (...args: string[]) => execFileSync(cli, [...prefix, ...args], { cwd: folder(), stdio: 'pipe' });
  let api: WabaClusterApi;

  const container = async (service: string) => {
    const [c] = await docker.listContainers({ all: true, filters: { label: [`com.docker.compose.project=${project}`, `com.docker.compose.service=${service}`] } });
    assert.ok(c, `a ${service} container`);
    return docker.getContainer(c.Id);
  };
  const diagnose = async () => (await vscode.commands.executeCommand<Diagnosis>('wabaCluster.diagnose', { openPanel: false }))!;
  /** Diagnoses until `accept` holds (the cluster takes a moment to show a fault or its repair). */
  const diagnoseUntil = (what: string, accept: (d: Diagnosis) => boolean, timeoutMs = 60_000) =>
    until(what, diagnose, accept, timeoutMs).catch(async (e: Error) => { throw new Error(`${e.message.slice(0, 200)}…\n${describeResults((await diagnose()).results)}`); });
  const result = (d: Diagnosis, id: string) => d.results.find((r) => r.id === id);
  const coreappsConnected = () => gateway(api, 'coreapp')().filter((s) => s === 'connected').length;
  /** Back to the healthy picture: 2 shards served, a standby, nothing failing. */
  const healthyAgain = (what: string) => diagnoseUntil(`${what}: all green again`, (d) => failing(d).length === 0, 120_000);

  before(async () => { ({ api } = await activateExtension()); });

  it('a registered 2-shard cluster with fast failover settings', async () => {
    await twoShardCluster(api, project);
    await refreshUntil(api, (i) => i.filter((n) => /running/.test(n.description ?? '')).length === 7, 60_000);
    const settings = await api.panelRequest('applySettings', { values: { heartbeat_interval: '1', unhealthy_interval: '3' }, confirmed: true });
    // The suites before may have left these values already.
    if (!settings.ok) assert.match(settings.error ?? '', /^Nothing to apply/);
    await until('2 coreapps connected', coreappsConnected, (n) => n === 2, 90_000);
  });

  it('is all green on the healthy cluster, WADebug\'s checks and the HA checks alike', async () => {
    const d = await healthyAgain('the healthy cluster');
    assert.deepEqual(failing(d), []);
    for (const id of ['containers', 'db.reachable', 'db.settings', 'db.password', 'webapp.port', 'versions.mixed', 'versions.env', 'ha.primary', 'ha.connected', 'ha.unowned', 'ha.control', 'ha.standby', 'ha.hostnames', 'ha.timing', 'ports.loopback']) {
      assert.equal(result(d, id)?.severity, 'ok', `${id} ok:\n${describeResults(d.results)}`);
    }
    assert.match(result(d, 'db.reachable')!.evidence, /root logs in at 127\.0\.0\.1:3306 inside db; .*ALL PRIVILEGES/);
    assert.match(result(d, 'ha.timing')!.evidence, /heartbeat 1 s, unhealthy 3 s/);
    assert.equal(api.visible().statusBar?.command, 'workbench.view.extension.wabaCluster', 'a healthy status bar opens the view');
  });

  it('writes the diagnosis as JSON for CI', async () => {
    const file = await vscode.commands.executeCommand<string>('wabaCluster.exportDiagnosis');
    assert.ok(file && file.startsWith(folder()), file);
    const json = JSON.parse(readFileSync(file, 'utf8')) as Diagnosis;
    assert.equal(json.project, project);
    assert.ok(json.results.length >= 15 && json.counts.ok >= 15, JSON.stringify(json.counts));
    rmSync(file);
  });

  it('a stopped coreapp, then no standby, then more shards than coreapps: each named, with Start as the fix', async () => {
    const shardOwner = (await api.treeSnapshot()).find((i) => /coreapp · connected · shard 0/.test(i.description ?? ''));
    assert.ok(shardOwner, 'the owner of shard 0 in the tree');
    await (await container(shardOwner.label)).stop({ t: 2 });
    // Its shard moves to the standby: one coreapp stopped, none standing by.
    const d = await diagnoseUntil('the stopped coreapp and no standby', (x) => result(x, 'ha.standby')?.severity === 'warning' && result(x, `containers.stopped:${shardOwner.label}`) !== undefined);
    const stopped = result(d, `containers.stopped:${shardOwner.label}`)!;
    assert.equal(stopped.severity, 'warning');
    assert.equal(stopped.fix?.command, 'wabaCluster.startService');
    assert.match(result(d, 'ha.standby')!.evidence, /No coreapp stands by/);

    const other = (await api.treeSnapshot()).find((i) => /coreapp · connected · shard 1/.test(i.description ?? ''))!;
    await (await container(other.label)).stop({ t: 2 });
    const short = await diagnoseUntil('shards > running coreapps', (x) => result(x, 'ha.unowned')?.severity === 'problem');
    assert.match(result(short, 'ha.unowned')!.evidence, /Shard\(s\) 1 of 2 have no coreapp: messages to their recipients fail \(1014\)\. 1 coreapp\(s\) run for 2 shard\(s\)/);
    assert.equal(result(short, 'ha.connected')!.severity, 'problem');
    assert.equal(api.visible().statusBar?.command, 'wabaCluster.diagnose', 'an unhealthy status bar diagnoses on a click');

    // The fixes as the panel runs them: Start each stopped coreapp.
    for (const id of [`containers.stopped:${shardOwner.label}`, `containers.stopped:${other.label}`]) {
      const fixed = await api.panelRequest('runFix', { id });
      assert.equal(fixed.ok, true, fixed.error);
    }
    await healthyAgain('both coreapps started');
  });

  it('a stale version: .env asks for another version than the nodes run', async () => {
    const env = join(folder(), '.env');
    const before = readFileSync(env, 'utf8');
    // The nodes run what .env says now (the earlier suites of the run may have upgraded them).
    const running = /^WA_API_VERSION=(.*)$/m.exec(before)![1].trim();
    const other = running === '2.53.1' ? '2.51.2' : '2.53.1';
    writeFileSync(env, before.replace(/^WA_API_VERSION=.*$/m, `WA_API_VERSION=${other}`));
    try {
      const d = await diagnoseUntil('the version drift', (x) => result(x, 'versions.env')?.severity === 'warning', 30_000);
      assert.ok(result(d, 'versions.env')!.evidence.includes(`running v${running}, .env says v${other}`), result(d, 'versions.env')!.evidence);
      assert.equal(result(d, 'versions.env')!.fix?.command, 'wabaCluster.upgrade');
    } finally {
      writeFileSync(env, before);
    }
    await diagnoseUntil('.env back', (x) => result(x, 'versions.env')?.severity === 'ok', 30_000);
  });

  it('two containers with one COREAPP_HOSTNAME (--scale): a problem; its fix stops the extra one', async () => {
    compose('up', '-d', '--no-recreate', '--scale', 'wacore3=2', 'wacore3');
    try {
      const d = await diagnoseUntil('the duplicate', (x) => result(x, 'ha.hostnames:wacore3')?.severity === 'problem');
      const row = result(d, 'ha.hostnames:wacore3')!;
      assert.match(row.evidence, /all say COREAPP_HOSTNAME=wacore3/);
      const extra = row.fix!.args![0] as { id: string; name: string };
      assert.equal(await vscode.commands.executeCommand('wabaCluster.stopContainer', extra, true), true);
      const after = await diagnoseUntil('the duplicate stopped', (x) => result(x, 'ha.hostnames')?.severity === 'ok');
      assert.equal(result(after, 'ha.hostnames:wacore3'), undefined);
    } finally {
      compose('up', '-d', '--no-recreate', '--scale', 'wacore3=1', 'wacore3');
    }
    await healthyAgain('scaled back to one wacore3');
  });

  it('a support bundle with every log, inspect, health, support and the diagnosis, and no password or key', async () => {
    const file = await vscode.commands.executeCommand<string>('wabaCluster.supportBundle', 15);
    assert.ok(file && file.startsWith(folder()) && file.endsWith('.zip'), file);
    assert.equal(statSync(file).mode & 0o777, 0o600, 'readable by the user only');
    const dir = mkdtempSync(join(tmpdir(), 'waba-bundle-'));
    try {
      const listing = execFileSync('python3', ['-c', 'import zipfile,sys; z=zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; z.extractall(sys.argv[2]); print("\\n".join(z.namelist()))', file, dir], { encoding: 'utf8' }).trim().split('\n');
      for (const service of ['db', 'waweb', 'master1', 'master2', 'wacore1', 'wacore2', 'wacore3']) {
        assert.ok(listing.some((n) => n.startsWith('logs/') && n.includes(service)), `${service}'s log in ${listing.join(', ')}`);
        assert.ok(listing.some((n) => n.startsWith('inspect/') && n.includes(service)), `${service}'s inspect`);
      }
      for (const name of ['README.txt', 'diagnosis.json', 'health.json', 'support.json', 'settings.json']) assert.ok(listing.includes(name), name);
      const text = listing.map((n) => readFileSync(join(dir, n), 'utf8')).join('\n');
      // The known secrets: db.env's and the MySQL service's password, the admin password chosen at login.
      for (const secret of ['testpass', NEW_PASSWORD]) assert.ok(!text.includes(secret), `the bundle contains ${secret}`);
      assert.match(readFileSync(join(dir, listing.find((n) => n.startsWith('inspect/') && n.includes('wacore1'))!), 'utf8'), /"WA_DB_PASSWORD=\*{8}"/);
      assert.match(readFileSync(join(dir, 'support.json'), 'utf8'), /"shards"/);
      assert.ok(readFileSync(join(dir, listing.find((n) => n.startsWith('logs/') && n.includes('master1'))!), 'utf8').split('\n').length > 3, 'master1 logged in the window');
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(file, { force: true });
    }
  });

  it('the database stopped: the db container, the login and the waiting nodes are problems; Start db fixes it', async () => {
    const db = await container('db');
    await db.stop({ t: 5 });
    try {
      const d = await diagnoseUntil('the database down', (x) => result(x, 'containers.stopped:db')?.severity === 'problem' && result(x, 'db.reachable')?.severity === 'problem');
      assert.match(result(d, 'containers.stopped:db')!.evidence, /every node needs the database/);
      assert.equal(result(d, 'db.reachable')!.fix?.label, 'Start db');
      // The status bar follows the engine's event for the stop, a moment after docker inspect shows it.
      await until('the status bar to offer Diagnose', () => api.visible().statusBar?.command, (c) => c === 'wabaCluster.diagnose', 15_000);
    } finally {
      await db.start().catch(() => undefined);
    }
    await until('health back after the database', () => coreappsConnected(), (n) => n === 2, 120_000);
    const items = await refreshUntil(api, (i) => i.every((n) => /running|connected|disconnected|unregistered/.test(n.description ?? '')));
    assert.ok(items.length >= 7, describeItems(items));
  });
});
