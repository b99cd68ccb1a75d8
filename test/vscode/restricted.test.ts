// Restricted Mode (WABA_SUITE=restricted: the server runs with workspace trust on and the test
// folder is not trusted). The view shows the project's containers read-only and says why; the
// commands that run programs are disabled in the UI and refuse when called; nothing is started.
import * as assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import Docker from 'dockerode';
import * as vscode from 'vscode';
import { EXTENSION_ID, activateExtension, describeItems, refreshUntil, workspaceProjectName, type WabaClusterApi } from './support';

const TEST_IMAGE = `waba-test/restricted:p${process.pid}`;

(process.env.WABA_SUITE === 'restricted' ? describe : describe.skip)('Restricted Mode (folder not trusted)', function () {
  this.timeout(120_000);
  const docker = new Docker();
  const project = workspaceProjectName();
  let api: WabaClusterApi;
  let container: Docker.Container | undefined;

  before(async () => {
    ({ api } = await activateExtension());
    // An empty image (two zero tar blocks) and a created container of the workspace's project.
    const progress = await docker.importImage(Readable.from([Buffer.alloc(1024)]), { repo: TEST_IMAGE.split(':')[0], tag: TEST_IMAGE.split(':')[1] });
    await new Promise((resolve, reject) => docker.modem.followProgress(progress, (err) => (err ? reject(err) : resolve(undefined))));
    container = await docker.createContainer({ name: `${project}-master1-1`, Image: TEST_IMAGE, Cmd: ['none'], Labels: { 'com.docker.compose.project': project, 'com.docker.compose.service': 'master1' } });
  });

  after(async () => {
    await container?.remove({ force: true }).catch(() => undefined);
    await docker.getImage(TEST_IMAGE).remove({ force: true }).catch(() => undefined);
  });

  it('runs in Restricted Mode, and the extension knows it', () => {
    assert.equal(vscode.workspace.isTrusted, false);
    assert.equal(api.workspace().trusted, false);
    assert.match(api.workspace().compose, /Restricted Mode/, 'no compose CLI was even asked for its version');
  });

  it('lists the containers read-only and says why above them', async () => {
    const items = await refreshUntil(api, (xs) => xs.some((i) => i.label === 'master1'));
    assert.ok(items.some((i) => i.label === 'master1' && /created/.test(i.description ?? '')), describeItems(items));
    assert.match(api.visible().viewMessage ?? '', /^Restricted Mode: containers are shown read-only\. Trust this folder/);
  });

  it('disables every command that runs a program or changes the cluster', () => {
    const commands: Array<{ command: string; enablement?: string }> = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.commands;
    const enabled = commands.filter((c) => c.enablement !== 'isWorkspaceTrusted').map((c) => c.command).sort();
    // Create Cluster runs no program and writes only where the user picks (then the new folder is
    // trusted or not on its own); the walkthrough only shows text.
    assert.deepEqual(enabled, ['wabaCluster.createCluster', 'wabaCluster.disconnect', 'wabaCluster.openWalkthrough', 'wabaCluster.refresh', 'wabaCluster.tailLogs']);
    const capabilities = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.capabilities;
    assert.equal(capabilities.untrustedWorkspaces.supported, 'limited');
  });

  it('Start Cluster called anyway (another extension, a keybinding) refuses and starts nothing', async () => {
    assert.equal(await vscode.commands.executeCommand('wabaCluster.up'), false);
    const left = await docker.listContainers({ all: true, filters: { label: [`com.docker.compose.project=${project}`] } });
    assert.deepEqual(left.map((c) => c.Labels['com.docker.compose.service']), ['master1'], 'only the test\'s own container');
  });

  it('Open Shell, Database Console and Pick Docker Context called anyway refuse: no terminal, the same engine', async () => {
    const [master1] = await api.treeSnapshot();
    const engineBefore = api.visible().engineBar?.text;
    assert.equal(await vscode.commands.executeCommand('wabaCluster.openShell', master1), undefined);
    assert.equal(await vscode.commands.executeCommand('wabaCluster.openDbConsole'), undefined);
    assert.equal(await vscode.commands.executeCommand('wabaCluster.pickDockerContext', 'default'), undefined);
    assert.equal(vscode.window.terminals.length, 0);
    assert.equal(api.visible().engineBar?.text, engineBefore);
  });
});
