// `npm run bench`: measures what users wait for and writes the figures to test-results/bench.json.
//   1. loading the extension bundle (the activation path) and the lazily loaded clients
//   2. listing the cluster's containers through the Docker Engine API
//   3. with the emulator images: `up` of Meta's compose file until every node answers /v1/health,
//      and /v1/health round trips through the pinned-certificate client
// Uses port 9090/33060 (Meta's compose): stop other clusters first.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readPeerCertificate } from '../src/api/peerCertificate';
import { WabaClient } from '../src/api/wabaClient';
import type { HealthBody } from '../src/contract';
import { DockerClient } from '../src/docker/dockerClient';
import { engineInputsHere, resolveEngine } from '../src/docker/dockerEndpoint';
import { engineFigures } from './engineFigures';

const ROOT = resolve(__dirname, '..');
const figures: Record<string, number | string> = {};

function stats(samples: number[]): { p50: number; p95: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { p50: Number(at(0.5).toFixed(2)), p95: Number(at(0.95).toFixed(2)) };
}

function record(name: string, value: number | string, unit = ''): void {
  figures[name] = value;
  console.log(`${name.padEnd(44)} ${value}${unit}`);
}

/** Loads a bundle in a fresh Node process (with a stand-in `vscode` module) and returns the ms. */
function loadMs(bundle: string): number {
  const script = `const M=require('module');const l=M._load;M._load=function(r,...a){return r==='vscode'?{}:l.call(this,r,...a)};` +
    `const t=performance.now();require(${JSON.stringify(bundle)});process.stdout.write(String(performance.now()-t))`;
  return Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
}

async function main(): Promise<void> {
  execFileSync('npm', ['run', '--silent', 'package'], { cwd: ROOT, stdio: 'ignore' });
  for (const bundle of ['extension', 'undici']) {
    const samples = Array.from({ length: 7 }, () => loadMs(join(ROOT, 'dist', `${bundle}.js`)));
    const s = stats(samples);
    record(`load dist/${bundle}.js p50 / p95`, `${s.p50} / ${s.p95}`, ' ms');
  }

  const docker = new DockerClient(resolveEngine(engineInputsHere(undefined)).endpoint);
  await docker.listProjectContainers('warmup');
  const list: number[] = [];
  for (let i = 0; i < 30; i++) { const t = performance.now(); await docker.listProjectContainers('bench'); list.push(performance.now() - t); }
  const l = stats(list);
  record('list project containers p50 / p95', `${l.p50} / ${l.p95}`, ' ms');
  await engineFigures(docker, record, stats);
  docker.dispose();

  if (spawnSync('bash', ['emulator/scripts/build-images.sh'], { cwd: ROOT, stdio: 'ignore' }).status !== 0) {
    record('cluster figures', 'skipped: the emulator images did not build');
  } else {
    await clusterFigures();
  }
  mkdirSync(join(ROOT, 'test-results'), { recursive: true });
  const out = join(ROOT, 'test-results', 'bench.json');
  writeFileSync(out, JSON.stringify({ at: new Date().toISOString(), node: process.version, figures }, null, 2) + '\n');
  console.log(`\nwritten to ${out}`);
}

async function clusterFigures(): Promise<void> {
  const parent = mkdtempSync(join(tmpdir(), 'waba-bench-'));
  const { createClusterFolder } = await import('../emulator/scripts/cluster-folder.mjs');
  const { dir } = createClusterFolder({ dir: join(parent, 'benchbiz'), db: 'mysql' });
  const compose = (...args: string[]) => execFileSync('docker-compose', args, { cwd: dir, stdio: 'ignore' });
  try {
    const t0 = performance.now();
    compose('up', '-d', 'db', 'waweb', 'master1', 'master2', 'wacore1', 'wacore2');
    record('docker-compose up -d (6 services)', ((performance.now() - t0) / 1000).toFixed(1), ' s');
    let pin;
    while (!pin) pin = await readPeerCertificate('127.0.0.1', 9090).catch(() => new Promise<undefined>((r) => setTimeout(r, 200)));
    const client = new WabaClient({ host: '127.0.0.1', port: 9090 }, pin);
    let token: string | undefined;
    while (!token) token = await client.login('admin', 'secret', 'Bench-Passw0rd!').then((r) => r.token, () => new Promise<undefined>((r) => setTimeout(r, 200)));
    // Until the seed's first state: 4 nodes, one primary master answering.
    for (;;) {
      const body = await client.health(token).then((r) => r.body, () => undefined);
      const nodes = Object.values((body?.health ?? {}) as Record<string, { role?: string }>);
      if (nodes.length === 4 && nodes.some((n) => n.role === 'primary_master')) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    record('up -> all 4 nodes in /v1/health', ((performance.now() - t0) / 1000).toFixed(1), ' s');
    const round: number[] = [];
    for (let i = 0; i < 50; i++) { const t = performance.now(); await client.call<HealthBody>('GET', '/v1/health', { authorization: `Bearer ${token}` }); round.push(performance.now() - t); }
    const r = stats(round);
    record('GET /v1/health (pinned TLS) p50 / p95', `${r.p50} / ${r.p95}`, ' ms');
    client.dispose();
  } finally {
    compose('down', '-v', '--remove-orphans', '-t', '2');
    rmSync(parent, { recursive: true, force: true });
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
