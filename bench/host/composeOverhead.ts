// Compose overhead: Start Service and Stop Service through the extension (the commands a user
// clicks on a tree row) against the same raw compose command typed in the cluster folder, with the
// compose CLI of this window (the machine setting wabaCluster.composeCommand). Rounds alternate
// which goes first; the node is given time to settle after each start.
import * as vscode from 'vscode';
import type { ComposeOptions, ComposeSample } from './protocol';
import { BenchApi, nowMs, run, sleep, until } from './support';

const SETTLE_AFTER_START_MS = 3_000;
const SETTLE_AFTER_STOP_MS = 1_000;

export async function composeSample(api: BenchApi, options: ComposeOptions): Promise<ComposeSample> {
  const folder = api.workspace().folder;
  if (!folder) throw new Error('the window has no cluster folder');
  const [file, ...prefix] = options.cli.split(' ');
  // The extension finds out which compose CLI is installed after activation.
  await until(`the extension to use ${options.cli}`, () => api.workspace().compose, (c) => c.startsWith(options.cli), 30_000);
  const row = { label: options.service, id: '' };
  const actions = {
    ext: {
      stop: async () => { if (await vscode.commands.executeCommand('wabaCluster.stopService', row) !== true) throw new Error('Stop Service failed'); },
      start: async () => { if (await vscode.commands.executeCommand('wabaCluster.startService', row) !== true) throw new Error('Start Service failed'); },
    },
    raw: {
      stop: async () => { await run(file, [...prefix, 'stop', options.service], folder); },
      start: async () => { await run(file, [...prefix, 'up', '-d', options.service], folder); },
    },
  };
  // Warm-up: the first `up` of a CLI may re-create the container (the other CLI made it).
  await actions.raw.stop();
  await actions.raw.start();
  await sleep(SETTLE_AFTER_START_MS);

  const sample: ComposeSample = { ext: { start: [], stop: [] }, raw: { start: [], stop: [] } };
  const timed = async (who: 'ext' | 'raw', verb: 'start' | 'stop'): Promise<void> => {
    const t = nowMs();
    await actions[who][verb]();
    sample[who][verb].push(nowMs() - t);
    await sleep(verb === 'start' ? SETTLE_AFTER_START_MS : SETTLE_AFTER_STOP_MS);
  };
  for (let round = 0; round < options.rounds; round++) {
    for (const who of round % 2 === 0 ? (['ext', 'raw'] as const) : (['raw', 'ext'] as const)) {
      await timed(who, 'stop');
      await timed(who, 'start');
    }
  }
  return sample;
}
