// Activation of the one extension under development in this window (ours, or the empty extension it
// is compared with), on the extension host's own sub-millisecond clock: VS Code's marks count whole
// milliseconds, in which the empty extension takes 0. The window opens on a folder without
// multiconnect-compose.yml, so nothing activates at startup; the scenario then puts the compose file
// in, as the activation event would find it, loads the extension's main file (the bundle load), and
// asks VS Code to activate it (`activate()` with what VS Code does around it). One extension per
// window: two activated by the same event share the extension host's thread.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { EMPTY_EXTENSION_ID, EXTENSION_ID, type ActivationOptions, type ActivationSample } from './protocol';
import { type BenchApi, loadedExtensions } from './support';

export async function activationSample(options: ActivationOptions): Promise<ActivationSample> {
  const ours = vscode.extensions.getExtension<BenchApi>(EXTENSION_ID);
  const empty = vscode.extensions.getExtension(EMPTY_EXTENSION_ID);
  if (!ours === !empty) throw new Error(`exactly one of ${EXTENSION_ID} and ${EMPTY_EXTENSION_ID} must be loaded (loaded: ${loadedExtensions()})`);
  const extension: vscode.Extension<unknown> = ours ?? empty!;
  if (extension.isActive) throw new Error(`${extension.id} was active before the scenario: the window must open without multiconnect-compose.yml`);
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!folder) throw new Error('the window has no folder');
  copyFileSync(options.composeFile, join(folder, 'multiconnect-compose.yml'));

  const main = join(extension.extensionPath, (extension.packageJSON as { main: string }).main);
  const loadStart = performance.now();
  // Node's module cache is the one VS Code loads extensions through: activate() below finds it loaded.
  require(main);
  const loadMs = performance.now() - loadStart;
  const activateStart = performance.now();
  const api = await extension.activate();
  const activateMs = performance.now() - activateStart;
  return { extension: ours ? 'ours' : 'empty', loadMs, activateMs, ...(ours ? { activationMs: (api as BenchApi).activationMs } : {}) };
}
