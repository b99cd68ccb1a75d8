#!/usr/bin/env node
// `npm test`: every layer of the test bench, on a fresh machine too.
//   unit         plain Node, no VS Code, no Docker
//   integration  the real Docker engine, the compose CLI and the emulated cluster
//   vscode       the bundled extension inside real VS Code (extension host)
//   ui           the packaged VSIX in the VS Code workbench, driven by headless Chromium
// Pick layers with `npm test -- unit integration`. Ends with the line `N passed, N failed`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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

function run(title, command, args, { env = process.env } = {}) {
  console.log(`\n=== ${title}: ${command} ${args.join(' ')}`);
  const started = Date.now();
  const r = spawnSync(command, args, { stdio: 'inherit', env });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`=== ${title}: exit ${r.status ?? r.signal} after ${seconds} s`);
  return r.status === 0;
}

function findTests(...dirs) {
  return dirs.filter(existsSync).flatMap((d) => readdirSync(d, { recursive: true }).map(String).filter((f) => f.endsWith('.test.ts')).map((f) => join(d, f))).sort();
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
      console.log(`=== ${title}: exit ${code ?? signal} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
      resolve({ ok: code === 0, out });
    });
  });
}

/**
 * Runs node:test files; the counts come from the spec reporter's summary (ℹ pass N, ℹ fail N).
 * --test-force-exit: a handle a failed test left open must not hang the run (and CI) forever.
 */
async function nodeTests(layer, files, extraArgs = []) {
  if (files.length === 0) return;
  const { ok, out } = await runCapturing(layer, process.execPath, ['--import', 'tsx', '--test', '--test-force-exit', '--test-reporter=spec', ...extraArgs, ...files], testEnv);
  const count = (name) => Number(new RegExp(`^ℹ ${name} (\\d+)$`, 'm').exec(out)?.[1] ?? 0);
  const passed = count('pass');
  const failed = count('fail') + count('cancelled') + (ok || count('fail') ? 0 : 1);
  results.push({ layer, passed, failed });
}

/** Runs a harness that writes {passed, failed} to WABA_RESULT_FILE. */
function harness(layer, script) {
  const resultFile = join(scratch, `${layer}.json`);
  const ok = run(layer, process.execPath, ['--import', 'tsx', script], { env: { ...testEnv, WABA_RESULT_FILE: resultFile } });
  const counts = existsSync(resultFile) ? JSON.parse(readFileSync(resultFile, 'utf8')) : { passed: 0, failed: 0 };
  if (!ok && counts.failed === 0) counts.failed = 1; // the harness itself broke
  results.push({ layer, ...counts });
}

/** A set-up step whose failure fails the layer that needs it (and says so). */
function setup(layer, title, command, args) {
  if (run(title, command, args)) return true;
  results.push({ layer: `${layer} (set-up: ${title})`, passed: 0, failed: 1 });
  return false;
}

try {
  if (setup('build', 'build', 'npm', ['run', '--silent', 'build']) && setup('build', 'typecheck', 'npm', ['run', '--silent', 'typecheck'])) {
    if (layers.includes('unit')) await nodeTests('unit', findTests('test/unit', 'emulator/test/unit'));
    const needsDocker = layers.some((l) => l !== 'unit');
    const dockerReady = needsDocker && setup('docker', 'Docker engine', 'bash', ['scripts/setup-docker.sh']);
    if (layers.includes('integration') && dockerReady) {
      const imagesReady = !existsSync('emulator/scripts/build-images.sh') || setup('integration', 'emulator images', 'bash', ['emulator/scripts/build-images.sh']);
      // One cluster at a time: Meta's compose publishes fixed host ports (9090, 33060).
      if (imagesReady) await nodeTests('integration', findTests('test/integration', 'emulator/test/integration'), ['--test-concurrency=1']);
    }
    const vscodeReady = dockerReady && (layers.includes('vscode') || layers.includes('ui')) && setup('vscode', 'VS Code test environment', 'bash', ['scripts/setup-vscode-test.sh']);
    if (layers.includes('vscode') && vscodeReady) harness('vscode', 'test/harness/run-extension-tests.ts');
    if (layers.includes('ui') && vscodeReady && setup('ui', 'package VSIX', 'npm', ['run', '--silent', 'package'])) {
      harness('ui', 'test/ui/smoke.ts');
      harness('ui (create)', 'test/ui/create.ts');
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

console.log('\nlayer          passed  failed');
for (const r of results) console.log(`${r.layer.padEnd(14)} ${String(r.passed).padStart(6)}  ${String(r.failed).padStart(6)}`);
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
