// Settings that run a program or pick an engine cannot come from a repository: wabaCluster.composeCommand
// and wabaCluster.dockerHost are machine-scoped, so a workspace's .vscode/settings.json is ignored.
import * as assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, activateExtension, describeItems, sleep, type WabaClusterApi } from './support';

(process.env.WABA_EXPECT_DOCKER === '1' && !process.env.WABA_SUITE ? describe : describe.skip)('Machine-scoped settings', function () {
  this.timeout(60_000);
  let api: WabaClusterApi;
  let settingsDir: string;

  before(async () => {
    ({ api } = await activateExtension());
    settingsDir = join(vscode.workspace.workspaceFolders![0].uri.fsPath, '.vscode');
  });
  after(() => rmSync(settingsDir, { recursive: true, force: true }));

  it('declares composeCommand and dockerHost machine-scoped, composeCommand with its allowed values', () => {
    const properties = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.configuration.properties;
    assert.equal(properties['wabaCluster.composeCommand'].scope, 'machine');
    assert.equal(properties['wabaCluster.dockerHost'].scope, 'machine');
    assert.deepEqual(properties['wabaCluster.composeCommand'].enum, ['auto', 'docker compose', 'docker-compose']);
  });

  it("ignores a workspace's .vscode/settings.json that names another program and engine", async () => {
    for (let i = 0; i < 50 && !/^docker compose \d/.test(api.workspace().compose); i++) await sleep(200);
    const before = api.workspace().compose;
    assert.match(before, /^docker compose \d/, `auto found the v2 plugin: ${before}`);
    mkdirSync(settingsDir, { recursive: true });
    writeFileSync(join(settingsDir, 'settings.json'), JSON.stringify({ 'wabaCluster.composeCommand': '/tmp/not-compose.sh', 'wabaCluster.dockerHost': 'tcp://127.0.0.1:1' }));
    await sleep(3000); // VS Code reads the file; the extension would follow a change within ~100 ms
    const config = vscode.workspace.getConfiguration('wabaCluster');
    assert.equal(config.get('composeCommand'), 'auto');
    assert.equal(config.get('dockerHost'), '');
    assert.equal(api.workspace().compose, before);
    await vscode.commands.executeCommand('wabaCluster.refresh');
    const items = await api.treeSnapshot();
    assert.ok(!items.some((i) => i.contextValue === 'dockerUnreachable'), `still the machine's engine: ${describeItems(items)}`);
  });
});
