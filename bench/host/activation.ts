// Activation as VS Code itself counts it (the extension host's performance marks, the figures of
// "Developer: Show Running Extensions"), for our extension and for an empty one activated by the
// same event in the same window.
import * as vscode from 'vscode';
import { EMPTY_EXTENSION_ID, EXTENSION_ID, type ActivationSample } from './protocol';
import type { BenchApi } from './support';

interface Marks { getMarks(): Array<{ name: string; startTime: number }> }

export async function activationSample(): Promise<ActivationSample> {
  const ours = vscode.extensions.getExtension<BenchApi>(EXTENSION_ID);
  const empty = vscode.extensions.getExtension(EMPTY_EXTENSION_ID);
  if (!ours || !empty) throw new Error(`both ${EXTENSION_ID} and ${EMPTY_EXTENSION_ID} must be loaded`);
  const [api] = await Promise.all([ours.activate(), empty.activate()]);
  const marks = (globalThis as { MonacoPerformanceMarks?: Marks }).MonacoPerformanceMarks?.getMarks();
  if (!marks) throw new Error('the extension host has no performance marks (globalThis.MonacoPerformanceMarks)');
  const span = (id: string, from: string, to: string): number => {
    const start = marks.find((m) => m.name === `code/extHost/${from}/${id}`)?.startTime;
    const end = marks.find((m) => m.name === `code/extHost/${to}/${id}`)?.startTime;
    if (start === undefined || end === undefined) throw new Error(`no ${from}/${to} marks for ${id}`);
    return end - start;
  };
  const of = (id: string) => ({ loadMs: span(id, 'willLoadExtensionCode', 'didLoadExtensionCode'), activateMs: span(id, 'willActivateExtension', 'didActivateExtension') });
  return { ours: { ...of(EXTENSION_ID), activationMs: api.activationMs }, empty: of(EMPTY_EXTENSION_ID) };
}
