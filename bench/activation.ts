// Activation in the real extension host, one window per sample: loading and activating WABA Cluster,
// and in the windows between, an empty extension activated by the same event in the same folder (each
// alone in its window, timed the same way: see bench/host/activation.ts).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ExtensionHostLauncher } from './hostRuns';
import type { ActivationSample } from './host/protocol';
import { Results, sampled } from './results';

const ROOT = resolve(__dirname, '..');

export async function activationFigures(results: Results, host: ExtensionHostLauncher, runs: number): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), 'waba-bench-activation-'));
  const folder = join(tmp, 'wababenchactivation');
  mkdirSync(folder);
  // Each window opens without it (nothing activates at startup); the scenario copies it in.
  const composeFile = join(ROOT, 'test', 'harness', 'fixtures', 'multiconnect-compose.yml');
  const samples: ActivationSample[] = [];
  const errors: string[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      for (const extension of ['ours', 'empty'] as const) {
        rmSync(join(folder, 'multiconnect-compose.yml'), { force: true });
        const answer = await host.run({ name: `activation ${i + 1}/${runs} (${extension})`, folder, extension, options: { scenarios: ['activation'], activation: { composeFile } } });
        if (answer.activation) samples.push(answer.activation);
        else errors.push(answer.errors.activation ?? 'no sample');
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const ours = samples.filter((s) => s.extension === 'ours');
  const empty = samples.filter((s) => s.extension === 'empty');
  if (ours.length === 0 || empty.length === 0) {
    for (const id of ['activation.host', 'activation.load']) results.notRun(id, `no window gave a sample of ${ours.length ? 'the empty extension' : 'ours'}: ${errors[0]?.split('\n')[0]}`);
    return;
  }
  const note = `${ours.length} + ${empty.length} windows, one extension in each${errors.length ? `; ${errors.length} without a sample` : ''}; the extension host's performance.now()`;
  results.record('activation.host', {
    ours: sampled('WABA Cluster: `Extension.activate()`, code loaded', 'ms', ours.map((s) => s.activateMs)),
    comparison: sampled('empty extension', 'ms', empty.map((s) => s.activateMs)),
    parts: { activate: sampled('`activate()` body (its own clock)', 'ms', ours.map((s) => s.activationMs ?? NaN)) },
    note,
  });
  results.record('activation.load', {
    ours: sampled('`require` of dist/extension.js', 'ms', ours.map((s) => s.loadMs)),
    comparison: sampled('empty extension', 'ms', empty.map((s) => s.loadMs)),
    note,
  });
}
