// Activation as VS Code itself counts it (the extension host's performance marks, the figures of
// "Developer: Show Running Extensions") of the one extension under development in this window: ours,
// or the empty extension it is compared with. One per window: two extensions activated by the same
// event share the extension host's thread, so each would be timed with the other's work.
import * as vscode from 'vscode';
import { EMPTY_EXTENSION_ID, EXTENSION_ID, type ActivationSample } from './protocol';
import { type BenchApi, loadedExtensions } from './support';

interface Marks { getMarks(): Array<{ name: string; startTime: number }> }

export async function activationSample(): Promise<ActivationSample> {
  const ours = vscode.extensions.getExtension<BenchApi>(EXTENSION_ID);
  const empty = vscode.extensions.getExtension(EMPTY_EXTENSION_ID);
  if (!ours === !empty) throw new Error(`exactly one of ${EXTENSION_ID} and ${EMPTY_EXTENSION_ID} must be loaded (loaded: ${loadedExtensions()})`);
  const [id, api] = ours ? [EXTENSION_ID, await ours.activate()] : [EMPTY_EXTENSION_ID, await empty!.activate()];
  const marks = (globalThis as { MonacoPerformanceMarks?: Marks }).MonacoPerformanceMarks?.getMarks();
  if (!marks) throw new Error('the extension host has no performance marks (globalThis.MonacoPerformanceMarks)');
  const span = (from: string, to: string): number => {
    const start = marks.find((m) => m.name === `code/extHost/${from}/${id}`)?.startTime;
    const end = marks.find((m) => m.name === `code/extHost/${to}/${id}`)?.startTime;
    if (start === undefined || end === undefined) throw new Error(`no ${from}/${to} marks for ${id}`);
    return end - start;
  };
  return {
    extension: ours ? 'ours' : 'empty',
    loadMs: span('willLoadExtensionCode', 'didLoadExtensionCode'),
    activateMs: span('willActivateExtension', 'didActivateExtension'),
    ...(ours ? { activationMs: (api as BenchApi).activationMs } : {}),
  };
}
