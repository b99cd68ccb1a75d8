// Activation in the real extension host, one window per sample: VS Code's own marks for loading and
// activating WABA Cluster, and in the windows between, an empty extension activated by the same event
// in the same folder (each alone in its window: see bench/host/activation.ts).
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
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
  copyFileSync(join(ROOT, 'test', 'harness', 'fixtures', 'multiconnect-compose.yml'), join(folder, 'multiconnect-compose.yml'));
  const samples: ActivationSample[] = [];
  const errors: string[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      for (const extension of ['ours', 'empty'] as const) {
        const answer = await host.run({ name: `activation ${i + 1}/${runs} (${extension})`, folder, extension, options: { scenarios: ['activation'] } });
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
  const note = `${ours.length} + ${empty.length} windows, one extension in each${errors.length ? `; ${errors.length} without a sample` : ''}; VS Code's marks have 1 ms resolution`;
  results.record('activation.host', {
    ours: sampled('WABA Cluster', 'ms', ours.map((s) => s.activateMs)),
    comparison: sampled('empty extension', 'ms', empty.map((s) => s.activateMs)),
    parts: { activate: sampled('`activate()` body (its own clock)', 'ms', ours.map((s) => s.activationMs ?? NaN)) },
    note,
  });
  results.record('activation.load', {
    ours: sampled('dist/extension.js', 'ms', ours.map((s) => s.loadMs)),
    comparison: sampled('empty extension', 'ms', empty.map((s) => s.loadMs)),
    note,
  });
}
