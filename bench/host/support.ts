// Helpers of the benchmark's extension-host scenarios.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import type { ProbeEvent } from '../../src/testing/testHooks';
import type { WabaClusterApi } from '../../test/vscode/support';
import { EXTENSION_ID } from './protocol';

export type TimedProbeEvent = ProbeEvent & { at: number };

/** The extension's Test-mode API, with the probe the benchmark times the views with. */
export type BenchApi = WabaClusterApi & { probe(listener: (event: TimedProbeEvent) => void): { dispose(): void } };

export async function benchApi(): Promise<BenchApi> {
  const ext = vscode.extensions.getExtension<BenchApi>(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not loaded in this window (loaded: ${loadedExtensions()})`);
  return ext.activate();
}

/** The window's extensions other than VS Code's own, for messages. */
export const loadedExtensions = (): string => vscode.extensions.all.filter((e) => !e.id.startsWith('vscode.')).map((e) => e.id).join(', ');

/** Epoch milliseconds with sub-millisecond precision (the probe's clock). */
export const nowMs = (): number => performance.timeOrigin + performance.now();

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

const execFileAsync = promisify(execFile);

export async function run(command: string, args: string[], cwd?: string): Promise<string> {
  const { stdout } = await execFileAsync(command, args, { cwd, maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}

/** Reads `read()` until `accept` holds; throws with the last value after `timeoutMs`. */
export async function until<T>(what: string, read: () => T | Promise<T>, accept: (v: T) => boolean, timeoutMs = 60_000, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)?.slice(0, 500)}`);
    await sleep(everyMs);
  }
}

/** Records the probe's events from now on. */
export function recordProbe(api: BenchApi): { events: TimedProbeEvent[]; dispose(): void } {
  const events: TimedProbeEvent[] = [];
  const sub = api.probe((e) => events.push(e));
  return { events, dispose: () => sub.dispose() };
}
