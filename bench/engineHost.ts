// Tree latency and log tail in the extension host, on containers labelled as the window's compose
// project (no cluster: nothing publishes the cluster ports). The containers are made and removed
// here, so nothing is left behind when the extension host fails.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { COMPOSE_PROJECT_LABEL, COMPOSE_SERVICE_LABEL } from '../src/docker/dockerClient';
import { TINY_IMAGE, buildTinyImage, removeTinyImage } from '../test/support/tinyImage';
import type { ExtensionHostLauncher } from './hostRuns';
import type { LogTailSample, TreeSample } from './host/protocol';
import { Results, round, sampled, single } from './results';
import { tailPipelineMemory } from './tailPipelineMemory';

const ROOT = resolve(__dirname, '..');
const SERVICES = ['db', 'waweb', 'master1', 'master2', 'wacore1', 'wacore2'];
/** A process that stops at once on SIGTERM (dash as PID 1 ignores signals it has no trap for). */
const STOPPABLE = ['/bin/sh', '-c', 'trap "exit 0" TERM; while :; do /bin/sleep 1 & wait $!; done'];

/**
 * Writes `total` lines at `rate` lines/s after SIGUSR1, each `<ISO time> INFO ticker seq=<n> …`
 * (about 100 bytes, like a node's log line), then stays up. Runs on the emulator image's Node.
 */
export const TICKER = (rate: number, total: number) => `
const pad = 'x'.repeat(40);
console.log('ready');
process.on('SIGUSR1', () => {
  const t0 = Date.now(); let n = 0;
  const tick = () => {
    const due = Math.min(${total}, Math.ceil((Date.now() - t0) / 1000 * ${rate}));
    let out = '';
    while (n < due) { out += new Date().toISOString() + ' INFO ticker seq=' + n + ' ' + pad + '\\n'; n++; }
    if (out) process.stdout.write(out);
    if (n < ${total}) setTimeout(tick, 5); else console.log('done ' + n + ' in ' + (Date.now() - t0) + ' ms');
  };
  tick();
});
setInterval(() => {}, 1 << 30);`;

export interface EngineHostOptions { changes: number; rate: number; seconds: number; image: string }

export async function engineHostFigures(results: Results, host: ExtensionHostLauncher, options: EngineHostOptions): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), 'waba-bench-engine-'));
  const project = `wababench${randomBytes(4).toString('hex')}`;
  const folder = join(tmp, project);
  mkdirSync(folder);
  copyFileSync(join(ROOT, 'test', 'harness', 'fixtures', 'multiconnect-compose.yml'), join(folder, 'multiconnect-compose.yml'));
  const labels = (service: string) => ['--label', `${COMPOSE_PROJECT_LABEL}=${project}`, '--label', `${COMPOSE_SERVICE_LABEL}=${service}`];
  const ids: string[] = [];
  buildTinyImage();
  try {
    const containers = SERVICES.map((service) => {
      const id = execFileSync('docker', ['run', '-d', '--name', `${project}_${service}_1`, ...labels(service), TINY_IMAGE, ...STOPPABLE], { encoding: 'utf8' }).trim();
      ids.push(id);
      return { id, service };
    });
    const total = options.rate * options.seconds;
    const ticker = execFileSync('docker', ['run', '-d', '--name', `${project}_ticker_1`, ...labels('ticker'), '--entrypoint', '/usr/bin/node', options.image, '-e', TICKER(options.rate, total)], { encoding: 'utf8' }).trim();
    ids.push(ticker);
    const answer = await host.run({
      name: 'tree latency and log tail', folder,
      options: {
        scenarios: ['tree', 'logTail'],
        tree: { containers, changes: options.changes, gapMs: 500 },
        logTail: { containerId: ticker, service: 'ticker', total, logsRoot: '' },
      },
    });
    if (answer.tree) treeFigures(results, answer.tree);
    else for (const id of ['tree.changed', 'tree.served']) results.notRun(id, `the extension host failed: ${answer.errors.tree?.split('\n')[0]}`);
    // The ticker's burst once more, followed by the same pipeline in this process (no VS Code).
    const pipeline = answer.logTail ? await tailPipelineMemory(project, 'ticker', ticker, total) : undefined;
    if (answer.logTail) logTailFigures(results, answer.logTail, options.rate, pipeline);
    else for (const id of ['logTail.rate', 'logTail.memory', 'logTail.lost']) results.notRun(id, `the extension host failed: ${answer.errors.logTail?.split('\n')[0]}`);
  } finally {
    if (ids.length) execFileSync('docker', ['rm', '-f', ...ids], { stdio: 'ignore' });
    removeTinyImage();
    rmSync(tmp, { recursive: true, force: true });
  }
}

function treeFigures(results: Results, samples: TreeSample[]): void {
  const raw = sampled('raw `docker events`', 'ms', samples.map((s) => s.rawMs));
  const missed = (key: 'changedMs' | 'servedMs') => samples.filter((s) => s[key] === undefined).length;
  const byAction = (key: 'changedMs' | 'servedMs') => Object.fromEntries((['stop', 'start', 'kill'] as const).map((a) => [a, sampled(`${a}`, 'ms', samples.filter((s) => s.action === a && s[key] !== undefined).map((s) => s[key]!))]));
  for (const [id, key, label] of [['tree.changed', 'changedMs', 'row changed'], ['tree.served', 'servedMs', 'rows fetched by VS Code']] as const) {
    const values = samples.map((s) => s[key]).filter((v): v is number => v !== undefined);
    results.record(id, {
      ours: sampled(label, 'ms', values), comparison: raw, parts: byAction(key),
      note: `${samples.length} changes (stop, start, kill of 6 containers)${missed(key) ? `; ${missed(key)} never reached the tree` : ''}`,
    });
  }
}

function logTailFigures(results: Results, s: LogTailSample, rate: number, pipeline: { heapBefore: number; heapAfter: number; lines: number } | undefined): void {
  const start = s.firstProduced ?? s.goAt;
  const rateOf = (received: number, last: number) => (last > start ? round(received / ((last - start) / 1000), 0) : 0);
  const produced = s.firstProduced !== undefined && s.lastProduced !== undefined && s.lastProduced > s.firstProduced ? round(s.total / ((s.lastProduced - s.firstProduced) / 1000), 0) : NaN;
  results.record('logTail.rate', {
    ours: single('output channel', 'lines/s', rateOf(s.ours.received, s.ours.lastArrival)),
    comparison: single('`docker logs -f`', 'lines/s', rateOf(s.raw.received, s.raw.lastArrival)),
    parts: {
      produced: single(`container wrote (asked ${rate}/s)`, 'lines/s', produced),
      oursLag: single('last line: output channel after the container wrote it', 'ms', s.lastProduced ? s.ours.lastArrival - s.lastProduced : NaN),
      rawLag: single('last line: `docker logs -f` after the container wrote it', 'ms', s.lastProduced ? s.raw.lastArrival - s.lastProduced : NaN),
    },
    note: `${s.total} lines`,
  });
  results.record('logTail.memory', {
    ours: single('heap after', 'MB', s.memory.heapAfter), comparison: single('heap before', 'MB', s.memory.heapBefore),
    parts: {
      rssBefore: single('extension host RSS before', 'MB', s.memory.rssBefore), rssPeak: single('RSS peak', 'MB', s.memory.rssPeak),
      rssAfter: single('RSS after', 'MB', s.memory.rssAfter), ...(s.memory.cliRss !== undefined ? { cliRss: single('`docker logs -f` RSS', 'MB', s.memory.cliRss) } : {}),
      ...(pipeline ? {
        pipelineBefore: single('our tail without VS Code (plain Node, a sink that counts): heap before', 'MB', pipeline.heapBefore),
        pipelineAfter: single(`the same after the burst (${pipeline.lines} lines)`, 'MB', pipeline.heapAfter),
      } : {}),
    },
  });
  results.record('logTail.lost', {
    ours: single('output channel', 'lines', s.ours.lost + s.ours.duplicated), comparison: single('`docker logs -f`', 'lines', s.raw.lost + s.raw.duplicated),
    parts: {
      oursLost: single('lost (output channel)', 'lines', s.ours.lost), oursDuplicated: single('duplicated (output channel)', 'lines', s.ours.duplicated),
      rawLost: single('lost (`docker logs -f`)', 'lines', s.raw.lost), rawDuplicated: single('duplicated (`docker logs -f`)', 'lines', s.raw.duplicated),
    },
  });
}
