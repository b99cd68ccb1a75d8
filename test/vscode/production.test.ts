// The packaged VSIX, installed as a user installs it, runs in Production mode (WABA_SUITE=production;
// the run develops only an empty probe extension). Its activate() returns no API, and an answer
// scripted as a command argument (testing/testHooks.ts) is ignored: the command asks the user.
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

  it('ignores an answer scripted as a command argument: Set Health API Key still asks, and a dismissed question stores nothing', async () => {
    // In Test mode the argument is the key, and the command goes straight on to store it.
    let settled = false;
    const run = Promise.resolve(vscode.commands.executeCommand<boolean>('wabaCluster.setApiKey', 'scripted-key-0123456789')).finally(() => { settled = true; });
    await new Promise((r) => setTimeout(r, 2_000));
    assert.equal(settled, false, 'the command waits for the user to type the key');
    // The user dismisses the input box (Escape).
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    assert.equal(await run, false, 'nothing stored: the command answers false, as when the user declines');
  });
});
