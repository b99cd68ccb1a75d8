// Meta's multiconnect-compose.yml publishes fixed host ports (9090 webapp, 33060 database), so only
// one cluster per machine can run. Every test that brings a cluster up, and `npm start`, holds this
// machine-wide lock while its cluster exists; whoever else holds the ports is named, with the command
// that stops it.
// Plain Node ESM (scripts and tests share it); the lock is a directory (mkdir is atomic) holding the
// owner's pid, so a holder that died is detected and its lock taken over.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// WABA_CLUSTER_PORTS (comma-separated) only lets the scripts' own tests use other ports than a real cluster's.
export const CLUSTER_PORTS = (process.env.WABA_CLUSTER_PORTS || '9090,33060').split(',').map(Number);
const LOCK_DIR = process.env.WABA_CLUSTER_PORTS_LOCK || '/tmp/waba-cluster-ports.lock';
const OWNER_FILE = join(LOCK_DIR, 'owner.json');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let held = false;

function alive(pid) {
  try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; }
}

/** The live holder of the lock ({ pid, owner, since }), or undefined. */
export function lockHolder() {
  try {
    const holder = JSON.parse(readFileSync(OWNER_FILE, 'utf8'));
    return Number.isInteger(holder.pid) && alive(holder.pid) ? holder : undefined;
  } catch {
    return undefined;
  }
}

function tryLock(owner) {
  try {
    mkdirSync(LOCK_DIR);
  } catch (e) {
    if (e.code !== 'EEXIST') throw e;
    if (lockHolder()) return false;
    // The holder died without releasing (killed): take the lock over.
    rmSync(LOCK_DIR, { recursive: true, force: true });
    return tryLock(owner);
  }
  writeFileSync(OWNER_FILE, JSON.stringify({ pid: process.pid, owner, since: new Date().toISOString() }));
  return true;
}

/** Releases the lock if this process holds it. */
export function releaseClusterPorts() {
  if (!held) return;
  held = false;
  try {
    if (JSON.parse(readFileSync(OWNER_FILE, 'utf8')).pid === process.pid) rmSync(LOCK_DIR, { recursive: true, force: true });
  } catch { /* already gone */ }
}

function portFree(port) {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '0.0.0.0', () => s.close(() => resolve(true)));
  });
}

export async function clusterPortsFree() {
  for (const port of CLUSTER_PORTS) if (!(await portFree(port))) return false;
  return true;
}

/** The lines a docker CLI call prints (its stderr dropped). */
function docker(args) {
  return execFileSync('docker', args, { encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n').filter(Boolean);
}

/** Containers publishing 9090 or 33060: { name, project, folder }. */
export function portHolders() {
  const found = new Map();
  for (const port of CLUSTER_PORTS) {
    let lines = [];
    try {
      lines = docker(['ps', '--filter', `publish=${port}`, '--format',
        '{{.Names}}\t{{.Label "com.docker.compose.project"}}\t{{.Label "com.docker.compose.project.working_dir"}}']);
    } catch { /* no engine: nothing to name */ }
    for (const line of lines) {
      const [name, project, folder] = line.split('\t');
      found.set(name, { name, project, folder });
    }
  }
  return [...found.values()];
}

/** One paragraph naming what holds the ports and how to stop it. */
export function describePortHolders(holders = portHolders()) {
  const lock = lockHolder();
  const lines = [];
  if (lock && lock.pid !== process.pid) lines.push(`${lock.owner} (pid ${lock.pid}, since ${lock.since}) holds the cluster ports lock.`);
  const projects = new Map();
  for (const h of holders) if (h.project) projects.set(h.project, h.folder);
  for (const [project, folder] of projects) {
    lines.push(`Compose project "${project}"${folder ? ` (folder ${folder})` : ''} publishes ${CLUSTER_PORTS.join('/')}. Stop it with: ${folder ? `cd ${folder} && ` : ''}docker compose -p ${project} down   (or docker-compose -p ${project} down)`);
  }
  for (const h of holders.filter((x) => !x.project)) lines.push(`Container ${h.name} publishes ${CLUSTER_PORTS.join('/')}: docker stop ${h.name}`);
  if (lines.length === 0) lines.push(`Another program listens on port ${CLUSTER_PORTS.join(' or ')} (see: ss -ltnp | grep -E ':(${CLUSTER_PORTS.join('|')}) ').`);
  return lines.join('\n');
}

/**
 * Takes the machine-wide lock for the cluster ports (waiting while another test or `npm start` holds
 * it), then waits until the ports are free. Held until releaseClusterPorts() or the process exits.
 * A cluster outside the lock (the `npm start` demo, a user's own) is not waited for long: after
 * `outsiderGraceMs` the call fails with what holds the ports and how to stop it.
 */
export async function holdClusterPorts(owner, { timeoutMs = 30 * 60_000, outsiderGraceMs = 60_000, log = console.log } = {}) {
  const deadline = Date.now() + timeoutMs;
  if (!held) {
    let said = false;
    while (!tryLock(owner)) {
      if (Date.now() > deadline) throw new Error(`the cluster ports lock stayed taken for ${timeoutMs / 60_000} min.\n${describePortHolders()}`);
      if (!said) log(`waiting for the cluster ports lock: ${describePortHolders([])}`);
      said = true;
      await sleep(2000);
    }
    held = true;
    process.once('exit', releaseClusterPorts);
  }
  const outsiderDeadline = Date.now() + outsiderGraceMs;
  while (!(await clusterPortsFree())) {
    if (Date.now() > outsiderDeadline) throw new Error(`ports ${CLUSTER_PORTS.join(' and ')} are taken by a cluster that is not part of this run.\n${describePortHolders()}`);
    await sleep(1000);
  }
}

// The folders our test runs create their clusters in: test/harness (waba-ext-tests-*), test/ui
// (waba-ui-<name>-*) and emulator/test/support (waba-*), each a mkdtemp folder under the temp dir.
const TEST_RUN_FOLDER = new RegExp(`^${tmpdir().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/waba-(?:ext-tests-|ui-[a-z]+-)?[A-Za-z0-9]{6}/`);

/**
 * A test run that was killed (a machine stopped mid-run, Ctrl+C twice) leaves its cluster behind, and
 * Meta's `restart: always` brings it back with the engine. While no test run holds the lock, the
 * clusters on the ports whose folder is a test run's temp folder are such leftovers: removed with
 * their volumes and networks. Returns the removed projects ({ project, folder }).
 */
export function removeLeftoverTestClusters(holders = portHolders()) {
  if (lockHolder()) return [];
  const leftovers = new Map();
  for (const h of holders) if (h.project && TEST_RUN_FOLDER.test(h.folder)) leftovers.set(h.project, h.folder);
  for (const project of leftovers.keys()) {
    const label = `label=com.docker.compose.project=${project}`;
    const containers = docker(['ps', '-aq', '--filter', label]);
    if (containers.length) docker(['rm', '-fv', ...containers]);
    const networks = docker(['network', 'ls', '-q', '--filter', label]);
    if (networks.length) docker(['network', 'rm', ...networks]);
    const volumes = docker(['volume', 'ls', '-q', '--filter', label]);
    if (volumes.length) docker(['volume', 'rm', ...volumes]);
  }
  return [...leftovers].map(([project, folder]) => ({ project, folder }));
}

/**
 * What a command that needs the cluster ports should do before it starts anything (npm test, npm start):
 *   { action: 'go' }                      the ports are free
 *   { action: 'wait', holder }            another test run (a live lock holder) uses them: its tests wait
 *   { action: 'stop', message }           a cluster outside any test run holds them: say which, and how to stop it
 */
export async function clusterPortsCheck() {
  if (await clusterPortsFree()) return { action: 'go' };
  const holder = lockHolder();
  if (holder && holder.pid !== process.pid) return { action: 'wait', holder };
  return { action: 'stop', message: `Ports ${CLUSTER_PORTS.join(' and ')} are taken by a cluster that is not part of a test run.\n${describePortHolders()}` };
}
