// Runs the extension-host suite (test/vscode, bundled to dist-test/vscode) in a real VS Code:
//   node --import tsx test/harness/run-extension-tests.ts
//
// VS Code:  default            the VS Code 1.100.3 server from scripts/setup-vscode-test.sh, driven
//                              through test/harness/code-shim.js (desktop VS Code cannot be downloaded here)
//           WABA_TEST_VSCODE=desktop        let @vscode/test-electron download desktop VS Code (stable)
//           WABA_TEST_VSCODE=/path/to/code  use that executable
// The suite runs in a fresh workspace folder (wabatest<random>/multiconnect-compose.yml):
// once with Docker reachable (WABA_EXPECT_DOCKER=1) and once with
// DOCKER_HOST=unix:///nonexistent/docker.sock (WABA_EXPECT_DOCKER=0). A third run (WABA_SUITE=cluster)
// opens a real cluster folder with the emulator images and drives the seed through the extension;
// a fourth (WABA_SUITE=upgradePostgres) upgrades a Postgres cluster with the Upgrade command; the
// clusters' containers, network and volumes are removed afterwards. WABA_RUNS=<part of a run's
// name>[,...] runs only those runs (e.g. WABA_RUNS=Postgres); WABA_SKIP_IMAGES=1 does not (re)build
// the emulator images.
// Prints and (with WABA_RESULT_FILE) writes {"passed": n, "failed": n} summed over all runs; exits
// 1 if a test failed or a run crashed. WABA_SKIP_BUILD=1 skips the esbuild step.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';

const ROOT = path.resolve(__dirname, '..', '..');
const SHIM = path.join(__dirname, 'code-shim.js');
const FIXTURE = path.join(__dirname, 'fixtures', 'multiconnect-compose.yml');
const TESTS_ENTRY = path.join(ROOT, 'dist-test', 'vscode', 'index.js');

const ports = () => import('../../scripts/lib/cluster-ports.mjs');

interface Counts { passed: number; failed: number }
interface RunSpec { name: string; env: Record<string, string>; cluster?: 'mysql' | 'postgres' }

const RUNS: RunSpec[] = [
  { name: 'docker reachable', env: { WABA_EXPECT_DOCKER: '1' } },
  { name: 'docker unreachable', env: { WABA_EXPECT_DOCKER: '0', DOCKER_HOST: 'unix:///nonexistent/docker.sock' } },
  { name: 'emulated cluster', env: { WABA_EXPECT_DOCKER: '1', WABA_SUITE: 'cluster' }, cluster: 'mysql' },
  { name: 'Postgres upgrade', env: { WABA_EXPECT_DOCKER: '1', WABA_SUITE: 'upgradePostgres' }, cluster: 'postgres' },
];

/** A cluster folder like the seed's ~/biz, on the emulator images (built first when missing). */
async function makeClusterFolder(parent: string, db: 'mysql' | 'postgres'): Promise<string> {
  // WABA_SKIP_IMAGES=1: use the images already under WABA_EMULATOR_IMAGES as they are (e.g. another
  // checkout's, to try a suite against its emulator), never rebuilding them from this checkout.
  if (process.env.WABA_SKIP_IMAGES !== '1') execFileSync('bash', [path.join(ROOT, 'emulator', 'scripts', 'build-images.sh')], { cwd: ROOT, stdio: 'inherit' });
  const { createClusterFolder } = await import('../../emulator/scripts/cluster-folder.mjs');
  // The older of the two emulator versions, so the suite can upgrade to the newer one.
  return createClusterFolder({ dir: path.join(parent, `wabae2e${randomBytes(4).toString('hex')}`), db, version: '2.51.2' }).dir;
}

function removeCluster(folder: string): void {
  const r = spawnSync('docker-compose', ['down', '-v', '--remove-orphans', '-t', '2'], { cwd: folder, stdio: 'inherit' });
  if (r.status !== 0) log(`cleanup: docker-compose down in ${folder} exited ${r.status}`);
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

/** Returns the executable for runTests and what kind of VS Code it is. */
async function chooseVSCode(): Promise<{ executable: string; flavor: 'server' | 'desktop' }> {
  const choice = process.env.WABA_TEST_VSCODE;
  if (!choice || choice === 'server') {
    execFileSync('bash', [path.join(ROOT, 'scripts', 'setup-vscode-test.sh')], { cwd: ROOT, stdio: 'inherit' });
    return { executable: SHIM, flavor: 'server' };
  }
  if (choice === 'desktop') return { executable: await downloadAndUnzipVSCode('stable'), flavor: 'desktop' };
  if (!fs.existsSync(choice)) throw new Error(`WABA_TEST_VSCODE=${choice}: no such file`);
  return { executable: path.resolve(choice), flavor: 'desktop' };
}

/** First line of `<executable> --version` (the shim answers it too), or undefined. */
function versionOf(executable: string, env: NodeJS.ProcessEnv): string | undefined {
  const r = spawnSync(executable, ['--version'], { env, encoding: 'utf8', timeout: 60_000 });
  const first = r.status === 0 ? r.stdout.split('\n')[0].trim() : '';
  return /^\d+\.\d+\.\d+/.test(first) ? first : undefined;
}

function readCounts(file: string): Counts | undefined {
  try {
    const { passed, failed } = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (Number.isInteger(passed) && Number.isInteger(failed)) return { passed, failed };
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
  const home = path.join(tmp, 'home');
  const homeEnv = {
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    XDG_STATE_HOME: path.join(home, '.local', 'state'),
    // VS Code's IPC sockets (vscode-ipc-*.sock, vscode-git-*.sock) go to os.tmpdir().
    TMPDIR: path.join(tmp, 'tmp'),
  };
  for (const dir of Object.values(homeEnv)) fs.mkdirSync(dir, { recursive: true });

  const expectedVersion = versionOf(executable, { ...process.env, ...homeEnv });
  log(`VS Code ${expectedVersion ?? '(version unknown)'} via ${path.relative(ROOT, executable) || executable}; workspace ${workspace}`);

  const total: Counts = { passed: 0, failed: 0 };
  let crashed = 0;
  try {
    const only = process.env.WABA_RUNS?.split(',').filter(Boolean);
    const runs = only ? RUNS.filter((r) => only.some((part) => r.name.includes(part))) : RUNS;
    for (const [i, run] of runs.entries()) {
      const runDir = path.join(tmp, `run${i + 1}`);
      fs.mkdirSync(runDir);
      const resultFile = path.join(runDir, 'result.json');
      const t0 = Date.now();
      log(`run ${i + 1}/${runs.length}: ${run.name}`);
      let error: unknown;
      let folder = workspace;
      try {
        if (run.cluster) {
          await (await ports()).holdClusterPorts(`extension-host tests (${run.name})`);
          folder = await makeClusterFolder(runDir, run.cluster);
        }
        await runTests({
          vscodeExecutablePath: executable,
          extensionDevelopmentPath: ROOT,
          extensionTestsPath: TESTS_ENTRY,
          launchArgs: [
            folder,
            `--user-data-dir=${path.join(runDir, 'user-data')}`,
            `--extensions-dir=${path.join(runDir, 'extensions')}`,
            '--disable-extensions', // other installed extensions; the one under development still loads
          ],
          extensionTestsEnv: {
            // The project name must come from the folder name, as the suite computes it.
            COMPOSE_PROJECT_NAME: undefined,
            COMPOSE_FILE: undefined,
            ...homeEnv,
            ...run.env,
            WABA_TEST_RESULT_FILE: resultFile,
            WABA_VSCODE_FLAVOR: flavor,
            ...(expectedVersion ? { WABA_EXPECT_VSCODE_VERSION: expectedVersion } : {}),
          },
        });
      } catch (err) {
        error = err;
      } finally {
        if (run.cluster && folder !== workspace) removeCluster(folder);
        if (run.cluster) (await ports()).releaseClusterPorts();
      }
      const counts = readCounts(resultFile);
      const secs = ((Date.now() - t0) / 1000).toFixed(1);
      if (counts) {
        total.passed += counts.passed;
        total.failed += counts.failed;
        log(`run ${i + 1} (${run.name}): ${counts.passed} passed, ${counts.failed} failed in ${secs} s`);
        // Tests passed but VS Code still reported failure (e.g. the run() promise rejected for another reason).
        if (error && counts.failed === 0) { crashed++; log(`run ${i + 1} exited abnormally: ${String(error)}`); }
      } else {
        crashed++;
        log(`run ${i + 1} (${run.name}) crashed after ${secs} s without a result: ${String(error ?? 'no result file')}`);
      }
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
  }

  const summary = `${total.passed} passed, ${total.failed} failed`;
  console.log(`\n${summary}${crashed ? ` (${crashed} run(s) crashed)` : ''} — extension-host tests, ${((Date.now() - started) / 1000).toFixed(1)} s`);
  // A crashed run counts as one failure, so the total never looks green when a run died.
  const reported = { passed: total.passed, failed: total.failed + crashed };
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
