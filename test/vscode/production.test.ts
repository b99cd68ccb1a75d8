// The packaged VSIX, installed as a user installs it, runs in Production mode (WABA_SUITE=production;
// the run develops only an empty probe extension). Its activate() returns no API: the test-only
// hooks exist only when VS Code runs the extension in Test mode.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID } from './support';

(process.env.WABA_SUITE === 'production' ? describe : describe.skip)('The installed VSIX (Production mode)', function () {
  this.timeout(60_000);

  it('is the installed copy, not the working tree', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is installed`);
    assert.match(ext.extensionPath, /\/extensions\/waba-cluster\.waba-cluster-\d+\.\d+\.\d+$/);
  });

  it('activates in the cluster folder and returns an empty API', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const exported = await ext.activate();
    assert.equal(ext.isActive, true);
    assert.deepEqual(exported, {}, 'no treeSnapshot, health, panelRequest, … outside Test mode');
    // It works for the user all the same: its commands are there.
    assert.ok((await vscode.commands.getCommands(true)).includes('wabaCluster.up'));
  });
});
