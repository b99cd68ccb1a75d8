// Entry of the benchmark inside the VS Code extension host (extensionTestsPath =
// dist-bench/host/index.js): runs the scenarios WABA_BENCH_OPTIONS names, one after the other, and
// writes their raw samples to WABA_BENCH_RESULT_FILE. A scenario that fails is reported by name;
// the others still run.
import { writeFileSync } from 'node:fs';
import { activationSample } from './activation';
import { composeSample } from './composeOverhead';
import { logTailSample } from './logTail';
import type { HostBenchOptions, HostBenchResults } from './protocol';
import { renderSamples } from './render';
import { benchApi } from './support';
import { treeSamples } from './treeLatency';

export async function run(): Promise<void> {
  const options = JSON.parse(process.env.WABA_BENCH_OPTIONS ?? '{"scenarios":[]}') as HostBenchOptions;
  const results: HostBenchResults = { errors: {} };
  // Activation first: nothing else of ours may have run yet.
  const steps: { [K in HostBenchOptions['scenarios'][number]]: () => Promise<void> } = {
    activation: async () => { results.activation = await activationSample(need(options.activation, 'activation')); },
    tree: async () => { results.tree = await treeSamples(await benchApi(), need(options.tree, 'tree')); },
    logTail: async () => { results.logTail = await logTailSample(need(options.logTail, 'logTail')); },
    compose: async () => { results.compose = await composeSample(await benchApi(), need(options.compose, 'compose')); },
    render: async () => { results.render = await renderSamples(await benchApi(), need(options.render, 'render')); },
  };
  for (const scenario of options.scenarios) {
    const started = Date.now();
    try {
      await steps[scenario]();
      console.log(`[bench host] ${scenario}: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    } catch (error) {
      results.errors[scenario] = error instanceof Error ? error.stack ?? error.message : String(error);
      console.log(`[bench host] ${scenario} failed: ${results.errors[scenario]}`);
    }
  }
  const file = process.env.WABA_BENCH_RESULT_FILE;
  if (file) writeFileSync(file, JSON.stringify(results) + '\n');
}

function need<T>(value: T | undefined, scenario: string): T {
  if (value === undefined) throw new Error(`no options for the ${scenario} scenario`);
  return value;
}
