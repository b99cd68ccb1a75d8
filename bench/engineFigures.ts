// Docker figures in plain Node (no VS Code), beside what a user would compare them with, measured
// in the same run on the same engine: a listing through the extension's Engine API client vs
// `docker ps`, its one event stream vs `docker events`, its log tail vs `docker logs -f`.
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { COMPOSE_PROJECT_LABEL, DockerClient } from '../src/docker/dockerClient';
import { LogTailSet } from '../src/docker/logTailSet';
import { TINY_IMAGE, buildTinyImage, removeTinyImage } from '../test/support/tinyImage';
import { Results, sampled } from './results';

const PROJECT = `wababench${process.pid}`;
/** Epoch nanoseconds, to the microsecond (the engine's event times are epoch nanoseconds). */
const nowNs = (): bigint => BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000)) * 1000n;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface EngineFigureSizes { listings: number; events: number; logSeconds: number }

export async function engineFigures(results: Results, docker: DockerClient, sizes: EngineFigureSizes): Promise<void> {
  buildTinyImage();
  const cli: ChildProcess[] = [];
  const ids: string[] = [];
  try {
    await docker.listProjectContainers('warmup');
    const api: number[] = [];
    const ps: number[] = [];
    for (let i = 0; i < sizes.listings; i++) {
      let t = performance.now();
      await docker.listProjectContainers(PROJECT);
      api.push(performance.now() - t);
      t = performance.now();
      execFileSync('docker', ['ps', '-a', '--filter', `label=${COMPOSE_PROJECT_LABEL}=${PROJECT}`], { stdio: 'ignore' });
      ps.push(performance.now() - t);
    }
    results.record('engine.list', { ours: sampled('Engine API', 'ms', api), comparison: sampled('`docker ps -a --filter`', 'ms', ps) });

    // Events: from the engine's event time to the arrival, through the hub and through the CLI.
    const hubDelay: number[] = [];
    const cliDelay: number[] = [];
    const sub = docker.events.subscribe({ event: (e) => { if (e.project === PROJECT && e.action === 'create' && e.timeNano) hubDelay.push(Number(nowNs() - BigInt(e.timeNano)) / 1e6); } });
    const events = spawn('docker', ['events', '--filter', 'type=container', '--filter', `label=${COMPOSE_PROJECT_LABEL}=${PROJECT}`, '--filter', 'event=create', '--format', '{{.TimeNano}}']);
    cli.push(events);
    createInterface({ input: events.stdout! }).on('line', (line) => cliDelay.push(Number(nowNs() - BigInt(line.trim())) / 1e6));
    await sleep(1_000);
    for (let i = 0; i < sizes.events; i++) {
      ids.push(execFileSync('docker', ['create', '--label', `${COMPOSE_PROJECT_LABEL}=${PROJECT}`, '--label', `com.docker.compose.service=s${i}`, TINY_IMAGE], { encoding: 'utf8' }).trim());
      await sleep(100);
    }
    await sleep(500);
    sub.dispose();
    results.record('engine.event', { ours: sampled('event hub', 'ms', hubDelay), comparison: sampled('raw `docker events`', 'ms', cliDelay) });

    // Logs: from the line's Docker timestamp to its arrival, through the tail and through the CLI.
    const lines = sizes.logSeconds * 20;
    const id = execFileSync('docker', ['run', '-d', '--label', `${COMPOSE_PROJECT_LABEL}=${PROJECT}`, '--label', 'com.docker.compose.service=ticker', TINY_IMAGE,
      '/bin/sh', '-c', `i=0; while [ $i -lt ${lines} ]; do echo $i; i=$((i+1)); /bin/sleep 0.05; done; /bin/sleep 600`], { encoding: 'utf8' }).trim();
    ids.push(id);
    const tailDelay: number[] = [];
    const logsDelay: number[] = [];
    const arrivedAt = new Map<string, number>();
    const tails = new LogTailSet(docker, PROJECT, () => ({
      line: (l) => { arrivedAt.set(l.text, Date.now()); }, notice: () => undefined, reveal: () => undefined, dispose: () => undefined,
    }), { tail: 0 });
    await tails.show('ticker', id);
    const logs = spawn('docker', ['logs', '-f', '--timestamps', '--tail', '0', id]);
    cli.push(logs);
    createInterface({ input: logs.stdout! }).on('line', (line) => {
      const [ts, text] = line.split(' ');
      const written = Date.parse(ts);
      logsDelay.push(Date.now() - written);
      const ours = arrivedAt.get(text);
      if (ours !== undefined) tailDelay.push(ours - written);
    });
    await sleep(sizes.logSeconds * 1000);
    tails.dispose();
    results.record('engine.logLine', { ours: sampled('log tail', 'ms', tailDelay), comparison: sampled('`docker logs -f --timestamps`', 'ms', logsDelay), note: 'Docker timestamps and arrival in whole ms' });
  } finally {
    for (const child of cli) child.kill();
    if (ids.length) execFileSync('docker', ['rm', '-f', ...ids], { stdio: 'ignore' });
    removeTinyImage();
  }
}
