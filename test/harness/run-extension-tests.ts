// Runs the extension-host suite (test/vscode, bundled to dist-test/vscode) in a real VS Code:
//   node --import tsx test/harness/run-extension-tests.ts
//
// VS Code:  default            the VS Code 1.100.3 server from scripts/setup-vscode-test.sh, driven
//                              through test/harness/code-shim.js (desktop VS Code cannot be downloaded here)
//           WABA_TEST_VSCODE=desktop        let @vscode/test-electron download desktop VS Code (stable)
//           WABA_TEST_VSCODE=/path/to/code  use that executable
// The runs (RUNS below): the suite in a fresh workspace folder (wabatest<random>/multiconnect-compose.yml)
// with Docker reachable (WABA_EXPECT_DOCKER=1) and with DOCKER_HOST=unix:///nonexistent/docker.sock
// (WABA_EXPECT_DOCKER=0); the l10n suite with VS Code's display language Arabic (WABA_SHIM_LOCALE=ar); that folder in Restricted Mode (workspace trust on, WABA_SUITE=restricted);
// the packaged VSIX installed as a user installs it (Production mode, WABA_SUITE=production); a real
// cluster folder on the emulator images driven through the extension (WABA_SUITE=cluster,liveConfig)
// on compose v1 and on v2 (the machine setting wabaCluster.composeCommand), on v2 followed by the settings
// editor, backup/restore, test messages, webhook inspector and health back-off (operate) and Diagnose
// Cluster's faults (diagnose); a Postgres cluster upgraded with the Upgrade command
// (WABA_SUITE=upgradePostgres); Meta's maximum of 35 nodes (WABA_SUITE=scale: the tree, topology and
// Diagnose on 2 masters, 33 coreapps, 32 shards; WABA_RUNS=35 runs only that one); a cluster on a second engine in a
// network namespace, the extension pointed at it over ssh:// (its webapp through a forward) and over tcp:// + TLS
// (WABA_SUITE=remoteEngine; WABA_RUNS=remote runs only those two). The clusters' containers, network and
// volumes are removed afterwards. WABA_RUNS=<part of a run's name>[,...] runs only those runs (e.g.
// WABA_RUNS=Postgres); WABA_SKIP_IMAGES=1 does not (re)build the emulator images.
// Prints and (with WABA_RESULT_FILE) writes {"passed": n, "failed": n, rows: [...]} (rows: the compose
// v1 and v2 runs counted apart); exits 1 if a test failed or a run crashed. WABA_SKIP_BUILD=1 skips the esbuild step.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chooseVSCode, runInExtensionHost, versionOf, writeMachineSettings } from './extensionHost';
import { type RemoteEngine, type RemoteKind, startRemoteEngine } from './remoteEngine';
import { throwawayHomeEnv } from '../support/throwawayHome';
import type { TestFailure } from '../../scripts/lib/spec-failures.mjs' with { 'resolution-mode': 'import' };

const ROOT = path.resolve(__dirname, '..', '..');
const FIXTURE = path.join(__dirname, 'fixtures', 'multiconnect-compose.yml');
const PROBE_EXTENSION = path.join(__dirname, 'fixtures', 'probe-extension');
const TESTS_ENTRY = path.join(ROOT, 'dist-test', 'vscode', 'index.js');

const ports = () => import('../../scripts/lib/cluster-ports.mjs');

interface Counts { passed: number; failed: number }
/** A failed test, for npm test's closing list (test/vscode/index.ts writes them). */
type ComposeCliName = 'docker-compose' | 'docker compose';
interface RunSpec {
  name: string;
  env: Record<string, string>;
  cluster?: 'mysql' | 'postgres';
  /** The compose CLI of the run: the machine setting wabaCluster.composeCommand (and WABA_COMPOSE for the suite's own calls). */
  compose?: ComposeCliName;
  /** Workspace trust on (the folder is not trusted: Restricted Mode). */
  restricted?: boolean;
  /** The packaged VSIX installed as a user installs it (Production mode), not the development copy. */
  installed?: boolean;
  /** Coreapps in all (Meta's file has 3): more come in the folder's coreapps override, as Create Cluster writes it. */
  coreapps?: number;
  /** The cluster on a second engine in a network namespace, the extension pointed at it over ssh:// or tcp:// + TLS. */
  remote?: RemoteKind;
}

const V1: ComposeCliName = 'docker-compose';
const V2: ComposeCliName = 'docker compose';

// The emulated MySQL cluster (every compose step of the guide through the extension, the live .env
// edit) runs on both compose CLIs; the other runs do not drive compose differently and run once.
const RUNS: RunSpec[] = [
  { name: 'docker reachable', env: { WABA_EXPECT_DOCKER: '1' } },
  { name: 'docker unreachable', env: { WABA_EXPECT_DOCKER: '0', DOCKER_HOST: 'unix:///nonexistent/docker.sock' } },
  // The display language Arabic (the English runs above run the same l10n suite): read by code-shim.js.
  { name: 'display language Arabic', env: { WABA_EXPECT_DOCKER: '0', DOCKER_HOST: 'unix:///nonexistent/docker.sock', WABA_SUITE: 'l10n', WABA_EXPECT_LANGUAGE: 'ar', WABA_SHIM_LOCALE: 'ar' } },
  { name: 'Restricted Mode', env: { WABA_EXPECT_DOCKER: '1', WABA_SUITE: 'restricted' }, restricted: true },
  { name: 'installed VSIX (Production mode)', env: { WABA_EXPECT_DOCKER: '1', WABA_SUITE: 'production' }, installed: true },
  { name: 'emulated cluster (compose v1)', env: { WABA_EXPECT_DOCKER: '1', WABA_SUITE: 'cluster,liveConfig' }, cluster: 'mysql', compose: V1 },
  // Operating the cluster (#9) and Diagnose's faults (#8) run once, on the v2 run's cluster after the guide's steps;
// Remove Cluster and Delete Data (with its backup) ends that run.
  { name: 'emulated cluster (compose v2)', env: { WABA_EXPECT_DOCKER: '1', WABA_SUITE: 'cluster,liveConfig,operate,diagnose,uninstall' }, cluster: 'mysql', compose: V2 },
  // A node's shell, the database console, inspect and the project's stop/start, on a cluster of their own.
  { name: 'node tools (compose v2)', env: { WABA_EXPECT_DOCKER: '1', WABA_SUITE: 'nodeTools' }, cluster: 'mysql', compose: V2 },
  { name: '35 nodes (compose v2)', env: { WABA_EXPECT_DOCKER: '1', WABA_SUITE: 'scale' }, cluster: 'mysql', compose: V2, coreapps: 33 },
  { name: 'Postgres upgrade (compose v2)', env: { WABA_EXPECT_DOCKER: '1', WABA_SUITE: 'upgradePostgres' }, cluster: 'postgres', compose: V2 },
];

// One cluster on a remote engine (#21 item 0): its webapp reached over the engine's ssh (a forward), or on the
// engine's tcp:// address. Run by name (WABA_RUNS=remote) until they have passed here once; then they join RUNS.
const REMOTE_RUNS: RunSpec[] = [
  { name: 'cluster on a remote engine over ssh (compose v2)', env: { WABA_EXPECT_DOCKER: '1', WABA_SUITE: 'remoteEngine' }, cluster: 'mysql', compose: V2, remote: 'ssh' },
  { name: 'cluster on a remote engine over tcp+TLS (compose v2)', env: { WABA_EXPECT_DOCKER: '1', WABA_SUITE: 'remoteEngine' }, cluster: 'mysql', compose: V2, remote: 'tcp' },
];

/** The summary row a run counts in: compose runs apart per CLI, so both show in npm test's summary. */
const rowOf = (run: RunSpec) => (run.compose ? `vscode (compose ${run.compose === V1 ? 'v1' : 'v2'})` : 'vscode');

/** The packaged VSIX (npm run package), installed into a run's extensions folder as a user installs it. */
function installVsix(userDataDir: string, extensionsDir: string, env: NodeJS.ProcessEnv): void {
  execFileSync('npm', ['run', '--silent', 'package'], { cwd: ROOT, stdio: 'inherit' });
  const vscodeServer = require('./vscode-server.js') as typeof import('./vscode-server.js');
  vscodeServer.installExtension({ vsix: path.join(ROOT, 'out', 'waba-cluster.vsix'), userDataDir, extensionsDir, env });
}

/** A cluster folder like the seed's ~/biz, on the emulator images (built first when missing). */
async function makeClusterFolder(parent: string, db: 'mysql' | 'postgres', coreapps?: number): Promise<string> {
  // WABA_SKIP_IMAGES=1: use the images already under WABA_EMULATOR_IMAGES as they are (e.g. another
  // checkout's, to try a suite against its emulator), never rebuilding them from this checkout.
  if (process.env.WABA_SKIP_IMAGES !== '1') execFileSync('bash', [path.join(ROOT, 'emulator', 'scripts', 'build-images.sh')], { cwd: ROOT, stdio: 'inherit' });
  const { createClusterFolder } = await import('../../emulator/scripts/cluster-folder.mjs');
  // The older of the two emulator versions, so the suite can upgrade to the newer one.
  return createClusterFolder({ dir: path.join(parent, `wabae2e${randomBytes(4).toString('hex')}`), db, version: '2.51.2', coreapps }).dir;
}

/** The images a cluster folder's compose files name (resolved by compose, with the folder's .env). */
function clusterImages(folder: string): string[] {
  const out = execFileSync('docker', ['compose', 'config', '--images'], { cwd: folder, encoding: 'utf8' });
  return [...new Set(out.split('\n').map((l) => l.trim()).filter(Boolean))];
}

function removeCluster(folder: string, cli: ComposeCliName = V2): void {
  const [file, ...prefix] = cli.split(' ');
  const r = spawnSync(file, [...prefix, 'down', '-v', '--remove-orphans', '-t', '2'], { cwd: folder, stdio: 'inherit' });
  if (r.status !== 0) log(`cleanup: ${cli} down in ${folder} exited ${r.status}`);
}

function log(msg: string): void {
  console.log(`[ext-tests] ${msg}`);
}

function build(): void {
  if (process.env.WABA_SKIP_BUILD === '1') return;
  log('bundling extension and tests (node esbuild.mjs --only=extension,tests)');
  // index.js loads every *.test.js it finds: drop bundles of tests that no longer exist.
  fs.rmSync(path.dirname(TESTS_ENTRY), { recursive: true, force: true });
  execFileSync(process.execPath, ['esbuild.mjs', '--only=extension,tests'], { cwd: ROOT, stdio: 'inherit' });
  for (const f of [path.join(ROOT, 'dist', 'extension.js'), TESTS_ENTRY]) {
    if (!fs.existsSync(f)) throw new Error(`${path.relative(ROOT, f)} missing after the build`);
  }
}

function readCounts(file: string): (Counts & { failures: TestFailure[] }) | undefined {
  try {
    const { passed, failed, failures } = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (Number.isInteger(passed) && Number.isInteger(failed)) return { passed, failed, failures: Array.isArray(failures) ? failures : [] };
  } catch { /* missing or partial: the run crashed */ }
  return undefined;
}

async function main(): Promise<number> {
  const started = Date.now();
  build();
  const { executable, flavor } = await chooseVSCode();

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'waba-ext-tests-'));
  const workspace = path.join(tmp, `wabatest${randomBytes(4).toString('hex')}`);
  fs.mkdirSync(workspace);
  fs.copyFileSync(FIXTURE, path.join(workspace, 'multiconnect-compose.yml'));
  // Everything VS Code, the extension host and Chromium write to HOME or TMPDIR lands in tmp.
  const homeEnv = throwawayHomeEnv(tmp);

  const expectedVersion = versionOf(executable, { ...process.env, ...homeEnv });
  log(`VS Code ${expectedVersion ?? '(version unknown)'} via ${path.relative(ROOT, executable) || executable}; workspace ${workspace}`);

  const total: Counts = { passed: 0, failed: 0 };
  const rows = new Map<string, Counts>();
  const failures: TestFailure[] = [];
  let crashed = 0;
  try {
    const only = process.env.WABA_RUNS?.split(',').filter(Boolean);
    const runs = only ? [...RUNS, ...REMOTE_RUNS].filter((r) => only.some((part) => r.name.includes(part))) : RUNS;
    for (const [i, run] of runs.entries()) {
      const runDir = path.join(tmp, `run${i + 1}`);
      fs.mkdirSync(runDir);
      const resultFile = path.join(runDir, 'result.json');
      const t0 = Date.now();
      log(`run ${i + 1}/${runs.length}: ${run.name}`);
      let error: unknown;
      let folder = workspace;
      const userDataDir = path.join(runDir, 'user-data');
      const extensionsDir = path.join(runDir, 'extensions');
      let remote: RemoteEngine | undefined;
      try {
        if (run.cluster) {
          await (await ports()).holdClusterPorts(`extension-host tests (${run.name})`);
          folder = await makeClusterFolder(runDir, run.cluster, run.coreapps);
        }
        if (run.remote) remote = await startRemoteEngine(run.remote, clusterImages(folder));
        if (run.compose || remote) writeMachineSettings(userDataDir, { ...(run.compose ? { 'wabaCluster.composeCommand': run.compose } : {}), ...remote?.settings });
        if (run.installed) installVsix(userDataDir, extensionsDir, { ...process.env, ...homeEnv });
        await runInExtensionHost({
          executable, folder, userDataDir, extensionsDir, testsEntry: TESTS_ENTRY,
          // The installed run develops only an empty probe extension, so the VSIX is the copy that runs.
          developmentPaths: [run.installed ? PROBE_EXTENSION : ROOT],
          // Other installed extensions off; the one under development still loads (the installed run needs its VSIX).
          disableOtherExtensions: !run.installed,
          env: {
            ...homeEnv,
            ...run.env,
            ...(run.compose ? { WABA_COMPOSE: run.compose } : {}),
            ...remote?.env,
            // Read by code-shim.js: start the server with workspace trust on.
            ...(run.restricted ? { WABA_SHIM_WORKSPACE_TRUST: '1' } : {}),
            WABA_TEST_RESULT_FILE: resultFile,
            WABA_VSCODE_FLAVOR: flavor,
            ...(expectedVersion ? { WABA_EXPECT_VSCODE_VERSION: expectedVersion } : {}),
          },
        });
      } catch (err) {
        error = err;
      } finally {
        // The remote engine goes with everything made on it (containers, network, volumes).
        if (remote) await remote.stop().catch((e: unknown) => log(`cleanup: the remote engine: ${String(e)}`));
        else if (run.cluster && folder !== workspace) removeCluster(folder, run.compose);
        if (run.cluster) (await ports()).releaseClusterPorts();
      }
      const counts = readCounts(resultFile);
      const secs = ((Date.now() - t0) / 1000).toFixed(1);
      const row = rows.get(rowOf(run)) ?? { passed: 0, failed: 0 };
      rows.set(rowOf(run), row);
      if (counts) {
        total.passed += counts.passed;
        total.failed += counts.failed;
        row.passed += counts.passed;
        row.failed += counts.failed;
        failures.push(...counts.failures.map((f) => ({ ...f, title: `[${run.name}] ${f.title}` })));
        log(`run ${i + 1} (${run.name}): ${counts.passed} passed, ${counts.failed} failed in ${secs} s`);
        // Tests passed but VS Code still reported failure (e.g. the run() promise rejected for another reason).
        if (error && counts.failed === 0) {
          crashed++; row.failed++;
          failures.push({ title: `[${run.name}] the run`, message: `exited abnormally: ${String(error)}` });
          log(`run ${i + 1} exited abnormally: ${String(error)}`);
        }
      } else {
        crashed++;
        row.failed++;
        failures.push({ title: `[${run.name}] the run`, message: `crashed after ${secs} s without a result: ${String(error ?? 'no result file')}` });
        log(`run ${i + 1} (${run.name}) crashed after ${secs} s without a result: ${String(error ?? 'no result file')}`);
      }
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
  }

  const summary = `${total.passed} passed, ${total.failed} failed`;
  console.log(`\n${summary}${crashed ? ` (${crashed} run(s) crashed)` : ''} — extension-host tests, ${((Date.now() - started) / 1000).toFixed(1)} s`);
  // A crashed run counts as one failure, so the total never looks green when a run died.
  const reported = { passed: total.passed, failed: total.failed + crashed, rows: [...rows].map(([layer, c]) => ({ layer, ...c })), failures };
  if (process.env.WABA_RESULT_FILE) fs.writeFileSync(process.env.WABA_RESULT_FILE, JSON.stringify(reported) + '\n');
  return reported.failed > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`[ext-tests] ${err instanceof Error ? err.stack : String(err)}`);
    if (process.env.WABA_RESULT_FILE) fs.writeFileSync(process.env.WABA_RESULT_FILE, JSON.stringify({ passed: 0, failed: 1 }) + '\n');
    process.exit(1);
  },
);
