// `npm run soak` (root; not part of npm test): fresh emulated clusters brought up and down again and
// again, on MySQL (MariaDB) and PostgreSQL, with compose v1 and v2, while a CPU hog holds every core
// (and an unloaded sample beside it). Every start-up is timed from `up -d` until every node is in
// health (the webapp answers TLS on 9090, admin logs in, /v1/health lists both masters and the three
// coreapps, one primary master, none unreachable; an unregistered cluster's other nodes answer 1011,
// "not instantiated", as Meta's do); a start-up that does not get there
// within the limit is a failure, recorded with `ps -a` and every node's log.
// It runs on an engine of its own in a network namespace (test/support/secondEngine.ts), with the
// emulator images loaded into it, so it needs neither the shared engine's lock nor its ports; the
// namespace, engine and folders are removed at the end, on failure and on Ctrl+C too.
//   npm run soak -- [--per-db 50] [--unloaded-per-db 10] [--limit-s 240] [--out /tmp/waba-soak]
// Writes <out>/records.jsonl (one line per start-up), <out>/failures/<n>-<db>-<cli>/ (logs) and
// <out>/result.txt (the distribution, also printed).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { startSecondEngine, type SecondEngine } from '../test/support/secondEngine';
import { summarizeHealth } from '../emulator/test/support/health';
import { WabaClient } from '../emulator/test/support/waba-client';
import type * as ClusterFolderModule from '../emulator/scripts/cluster-folder.mjs' with { 'resolution-mode': 'import' };

const ROOT = resolve(__dirname, '..');
const run = promisify(execFile);
const DBS = ['mysql', 'postgres'] as const;
const CLIS = [['v1', 'docker-compose'], ['v2', 'docker compose']] as const;
const NODES = ['master1', 'master2', 'wacore1', 'wacore2', 'wacore3'];
const SERVICES = ['db', 'waweb', ...NODES];

interface Options { perDb: number; unloadedPerDb: number; limitS: number; out: string; images: string }
interface Plan { n: number; db: typeof DBS[number]; cli: typeof CLIS[number][0]; loaded: boolean }
export interface StartRecord extends Plan {
  ok: boolean;
  /** up -d → every node in health; on failure, until the limit. */
  totalMs: number;
  upMs?: number; tlsMs?: number; loginMs?: number; healthMs?: number;
  downMs?: number;
  error?: string;
  logsDir?: string;
}

function options(argv: string[]): Options {
  const value = (name: string, fallback: string) => { const i = argv.indexOf(`--${name}`); return i >= 0 && argv[i + 1] ? argv[i + 1] : fallback; };
  const count = (name: string, fallback: number) => {
    const n = Number(value(name, String(fallback)));
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number (got ${value(name, '')})`);
    return n;
  };
  return {
    perDb: count('per-db', 50), unloadedPerDb: count('unloaded-per-db', 10), limitS: count('limit-s', 240),
    out: resolve(value('out', join(tmpdir(), 'waba-soak'))), images: process.env.WABA_EMULATOR_IMAGES || 'waba-emulator',
  };
}

/** Loaded and unloaded runs interleaved (the machine's other load changes over an hour), each DB with both CLIs in turn. */
export function soakPlan(perDb: number, unloadedPerDb: number): Plan[] {
  const sequence = (loaded: boolean, count: number) => Array.from({ length: count * DBS.length }, (_, i) => ({
    db: DBS[i % DBS.length], cli: CLIS[Math.floor(i / DBS.length) % CLIS.length][0], loaded,
  }));
  const loaded = sequence(true, perDb);
  const unloaded = sequence(false, unloadedPerDb);
  const every = unloaded.length ? Math.max(1, Math.floor(loaded.length / unloaded.length)) : Infinity;
  const plan: Omit<Plan, 'n'>[] = [];
  for (let i = 0; i < loaded.length; i++) {
    plan.push(loaded[i]);
    if ((i + 1) % every === 0 && unloaded.length) plan.push(unloaded.shift()!);
  }
  plan.push(...unloaded);
  return plan.map((p, i) => ({ n: i + 1, ...p }));
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** The distribution table: per DB and load, start-ups, failures, p50/p95/max in seconds; then per CLI. */
export function distribution(records: StartRecord[]): string {
  const s = (ms: number) => (Number.isNaN(ms) ? '-' : (ms / 1000).toFixed(1));
  const row = (label: string, rs: StartRecord[]) => {
    const times = rs.filter((r) => r.ok).map((r) => r.totalMs).sort((a, b) => a - b);
    const failed = rs.filter((r) => !r.ok).length;
    return `${label.padEnd(42)} ${String(rs.length).padStart(5)} ${String(failed).padStart(7)} ${s(percentile(times, 50)).padStart(7)} ${s(percentile(times, 95)).padStart(7)} ${s(times.at(-1) ?? NaN).padStart(7)}`;
  };
  const lines = [`${'start-ups (up -d → every node in health)'.padEnd(42)} ${'runs'.padStart(5)} ${'failed'.padStart(7)} ${'p50 s'.padStart(7)} ${'p95 s'.padStart(7)} ${'max s'.padStart(7)}`];
  const label = { mysql: 'MySQL (MariaDB)', postgres: 'PostgreSQL' };
  for (const db of DBS) {
    for (const loaded of [true, false]) {
      const rs = records.filter((r) => r.db === db && r.loaded === loaded);
      if (rs.length) lines.push(row(`${label[db]}, ${loaded ? `CPU hog on ${cpus().length} cores` : 'unloaded'}`, rs));
    }
  }
  for (const db of DBS) {
    for (const [cli] of CLIS) {
      const rs = records.filter((r) => r.db === db && r.cli === cli && r.loaded);
      if (rs.length) lines.push(row(`  ${label[db]}, compose ${cli}, loaded`, rs));
    }
  }
  const phases = (rs: StartRecord[]) => {
    const ok = rs.filter((r) => r.ok);
    const med = (pick: (r: StartRecord) => number | undefined) => s(percentile(ok.map(pick).filter((v): v is number => v !== undefined).sort((a, b) => a - b), 50));
    return `up -d returns ${med((r) => r.upMs)} s, webapp answers TLS ${med((r) => r.tlsMs)} s, login ${med((r) => r.loginMs)} s, every node in health ${med((r) => r.healthMs)} s`;
  };
  for (const loaded of [true, false]) {
    const rs = records.filter((r) => r.loaded === loaded);
    if (rs.length) lines.push(`median, from up -d, ${loaded ? 'loaded' : 'unloaded'}: ${phases(rs)}`);
  }
  const failures = records.filter((r) => !r.ok);
  for (const f of failures) lines.push(`failed: #${f.n} ${f.db} compose ${f.cli}${f.loaded ? ' loaded' : ''}: ${f.error} (logs: ${f.logsDir})`);
  return lines.join('\n');
}

// ---- inside the namespace: the start-ups ---------------------------------------------------------

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Set by SIGINT/SIGTERM: the start-up under way gives up at its next poll, then its cluster goes down. */
let interrupted = false;
function checkTime(deadline: number, what: string, last: string): void {
  if (interrupted) throw new Error(`interrupted while waiting until ${what}`);
  if (Date.now() > deadline) throw new Error(`${what}: not within the limit; last: ${last}`);
}

/** A CPU hog: one busy loop per core, at normal priority. */
function startHog(): ChildProcess[] {
  return cpus().map(() => spawn('sh', ['-c', 'while :; do :; done'], { stdio: 'ignore' }));
}

async function sh(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<string> {
  try {
    const { stdout, stderr } = await run(cmd, args, { cwd: opts.cwd, env: { ...process.env, ...opts.env }, timeout: opts.timeoutMs ?? 300_000, maxBuffer: 64 * 1024 * 1024 });
    return stdout + stderr;
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} failed: ${err.message.split('\n')[0]}\n${err.stdout ?? ''}${err.stderr ?? ''}`);
  }
}

async function startUp(plan: Plan, o: Options): Promise<StartRecord> {
  const { createClusterFolder } = (await import(join(ROOT, 'emulator', 'scripts', 'cluster-folder.mjs'))) as typeof ClusterFolderModule;
  const root = mkdtempSync(join(tmpdir(), 'waba-soak-'));
  const folder = createClusterFolder({ dir: join(root, `soak${plan.n}${plan.db}`), db: plan.db });
  const [cli, ...prefix] = CLIS.find(([name]) => name === plan.cli)![1].split(' ');
  const compose = (args: string[], timeoutMs?: number) => sh(cli, [...prefix, ...args], { cwd: folder.dir, timeoutMs });
  const record: StartRecord = { ...plan, ok: false, totalMs: 0 };
  const started = Date.now();
  const deadline = started + o.limitS * 1000;
  const since = () => Date.now() - started;
  try {
    await compose(['up', '-d'], o.limitS * 1000);
    record.upMs = since();
    const api = new WabaClient();
    for (;;) {
      const pinned = await api.pinCertificate(2000).catch((e: Error) => e);
      if (typeof pinned === 'string') break;
      checkTime(deadline, 'the webapp answers TLS on 9090', pinned.message);
    }
    record.tlsMs = since();
    const password = `Soak-${plan.n}-Pass!`;
    let last = '';
    for (;;) {
      const res = await api.login('admin', 'secret', password).catch((e: Error) => ({ status: 0, body: e.message }));
      if (res.status === 200) break;
      last = `login answered ${res.status}: ${JSON.stringify(res.body)}`;
      checkTime(deadline, 'admin logs in', last);
      await sleep(250);
    }
    record.loginMs = since();
    for (;;) {
      try {
        const res = await api.call('GET', '/v1/health');
        if (res.status !== 200) throw new Error(`health answered ${res.status}: ${JSON.stringify(res.body)}`);
        const summary = summarizeHealth(res.body.health);
        const missing = NODES.filter((n) => !summary[n] || summary[n] === '1014');
        const primaries = Object.values(summary).filter((v) => v.startsWith('primary_master/')).length;
        if (missing.length === 0 && primaries === 1) break;
        last = `health ${JSON.stringify(summary)}`;
      } catch (e) {
        last = (e as Error).message;
      }
      checkTime(deadline, 'every node is in health', last);
      await sleep(250);
    }
    record.healthMs = since();
    const states = (await sh('docker', ['ps', '-a', '--filter', `label=com.docker.compose.project=${folder.project}`, '--format', '{{.Label "com.docker.compose.service"}} {{.State}}'])).trim().split('\n');
    const notRunning = SERVICES.filter((s) => !states.includes(`${s} running`));
    if (notRunning.length) throw new Error(`in health, but not running: ${notRunning.join(', ')} (${states.join(', ')})`);
    record.ok = true;
    record.totalMs = record.healthMs;
  } catch (e) {
    record.totalMs = since();
    record.error = (e as Error).message.split('\n').slice(0, 3).join(' | ');
    record.logsDir = join(o.out, 'failures', `${plan.n}-${plan.db}-${plan.cli}`);
    mkdirSync(record.logsDir, { recursive: true });
    writeFileSync(join(record.logsDir, 'error.txt'), `${(e as Error).message}\n`);
    writeFileSync(join(record.logsDir, 'ps.txt'), await compose(['ps', '-a']).catch((x: Error) => x.message));
    for (const service of SERVICES) {
      const id = (await compose(['ps', '-a', '-q', service]).catch(() => '')).match(/^[0-9a-f]{12,64}$/m)?.[0];
      writeFileSync(join(record.logsDir, `${service}.log`), id ? await sh('docker', ['logs', '-t', id]).catch((x: Error) => x.message) : 'no container\n');
    }
  } finally {
    const down = Date.now();
    await compose(['down', '-v', '--remove-orphans', '-t', '5']).catch((e: Error) => console.log(`[soak] down: ${e.message.split('\n')[0]}`));
    record.downMs = Date.now() - down;
    rmSync(root, { recursive: true, force: true });
  }
  return record;
}

async function inside(o: Options): Promise<void> {
  const plan = soakPlan(o.perDb, o.unloadedPerDb);
  const records = join(o.out, 'records.jsonl');
  let hog: ChildProcess[] = [];
  const stopHog = () => { for (const h of hog) h.kill('SIGKILL'); hog = []; };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => { interrupted = true; stopHog(); });
  process.on('exit', stopHog);
  for (const p of plan) {
    if (interrupted) break;
    if (p.loaded && !hog.length) { hog = startHog(); await sleep(1000); }
    if (!p.loaded) stopHog();
    const r = await startUp(p, o);
    if (interrupted && !r.ok) break; // given up by the signal: not a start-up that failed
    appendFileSync(records, JSON.stringify(r) + '\n');
    console.log(`[soak] #${r.n}/${plan.length} ${r.db} compose ${r.cli} ${r.loaded ? 'loaded  ' : 'unloaded'} ${r.ok ? 'ok    ' : 'FAILED'} ${(r.totalMs / 1000).toFixed(1)} s (up ${((r.upMs ?? 0) / 1000).toFixed(1)}, tls ${((r.tlsMs ?? 0) / 1000).toFixed(1)}, login ${((r.loginMs ?? 0) / 1000).toFixed(1)}; down ${((r.downMs ?? 0) / 1000).toFixed(1)} s)${r.error ? ` ${r.error}` : ''}`);
  }
  stopHog();
}

// ---- outside: the engine, the images, the namespace ------------------------------------------------

function missingTools(): string[] {
  const tools: [string, string][] = [['ip', 'iproute2'], ['nsenter', 'util-linux'], ['unshare', 'util-linux'], ['dockerd', 'docker.io'], ['docker-compose', 'docker-compose']];
  const missing = tools.filter(([t]) => !existsSync(`/usr/bin/${t}`) && !existsSync(`/usr/sbin/${t}`) && !existsSync(`/sbin/${t}`) && !existsSync(`/bin/${t}`)).map(([t, pkg]) => `${t} (apt-get install ${pkg})`);
  return missing;
}

async function outside(o: Options): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('the soak starts its own Docker engine in a network namespace: run it as root');
  const missing = missingTools();
  if (missing.length) throw new Error(`missing: ${missing.join(', ')}`);
  const { knownVersions } = (await import(join(ROOT, 'emulator', 'scripts', 'cluster-folder.mjs'))) as typeof ClusterFolderModule;
  const version = knownVersions().at(-1)!;
  const images = [`${o.images}/mysql:8.0.33`, `${o.images}/postgres:13.8`, `${o.images}/coreapp:v${version}`, `${o.images}/web:v${version}`];
  const absent = [];
  for (const image of images) if (await sh('docker', ['image', 'inspect', image]).then(() => false, () => true)) absent.push(image);
  if (absent.length) throw new Error(`the emulator images ${absent.join(', ')} are not on the engine: build them first (npm run emulator:images)`);
  mkdirSync(o.out, { recursive: true });
  rmSync(join(o.out, 'records.jsonl'), { force: true });
  rmSync(join(o.out, 'failures'), { recursive: true, force: true });

  let engine: SecondEngine | undefined;
  let child: ChildProcess | undefined;
  let stopRequested = false;
  const onSignal = (signal: NodeJS.Signals) => {
    stopRequested = true;
    console.log(`[soak] ${signal}: the start-up under way gives up, its cluster goes down, then the engine and its namespace are removed`);
    child?.kill('SIGTERM');
    // Its `down` may take a while on a loaded machine, but not forever.
    setTimeout(() => child?.kill('SIGKILL'), 90_000).unref();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const t0 = Date.now();
    engine = await startSecondEngine();
    console.log(`[soak] engine of its own at ${engine.socketHost} in namespace ${engine.root.split('/').pop()} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    const t1 = Date.now();
    await new Promise<void>((ok, fail) => {
      const save = spawn('docker', ['save', ...images], { stdio: ['ignore', 'pipe', 'inherit'] });
      const load = spawn('docker', ['-H', engine!.socketHost, 'load', '-q'], { stdio: ['pipe', 'ignore', 'inherit'] });
      save.stdout.pipe(load.stdin);
      load.on('close', (code) => (code === 0 ? ok() : fail(new Error(`docker load into the soak engine exited ${code}`))));
    });
    console.log(`[soak] loaded ${images.join(', ')} into it (${((Date.now() - t1) / 1000).toFixed(1)} s)`);
    const ns = JSON.parse(readFileSync(join(engine.root, 'names.json'), 'utf8')).ns as string;
    // The start-ups run inside the namespace: its loopback carries the clusters' 9090 and 33060.
    child = spawn('nsenter', [`--net=/var/run/netns/${ns}`, process.execPath, '--import', 'tsx', __filename, '--inside', ...process.argv.slice(2)], {
      stdio: 'inherit', env: { ...process.env, DOCKER_HOST: engine.socketHost, WABA_EMULATOR_IMAGES: o.images, WABA_SOAK_OUT: o.out },
    });
    const code = await new Promise<number | null>((r) => child!.on('close', (c) => r(c)));
    if (code !== 0 && !stopRequested) console.log(`[soak] the start-up loop exited ${code}`);
  } finally {
    if (engine) await engine.stop().catch((e: Error) => console.log(`[soak] engine cleanup: ${e.message}`));
    console.log('[soak] engine, namespace and folders removed');
  }
  const file = join(o.out, 'records.jsonl');
  const records: StartRecord[] = existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
  const result = `${distribution(records)}\n`;
  writeFileSync(join(o.out, 'result.txt'), `soak of ${new Date().toISOString()}${stopRequested ? ' (interrupted)' : ''}, images ${o.images} v${version}, ${cpus().length} cores\n${result}`);
  console.log(`\n${result}\n[soak] ${records.length} start-ups, ${records.filter((r) => !r.ok).length} failed; records: ${file}; result: ${join(o.out, 'result.txt')}`);
  if (stopRequested || records.some((r) => !r.ok) || records.length === 0) process.exitCode = 1;
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  const o = options(argv);
  const main = argv.includes('--inside') ? inside({ ...o, out: process.env.WABA_SOAK_OUT || o.out }) : outside(o);
  main.catch((e) => {
    console.error(`[soak] ${(e as Error).message}`);
    process.exit(1);
  });
}
