// Start Cluster on compose files that compose itself refuses: it ends without starting and opens the
// file at the line compose names (that nothing was started, and the other pre-flight checks:
// test/integration/compose/preflight.test.ts).
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, sleep } from './support';

(process.env.WABA_EXPECT_DOCKER === '1' && !process.env.WABA_SUITE ? describe : describe.skip)('Start Cluster with an invalid compose file', function () {
  this.timeout(60_000);
  let file: string;
  let original: string;

  before(async () => {
    await activateExtension();
    file = join(vscode.workspace.workspaceFolders![0].uri.fsPath, 'multiconnect-compose.yml');
    original = readFileSync(file, 'utf8');
  });
  after(() => writeFileSync(file, original));

  it('says what compose says and opens the file at the offending key', async () => {
    const lines = original.split('\n');
    const at = lines.findIndex((l) => /^  master1:/.test(l)) + 1; // the line after "  master1:"
    lines.splice(at, 0, '    portz: ["1"]');
    writeFileSync(file, lines.join('\n'));
    await sleep(300); // the workspace model reads the edited file
    assert.equal(await vscode.commands.executeCommand('wabaCluster.up'), false);
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.fsPath, file, 'the compose file is open');
    assert.equal(editor?.selection.active.line, at, `the cursor is on "${lines[at]}" (0-based line ${at})`);
  });
});
