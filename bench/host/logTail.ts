// Log tail: a container writes `total` numbered lines after SIGUSR1 (the full bench: 12,000 lines/s
// for 10 s); "Tail Logs" follows it into an output channel while `docker logs -f` follows it beside.
// Lines are counted where the user reads them: the output channel's own file, which the Output view
// shows. Each consumer: lines received, lost and duplicated, when the last one arrived; the extension
// host's heap (after GC) before and after.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as vscode from 'vscode';
import type { LogTailOptions, LogTailSample, TailConsumer } from './protocol';
import { nowMs, run, sleep, until } from './support';

const MB = 1024 * 1024;
const TIMESTAMP = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z) /;

/** Counts numbered lines (`seq=<n>`), whole lines only, across chunks. */
class LineCounter {
  private partial = '';
  private readonly seen: Uint8Array;
  readonly result: TailConsumer = { received: 0, lost: 0, duplicated: 0, lastArrival: 0 };
  readonly produced: { first?: number; last?: number } = {};

  constructor(private readonly total: number) { this.seen = new Uint8Array(total); }

  push(text: string): void {
    const lines = (this.partial + text).split('\n');
    this.partial = lines.pop() ?? '';
    const at = nowMs();
    for (const line of lines) {
      const m = /seq=(\d+)/.exec(line);
      if (!m) continue;
      const seq = Number(m[1]);
      if (seq >= this.total) continue;
      if (this.seen[seq]) this.result.duplicated++;
      else { this.seen[seq] = 1; this.result.received++; }
      this.result.lastArrival = at;
      if (seq === 0 || seq === this.total - 1) {
        const ts = TIMESTAMP.exec(line)?.[1];
        if (ts) this.produced[seq === 0 ? 'first' : 'last'] = Date.parse(ts);
      }
    }
  }

  finish(): TailConsumer {
    this.result.lost = this.total - this.result.received;
    return this.result;
  }
}

export async function logTailSample(options: LogTailOptions): Promise<LogTailSample> {
  const gc = exposeGc();
  gc();
  const before = process.memoryUsage();
  let rssPeak = before.rss;
  const sampler = setInterval(() => { rssPeak = Math.max(rssPeak, process.memoryUsage().rss); }, 100);

  const raw = new LineCounter(options.total);
  const cli = spawn('docker', ['logs', '-f', '--tail', '0', options.containerId]);
  cli.stdout.setEncoding('utf8').on('data', (chunk: string) => raw.push(chunk));
  let cliRss: number | undefined;

  const ours = new LineCounter(options.total);
  const shown = await vscode.commands.executeCommand('wabaCluster.tailLogs', { id: options.containerId, label: options.service });
  if (shown !== options.service) throw new Error(`Tail Logs answered ${String(shown)}, not ${options.service}`);
  const file = await until('the output channel\'s file', () => channelFile(options.logsRoot, options.service), (f) => f !== undefined, 10_000);
  const follower = followFile(file!, (text) => ours.push(text));
  try {
    await sleep(1_500); // both attached
    const goAt = nowMs();
    await run('docker', ['kill', '-s', 'USR1', options.containerId]);
    let last = -1;
    let stalledSince = Date.now();
    for (;;) {
      await sleep(100);
      const got = ours.result.received + raw.result.received;
      if (got === 2 * options.total) break;
      if (got !== last) { last = got; stalledSince = Date.now(); } else if (Date.now() - stalledSince > 15_000) break;
    }
    cliRss = vmRss(cli.pid);
    follower.stop();
    cli.kill();
    clearInterval(sampler);
    await sleep(2_000);
    gc();
    const after = process.memoryUsage();
    return {
      total: options.total, firstProduced: ours.produced.first ?? raw.produced.first, lastProduced: ours.produced.last ?? raw.produced.last, goAt,
      ours: ours.finish(), raw: raw.finish(),
      memory: { heapBefore: before.heapUsed / MB, heapAfter: after.heapUsed / MB, rssBefore: before.rss / MB, rssPeak: rssPeak / MB, rssAfter: after.rss / MB, cliRss },
    };
  } finally {
    follower.stop();
    cli.kill();
    clearInterval(sampler);
  }
}

/** The file VS Code writes the output channel "WABA logs: <service>" to (":" is dropped from its name). */
function channelFile(root: string, service: string): string | undefined {
  const suffix = `-WABA logs ${service}.log`;
  const found = readdirSync(root, { recursive: true }).map(String).filter((f) => f.endsWith(suffix)).map((f) => join(root, f));
  return found.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
}

/** Reads what is appended to a file, every 20 ms. */
function followFile(file: string, onText: (text: string) => void): { stop(): void } {
  const fd = openSync(file, 'r');
  let offset = 0;
  const buffer = Buffer.alloc(4 * MB);
  const read = (): void => {
    for (;;) {
      const n = readSync(fd, buffer, 0, buffer.length, offset);
      if (n <= 0) return;
      offset += n;
      onText(buffer.toString('utf8', 0, n));
    }
  };
  const timer = setInterval(read, 20);
  let stopped = false;
  return { stop: () => { if (stopped) return; stopped = true; clearInterval(timer); read(); closeSync(fd); } };
}

function exposeGc(): () => void {
  setFlagsFromString('--expose_gc');
  return runInNewContext('gc') as () => void;
}

function vmRss(pid: number | undefined): number | undefined {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : undefined;
  } catch { return undefined; }
}
