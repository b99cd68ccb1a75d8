// Docker figures beside what a user would compare them with, measured in the same run on the same
// engine: the extension's one event stream vs `docker events`, its log tail vs `docker logs -f`,
// and a listing through its Engine API client vs `docker ps`.
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { COMPOSE_PROJECT_LABEL, DockerClient } from '../src/docker/dockerClient';
import { LogTailSet } from '../src/docker/logTailSet';
import { TINY_IMAGE, buildTinyImage, removeTinyImage } from '../test/support/tinyImage';

type Record = (name: string, value: number | string, unit?: string) => void;
type Stats = (samples: number[]) => { p50: number; p95: number };

const PROJECT = `wababench${process.pid}`;
const nowNs = (): bigint => BigInt(Date.now()) * 1_000_000n;

export async function engineFigures(docker: DockerClient, record: Record, stats: Stats): Promise<void> {
  buildTinyImage();
  const cli: ChildProcess[] = [];
  const ids: string[] = [];
  try {
    const ps: number[] = [];
    for (let i = 0; i < 15; i++) { const t = performance.now(); execFileSync('docker', ['ps', '-a', '--filter', `label=${COMPOSE_PROJECT_LABEL}=${PROJECT}`], { stdio: 'ignore' }); ps.push(performance.now() - t); }
    const p = stats(ps);
    record('raw `docker ps -a --filter label=…` p50 / p95', `${p.p50} / ${p.p95}`, ' ms');

    // Events: delay from the engine's event time to its arrival, through the hub and through the CLI.
    const hubDelay: number[] = [];
    const cliDelay: number[] = [];
    const sub = docker.events.subscribe({ event: (e) => { if (e.project === PROJECT && e.action === 'create' && e.timeNano) hubDelay.push(Number(nowNs() - BigInt(e.timeNano)) / 1e6); } });
    const events = spawn('docker', ['events', '--filter', 'type=container', '--filter', `label=${COMPOSE_PROJECT_LABEL}=${PROJECT}`, '--filter', 'event=create', '--format', '{{.TimeNano}}']);
    cli.push(events);
    createInterface({ input: events.stdout! }).on('line', (line) => cliDelay.push(Number(nowNs() - BigInt(line.trim())) / 1e6));
    await sleep(1_000);
    for (let i = 0; i < 10; i++) {
      ids.push(execFileSync('docker', ['create', '--label', `${COMPOSE_PROJECT_LABEL}=${PROJECT}`, '--label', `com.docker.compose.service=s${i}`, TINY_IMAGE], { encoding: 'utf8' }).trim());
      await sleep(100);
    }
    await sleep(500);
    sub.dispose();
    const h = stats(hubDelay);
    const c = stats(cliDelay);
    record('container event: extension hub / raw `docker events` p50', `${h.p50} / ${c.p50}`, ' ms');

    // Logs: delay from the line's Docker timestamp to its arrival, through the tail and through the CLI.
    const id = execFileSync('docker', ['run', '-d', '--label', `${COMPOSE_PROJECT_LABEL}=${PROJECT}`, '--label', 'com.docker.compose.service=ticker', TINY_IMAGE,
      '/bin/sh', '-c', 'i=0; while [ $i -lt 400 ]; do echo $i; i=$((i+1)); /bin/sleep 0.05; done; /bin/sleep 600'], { encoding: 'utf8' }).trim();
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
      const docker = Date.parse(ts);
      logsDelay.push(Date.now() - docker);
      const ours = arrivedAt.get(text);
      if (ours !== undefined) tailDelay.push(ours - docker);
    });
    await sleep(5_000);
    tails.dispose();
    const t = stats(tailDelay);
    const l = stats(logsDelay);
    record('log line: extension tail / raw `docker logs -f` p50', `${t.p50} / ${l.p50}`, ' ms');
  } finally {
    for (const child of cli) child.kill();
    if (ids.length) execFileSync('docker', ['rm', '-f', ...ids], { stdio: 'ignore' });
    removeTinyImage();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
