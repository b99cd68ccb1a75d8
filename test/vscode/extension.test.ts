// The extension as VS Code sees it: version, activation, commands, the contributed view.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { until } from './clusterSteps';
import { activateExtension, describeItems, EXTENSION_ID, workspaceProjectName } from './support';

const COMMANDS = {
  'wabaCluster.refresh': undefined,
  'wabaCluster.up': 'WABA: Start Cluster',
  'wabaCluster.down': 'WABA: Stop Cluster',
} as const;

describe('WABA Cluster extension in VS Code', () => {
  it('runs in the expected VS Code version', () => {
    console.log(`      VS Code ${vscode.version} (appHost ${vscode.env.appHost}, remote ${vscode.env.remoteName ?? 'none'})`);
    const expected = process.env.WABA_EXPECT_VSCODE_VERSION;
    if (process.env.WABA_VSCODE_FLAVOR === 'server') assert.match(vscode.version, /^1\.100\./);
    if (expected) assert.equal(vscode.version, expected);
    else assert.match(vscode.version, /^\d+\.\d+\.\d+/);
  });

  it('is installed, activates, and reports its activation time', async () => {
    const { ext, api } = await activateExtension();
    assert.equal(ext.isActive, true);
    assert.equal(typeof api.activationMs, 'number');
    // Requirement: < 50 ms. Printed for the benchmark; asserted with headroom for slow CI hosts.
    console.log(`      activationMs = ${api.activationMs.toFixed(1)} ms (requirement: < 50 ms)`);
    assert.ok(api.activationMs >= 0 && api.activationMs < 2000, `activationMs = ${api.activationMs}`);
    assert.equal(typeof api.treeSnapshot, 'function');
  });

  it('registers its commands', async () => {
    const all = new Set(await vscode.commands.getCommands(true));
    for (const id of Object.keys(COMMANDS)) assert.ok(all.has(id), `command ${id} is not registered`);
  });

  it('contributes the commands with their palette titles', () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON;
    const contributed: Array<{ command: string; title: string; category?: string }> = pkg.contributes?.commands ?? [];
    for (const [id, title] of Object.entries(COMMANDS)) {
      const c = contributed.find((x) => x.command === id);
      assert.ok(c, `command ${id} is not in contributes.commands`);
      // What the palette shows starts with the contract's title ("WABA: Stop Cluster (down)" is fine).
      if (title) assert.ok((c.category ? `${c.category}: ${c.title}` : c.title).startsWith(title), `${id}: ${c.category}: ${c.title}`);
    }
  });

  it('contributes the "WABA Cluster" activity-bar container with the "Cluster Nodes" view', () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON;
    const container = (pkg.contributes?.viewsContainers?.activitybar ?? []).find((c: { id: string }) => c.id === 'wabaCluster');
    assert.ok(container, 'no activity-bar view container wabaCluster');
    assert.equal(container.title, 'WABA Cluster');
    const view = (pkg.contributes?.views?.wabaCluster ?? []).find((v: { id: string }) => v.id === 'wabaCluster.nodes');
    assert.ok(view, 'no view wabaCluster.nodes in the wabaCluster container');
    assert.equal(view.name, 'Cluster Nodes');
  });

  it('opens the Cluster Nodes view, which shows the engine\'s state, and the status bar says the same', async () => {
    const { api } = await activateExtension();
    await vscode.commands.executeCommand('workbench.view.extension.wabaCluster');
    await vscode.commands.executeCommand('wabaCluster.nodes.focus');
    const shown = await until('the view and the status bar', () => api.visible(), (v) => v.nodesView && v.statusBar !== undefined, 10_000);
    assert.equal(shown.nodesView, true, 'the Cluster Nodes view is on screen');
    const items = await api.treeSnapshot();
    const bar = shown.statusBar!;
    if (process.env.WABA_EXPECT_DOCKER === '0') {
      // One row says why, and the status bar agrees.
      assert.match(items[0]?.label ?? '', /^Docker is not reachable/, describeItems(items));
      assert.match(bar.text, /WABA: Docker unreachable/);
      assert.match(bar.tooltip, /nonexistent/, 'the tooltip names the engine that was tried');
    } else {
      // The fixture project has no containers: the view shows its welcome (Start Cluster), the status bar says stopped.
      assert.deepEqual(items.filter((i) => i.contextValue?.endsWith('Container')), [], describeItems(items));
      assert.match(bar.text, /WABA: stopped/);
      assert.match(bar.tooltip, new RegExp(`"${workspaceProjectName()}" has no containers`));
    }
  });
});
