// Meta's maximum (WABA_SUITE=scale): 2 masters and 33 coreapps for 32 shards, on the emulator
// (the run's folder has wacore4…wacore33 in the coreapps override Create Cluster writes). The tree lists every node
// with its shard, the topology draws all 35 nodes with their shards, and the webview's draw
// (DOM and layout) stays under 100 ms. The runner removes the cluster afterwards.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Diagnosis } from '../../src/diagnose/checks';
import { PHONE, connectAsAdmin, gateway, registerFromPanel, until, webappFingerprint } from './clusterSteps';
import { activateExtension, describeItems, refreshUntil, workspaceProjectName, type WabaClusterApi } from './support';

const COREAPPS = 33, SHARDS = 32;

(process.env.WABA_SUITE?.split(',').includes('scale') ? describe : describe.skip)('A 35-node cluster (2 masters, 33 coreapps, 32 shards)', function () {
  this.timeout(600_000);
  let api: WabaClusterApi;
  const project = workspaceProjectName();

  before(async () => { ({ api } = await activateExtension()); });

  it('starts, registers and serves 32 shards', async () => {
    const started = Date.now();
    assert.equal(await vscode.commands.executeCommand('wabaCluster.up'), true);
    const items = await refreshUntil(api, (i) => i.filter((n) => /running/.test(n.description ?? '')).length === COREAPPS + 4, 300_000);
    assert.equal(items.length, COREAPPS + 4, describeItems(items));
    await connectAsAdmin(await webappFingerprint(120_000), 180_000);
    await until('every node in health', () => api.health().nodes ?? [], (n) => n.length === COREAPPS + 2 && n.some((x) => x.role === 'primary_master'), 240_000);
    await registerFromPanel(api, project);
    const applied = await api.panelRequest('setShards', { ...PHONE, shards: SHARDS, confirmed: true });
    assert.equal(applied.ok, true, applied.error);
    await until(`${SHARDS} coreapps connected`, gateway(api, 'coreapp'), (g) => g.filter((s) => s === 'connected').length === SHARDS, 300_000);
    console.log(`      35 nodes up, registered and serving ${SHARDS} shards after ${((Date.now() - started) / 1000).toFixed(0)} s`);
  });

  it('the tree lists every node with its shard, the standby and the control shard', async () => {
    const rows = await refreshUntil(api, (i) => i.filter((n) => /· shard \d+$/.test(n.description ?? '')).length === SHARDS, 60_000);
    const shards = rows.map((n) => /· shard (\d+)$/.exec(n.description ?? '')?.[1]).filter(Boolean).map(Number).sort((a, b) => a - b);
    assert.deepEqual(shards, Array.from({ length: SHARDS }, (_, i) => i), describeItems(rows));
    assert.equal(rows.filter((n) => /standby$/.test(n.description ?? '')).length, COREAPPS - SHARDS);
    assert.equal(rows.filter((n) => /^primary_master · connected · control shard$/.test(n.description ?? '')).length, 1);
    assert.equal(rows.length, COREAPPS + 4);
  });

  it('the topology draws all 35 nodes with their shards, in under 100 ms', async () => {
    const drawn = await until('the webview to draw the topology with every shard', () => api.panelState().diagnose,
      (d) => (d?.topology?.boxes.filter((b) => /^shard \d+$/.test(b.badge ?? '')).length ?? 0) === SHARDS && (d?.renders.topology?.nodes ?? 0) === COREAPPS + 4, 60_000);
    const layout = drawn!.topology!;
    assert.equal(layout.boxes.filter((b) => b.kind === 'coreapp').length, COREAPPS);
    assert.equal(layout.boxes.filter((b) => b.kind === 'master').length, 2);
    for (const a of layout.boxes) for (const b of layout.boxes) {
      if (a !== b) assert.ok(a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y, `${a.title} overlaps ${b.title}`);
    }
    const render = drawn!.renders.topology!;
    console.log(`      topology of ${render.nodes} nodes drawn in ${render.ms.toFixed(1)} ms (webview: DOM and layout)`);
    assert.ok(render.ms <= 100, `drawing took ${render.ms} ms`);
  });

  it('Diagnose Cluster answers on 35 nodes and finds them healthy', async () => {
    const started = Date.now();
    const d = (await vscode.commands.executeCommand<Diagnosis>('wabaCluster.diagnose', { openPanel: false }))!;
    const ms = Date.now() - started;
    console.log(`      Diagnose Cluster on 35 nodes: ${ms} ms`);
    const failing = d.results.filter((r) => r.severity === 'problem' || r.severity === 'warning');
    assert.deepEqual(failing.map((r) => `${r.id}: ${r.evidence}`), []);
    assert.match(d.results.find((r) => r.id === 'ha.connected')!.evidence, /^32 shard\(s\), 32 connected coreapp\(s\)/);
  });
});
