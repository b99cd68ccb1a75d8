// Diagnose Cluster, the history and the failover drill as the panel and the commands use them, with
// fakes of every port: the Docker engine (fakes/fakeEngine.ts), the logged-in session's webapp
// (fakes/fakeAdminApi.ts behind the typed API), health and the shard map the test drives.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseHealth, parseShardOwnership, summarizeHealth, type NodeShards } from '../../src/cluster/clusterHealth';
import type { HealthState } from '../../src/cluster/healthPoller';
import { DiagnoseServices, type DiagnoseDeps } from '../../src/diagnose/diagnoseServices';
import type { DrillPrompter } from '../../src/workflows/failoverDrill';
import { FakeAdminApi } from './fakes/fakeAdminApi';
import { FakeEngine, multiconnect, nodeKey } from './fakes/fakeEngine';

class Feed<T> {
  private readonly listeners = new Set<(v: T) => void>();
  constructor(public value: T) {}
  onDidChange = (listener: (v: T) => void) => { this.listeners.add(listener); return { dispose: () => this.listeners.delete(listener) }; };
  set(value: T): void { this.value = value; for (const l of [...this.listeners]) l(value); }
}

function world(options: { connected?: boolean } = {}) {
  const engine = new FakeEngine();
  const webapp = multiconnect(new FakeAdminApi());
  const lines: string[] = [];
  const okHealth = (): HealthState => { const nodes = parseHealth({ health: webapp.health }); return { kind: 'ok', nodes, summary: summarizeHealth(nodes), at: new Date() }; };
  const health = new Feed<HealthState>(okHealth());
  const shardMap = new Feed<NodeShards[]>(parseShardOwnership(Object.entries(webapp.support).map(([key, body]) => ({ key, body }))));
  const folder = mkdtempSync(join(tmpdir(), 'waba-diagnose-'));
  const deps: DiagnoseDeps = {
    engine,
    monitor: { snapshot: { kind: 'ready', project: 'biz', nodes: [] } },
    session: { current: options.connected === false ? undefined : { api: webapp.api, secrets: ['Admin-Pass-1!'] } },
    health: { get state() { return health.value; }, onDidChange: health.onDidChange },
    support: { get shards() { return shardMap.value; }, onDidChange: shardMap.onDidChange },
    folder: () => ({ path: folder, project: 'biz', apiVersion: '2.53.1', apiVersionFrom: '.env', dbEngine: 'MYSQL' }),
    drift: () => undefined,
    failoverExpectationSeconds: () => 35,
    locks: { acquire: () => ({ release: () => undefined }) },
    log: { info: (m) => lines.push(m), warn: (m) => lines.push(`warn: ${m}`) },
  };
  const reread = () => shardMap.set(parseShardOwnership(Object.entries(webapp.support).map(([key, body]) => ({ key, body }))));
  return { engine, webapp, lines, health, okHealth, reread, folder, services: new DiagnoseServices(deps) };
}

describe('DiagnoseServices', () => {
  it('Diagnose warns about an exited coreapp, logs the counts and shows the diagnosis in the panel', async () => {
    const w = world();
    w.engine.container('wacore2').state = 'exited';
    w.engine.container('wacore2').exitCode = 137;
    let pushes = 0;
    w.services.onDidChange(() => pushes++);
    const d = await w.services.diagnose();
    const stopped = d.results.filter((r) => r.id.startsWith('containers')).map((r) => `${r.severity}: ${r.evidence}`).join('\n');
    assert.match(stopped, /^warning: biz_wacore2_1 is exited \(exit code 137\): one coreapp fewer to own a shard or stand by\.$/m);
    assert.match(w.lines.at(-1)!, /^Diagnose Cluster: 0 problem\(s\), 1 warning\(s\), \d+ ok, \d+ not checked$/);
    assert.equal(w.services.view().diagnosis, d);
    assert.ok(pushes >= 2, 'the panel is told when diagnosing starts and ends');
  });

  it('the history records a shard moving to the standby, as health and the shard map report it', () => {
    const w = world();
    w.health.set(w.okHealth());
    w.webapp.health[nodeKey('wacore1')] = { errors: [{ code: 1014, title: 'Internal error' }] };
    w.webapp.support[nodeKey('wacore1')] = { errors: [{ code: 1014, title: 'Internal error' }] };
    w.webapp.support[nodeKey('wacore3')] = { role: 'coreapp', shards: [[0, 0]] };
    w.webapp.health[nodeKey('wacore3')] = { role: 'coreapp', gateway_status: 'connected' };
    w.reread();
    w.health.set(w.okHealth());
    const texts = w.services.view().history.map((e) => e.change.text);
    assert.ok(texts.includes('shard 0: wacore1 → wacore3'), texts.join('\n'));
    assert.ok(texts.includes('wacore3: disconnected → connected'), texts.join('\n'));
  });

  it('the drill asks with the cluster\'s own settings and kills nothing when the user declines', async () => {
    const w = world();
    await w.webapp.api.patchSettings({ heartbeat_interval: 1, unhealthy_interval: 3 });
    let asked = '';
    const prompter: DrillPrompter = {
      pickTarget: async (candidates) => candidates.find((c) => c.node === 'wacore1'),
      confirmKill: async (_target, detail) => { asked = detail; return undefined; },
      offerRestart: async () => false,
    };
    assert.equal(await w.services.runDrill(prompter, { step: () => undefined }), undefined);
    assert.match(asked, /wacore1 .* is killed with SIGKILL.*heartbeat 1 s and unhealthy 3 s.*within about 4 s; 1 candidate\(s\) now: wacore3/);
    assert.deepEqual(w.engine.killed, []);
  });

  it('the drill and the support bundle say what to do when they cannot run', async () => {
    const w = world({ connected: false });
    const prompter: DrillPrompter = { pickTarget: async () => undefined, confirmKill: async () => undefined, offerRestart: async () => false };
    await assert.rejects(w.services.runDrill(prompter, { step: () => undefined }), /Not connected to the webapp: run "WABA: Connect to Webapp"/);
    // Not connected, the bundle still goes out: Docker's side, and why the webapp's answers are missing.
    const file = await w.services.supportBundle(15);
    assert.deepEqual(readdirSync(w.folder).filter((f) => f.endsWith('.zip')), [file.split('/').pop()]);
    assert.equal(statSync(file).mode & 0o777, 0o600, 'readable by the user only');
  });
});
