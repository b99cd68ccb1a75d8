// What the benchmark's orchestrator (bench/bench.ts) asks of one extension-host run, and what the run
// answers: raw samples; the orchestrator turns them into figures. Passed as JSON in
// WABA_BENCH_OPTIONS, answered in the file WABA_BENCH_RESULT_FILE.

export const EXTENSION_ID = 'waba-cluster.waba-cluster';
export const EMPTY_EXTENSION_ID = 'waba-bench.waba-bench-empty';

export interface TreeOptions {
  /** Containers of the workspace's project (labelled as compose would), running at the start. */
  containers: Array<{ id: string; service: string }>;
  changes: number;
  /** Pause between two changes, so each is measured on its own. */
  gapMs: number;
}

export interface LogTailOptions {
  containerId: string;
  service: string;
  /** Lines the container writes after SIGUSR1, each with `seq=<n>` (0 … total-1). */
  total: number;
  /** Where VS Code writes its logs (the output channel's file is found under it). */
  logsRoot: string;
}

export interface ComposeOptions {
  /** The raw command, as the user types it in the folder ("docker-compose" or "docker compose"). */
  cli: string;
  service: string;
  rounds: number;
}

export interface RenderOptions {
  fingerprint: string;
  username: string;
  password: string;
  /** A standby coreapp, cut off its network and put back to change health. */
  service: string;
  /** The cluster's network (`<project>_default`). */
  network: string;
  samples: number;
}

export interface ActivationOptions {
  /** Copied into the window's folder once it is open: the activation event's file. */
  composeFile: string;
}

export interface HostBenchOptions {
  scenarios: Array<'activation' | 'tree' | 'logTail' | 'compose' | 'render'>;
  activation?: ActivationOptions;
  tree?: TreeOptions;
  logTail?: LogTailOptions;
  compose?: ComposeOptions;
  render?: RenderOptions;
}

/** One window's activation of the one extension under development in it (ours, or the empty one). */
export interface ActivationSample {
  extension: 'ours' | 'empty';
  /** Sub-millisecond clock: `require` of the main file, then `Extension.activate()` with the code loaded. */
  loadMs: number;
  activateMs: number;
  /** Ours only: the body of `activate()` on its own clock. */
  activationMs?: number;
}

export interface TreeSample {
  action: 'stop' | 'start' | 'kill';
  service: string;
  /** From the engine's event time to: the raw `docker events` line, the row changed, VS Code fetched it. */
  rawMs: number;
  changedMs?: number;
  servedMs?: number;
}

export interface TailConsumer {
  received: number;
  lost: number;
  duplicated: number;
  /** Epoch ms when the last line arrived. */
  lastArrival: number;
}

export interface LogTailSample {
  total: number;
  /** The producer's own times of its first and last line (epoch ms), when its lines carry them. */
  firstProduced?: number;
  lastProduced?: number;
  goAt: number;
  ours: TailConsumer;
  raw: TailConsumer;
  /** Extension host heap (after GC) and RSS, MB. */
  memory: { heapBefore: number; heapAfter: number; rssBefore: number; rssPeak: number; rssAfter: number; cliRss?: number };
}

export interface ComposeSample { ext: { start: number[]; stop: number[] }; raw: { start: number[]; stop: number[] } }

export interface RenderSample { treeChangedMs?: number; treeServedMs?: number; views: Record<string, { ackMs: number; ownMs: number } | undefined> }

export interface HostBenchResults {
  activation?: ActivationSample;
  tree?: TreeSample[];
  logTail?: LogTailSample;
  compose?: ComposeSample;
  render?: RenderSample[];
  errors: Record<string, string>;
}
