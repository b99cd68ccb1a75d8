#!/usr/bin/env node
// `npm test`: every layer of the test bench, on a fresh machine too.
//   unit         plain Node, no VS Code, no Docker
//   integration  the real Docker engine, the compose CLI and the emulated cluster
//   vscode       the bundled extension inside real VS Code (extension host)
//   ui           the packaged VSIX in the VS Code workbench, driven by headless Chromium
// Pick layers with `npm test -- unit integration`. Ends with the line `N passed, N failed`.
//
// Compose matrix (both CLIs are installed by scripts/setup-compose.sh): the compose scenarios run once
// per CLI and are counted apart ("integration (compose v1)", "… (compose v2)"):
//   test/integration/compose/*   the extension driving compose: on v1 and on v2
//   emulator/test/integration/*  the emulator's behaviour, which does not depend on the CLI: once each,
//                                on v2 (what new users have) except EMULATOR_ON_V1, so v1 runs a guide too
//   test/integration/*           engine tests without compose: once (v2 pass)
// The extension-host layer runs its emulated-cluster suite on both (test/harness/run-extension-tests.ts).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { clusterPortsCheck, removeLeftoverTestClusters } from './lib/cluster-ports.mjs';
import { specFailures } from './lib/spec-failures.mjs';

const COMPOSE_CLIS = [['v1', 'docker-compose'], ['v2', 'docker compose']];
const EMULATOR_ON_V1 = ['images.test.ts', 'upgrade.test.ts'];

const ALL_LAYERS = ['unit', 'integration', 'vscode', 'ui'];
const requested = process.argv.slice(2).filter((a) => ALL_LAYERS.includes(a));
const layers = requested.length ? requested : ALL_LAYERS;
const scratch = mkdtempSync(join(tmpdir(), 'waba-test-'));
// Tests get their own HOME and XDG dirs so nothing lands in the developer's profile.
const testHome = join(scratch, 'home');
const testEnv = {
  ...process.env, HOME: testHome, XDG_CONFIG_HOME: join(testHome, '.config'), XDG_DATA_HOME: join(testHome, '.local/share'),
  XDG_CACHE_HOME: join(testHome, '.cache'), DOCKER_CONFIG: join(testHome, '.docker'),
};
const results = [];
/** Set-up steps and how long each took, for the closing table. */
const setups = [];
const runStarted = Date.now();

/** Runs a command to its end; its exit status and how long it took. */
function run(title, command, args, { env = process.env } = {}) {
  console.log(`\n=== ${title}: ${command} ${args.join(' ')}`);
  const started = Date.now();
  const r = spawnSync(command, args, { stdio: 'inherit', env });
  const seconds = (Date.now() - started) / 1000;
  console.log(`=== ${title}: exit ${r.status ?? r.signal} after ${seconds.toFixed(1)} s`);
  return { ok: r.status === 0, seconds };
}

function findTests(...dirs) {
  return dirs.filter(existsSync).flatMap((d) => readdirSync(d, { recursive: true }).map(String).filter((f) => f.endsWith('.test.ts')).map((f) => join(d, f))).sort();
}

/** The integration files of one compose pass (see the matrix above). */
function integrationFiles(flavor) {
  const matrix = findTests('test/integration/compose');
  const emulator = findTests('emulator/test/integration').filter((f) => EMULATOR_ON_V1.includes(basename(f)) === (flavor === 'v1'));
  const engineOnly = flavor === 'v2' ? findTests('test/integration').filter((f) => !matrix.includes(f)) : [];
  return [...matrix, ...engineOnly, ...emulator];
}

/** Runs a command, streaming its output through, and resolves with its exit status and standard output. */
function runCapturing(title, command, args, env) {
  console.log(`\n=== ${title}: ${command} ${args.join(' ')}`);
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'], env });
    let out = '';
    child.stdout.on('data', (chunk) => { out += chunk; process.stdout.write(chunk); });
    child.on('close', (code, signal) => {
      const seconds = (Date.now() - started) / 1000;
      console.log(`=== ${title}: exit ${code ?? signal} after ${seconds.toFixed(1)} s`);
      resolve({ ok: code === 0, out, seconds });
    });
  });
}

/**
 * Runs node:test files; the counts come from the spec reporter's summary (ℹ pass N, ℹ fail N).
 * --test-force-exit: a handle a failed test left open must not hang the run (and CI) forever.
 */
async function nodeTests(layer, files, extraArgs = [], extraEnv = {}) {
  if (files.length === 0) return;
  const { ok, out, seconds } = await runCapturing(layer, process.execPath, ['--import', 'tsx', '--test', '--test-force-exit', '--test-reporter=spec', ...extraArgs, ...files], { ...testEnv, ...extraEnv });
  const count = (name) => Number(new RegExp(`^ℹ ${name} (\\d+)$`, 'm').exec(out)?.[1] ?? 0);
  const passed = count('pass');
  const failed = count('fail') + count('cancelled') + (ok || count('fail') ? 0 : 1);
  results.push({ layer, passed, failed, seconds, failures: specFailures(out) });
}

/**
 * Runs a harness that writes {passed, failed} to WABA_RESULT_FILE, or {rows: [{layer, passed, failed}]}
 * when it counts parts apart (the extension host's compose v1 and v2 runs).
 */
function harness(layer, script) {
  const resultFile = join(scratch, `${layer}.json`);
  const { ok, seconds } = run(layer, process.execPath, ['--import', 'tsx', script], { env: { ...testEnv, WABA_RESULT_FILE: resultFile } });
  const written = existsSync(resultFile) ? JSON.parse(readFileSync(resultFile, 'utf8')) : { passed: 0, failed: 0 };
  const rows = written.rows ?? [{ layer, passed: written.passed, failed: written.failed }];
  if (rows.length) Object.assign(rows[0], { failures: written.failures ?? [], seconds });
  if (!ok && rows.every((r) => r.failed === 0)) rows.push({ layer: `${layer} (harness)`, passed: 0, failed: 1 }); // the harness itself broke
  results.push(...rows);
}

/** A set-up step whose failure fails the layer that needs it (and says so). */
function setup(layer, title, command, args) {
  const { ok, seconds } = run(title, command, args);
  setups.push({ title, seconds });
  if (ok) return true;
  results.push({ layer: `${layer} (set-up: ${title})`, passed: 0, failed: 1 });
  return false;
}

/** A cluster outside the tests (the `npm start` demo, a user's own) on 9090/33060: stop at once, saying which. */
async function checkClusterPorts() {
  if (!layers.some((l) => l !== 'unit')) return;
  let check = await clusterPortsCheck();
  if (check.action === 'stop') {
    for (const { project, folder } of removeLeftoverTestClusters()) console.log(`[test] removed the cluster an interrupted test run left behind: project ${project} (folder ${folder}), with its volumes and network`);
    check = await clusterPortsCheck();
  }
  if (check.action === 'wait') console.log(`[test] ${check.holder.owner} (pid ${check.holder.pid}) uses the cluster ports; the cluster tests wait for it.`);
  if (check.action !== 'stop') return;
  console.error(`\n[test] npm test needs ports 9090 and 33060 for its clusters, and they are taken:\n${check.message}\nStop that cluster (or run only the unit layer: npm test -- unit), then run npm test again.`);
  console.log('\n0 passed, 1 failed');
  rmSync(scratch, { recursive: true, force: true });
  process.exit(1);
}

await checkClusterPorts();
try {
  if (setup('build', 'build', 'npm', ['run', '--silent', 'build']) && setup('build', 'typecheck', 'npm', ['run', '--silent', 'typecheck'])) {
    // Every program a test runs besides Docker and VS Code (sshd, openssl, ip, …): a missing one is named with its install command.
    setup('tools', 'test tools', 'bash', ['scripts/setup-test-tools.sh']);
    if (layers.includes('unit')) await nodeTests('unit', findTests('test/unit', 'emulator/test/unit'));
    const needsDocker = layers.some((l) => l !== 'unit');
    const dockerReady = needsDocker && setup('docker', 'Docker engine', 'bash', ['scripts/setup-docker.sh']);
    if (layers.includes('integration') && dockerReady) {
      const imagesReady = !existsSync('emulator/scripts/build-images.sh') || setup('integration', 'emulator images', 'bash', ['emulator/scripts/build-images.sh']);
      // One cluster at a time: Meta's compose publishes fixed host ports (9090, 33060).
      if (imagesReady) {
        for (const [flavor, cli] of COMPOSE_CLIS) {
          await nodeTests(`integration (compose ${flavor})`, integrationFiles(flavor), ['--test-concurrency=1'], { WABA_COMPOSE: cli });
        }
      }
    }
    const vscodeReady = dockerReady && (layers.includes('vscode') || layers.includes('ui')) && setup('vscode', 'VS Code test environment', 'bash', ['scripts/setup-vscode-test.sh']);
    if (layers.includes('vscode') && vscodeReady) harness('vscode', 'test/harness/run-extension-tests.ts');
    if (layers.includes('ui') && vscodeReady && setup('ui', 'package VSIX', 'npm', ['run', '--silent', 'package'])) {
      harness('ui', 'test/ui/smoke.ts');
      harness('ui (create)', 'test/ui/create.ts');
      harness('ui (languages)', 'test/ui/languages.ts');
      harness('ui (npm start first screen)', 'test/ui/firstScreen.ts');
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

// What failed, before the table, so the last lines of a CI log name each failure and its error.
const failures = results.flatMap((r) => (r.failures ?? []).map((f) => ({ layer: r.layer, ...f })));
if (failures.length) {
  console.log(`\nWhat failed (${failures.length}):`);
  for (const f of failures.slice(0, 20)) console.log(`✘ ${f.layer}: ${f.title}\n    ${f.message.split('\n').join('\n    ')}`);
  if (failures.length > 20) console.log(`… and ${failures.length - 20} more, above`);
}
const width = Math.max(14, ...results.map((r) => r.layer.length));
const minutes = (s) => (s === undefined ? '' : s < 60 ? `${s.toFixed(0)} s` : `${Math.floor(s / 60)} min ${String(Math.round(s % 60)).padStart(2)} s`);
console.log(`\nset-up: ${setups.map((s) => `${s.title} ${minutes(s.seconds)}`).join(', ')}`);
console.log(`\n${'layer'.padEnd(width)} passed  failed        time`);
for (const r of results) console.log(`${r.layer.padEnd(width)} ${String(r.passed).padStart(6)}  ${String(r.failed).padStart(6)}  ${minutes(r.seconds).padStart(10)}`);
console.log(`${'all, with set-up'.padEnd(width)} ${''.padStart(6)}  ${''.padStart(6)}  ${minutes((Date.now() - runStarted) / 1000).padStart(10)}`);
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
