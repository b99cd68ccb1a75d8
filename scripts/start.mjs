#!/usr/bin/env node
// `npm start`: the extension on a demo cluster folder, in a real VS Code.
//   1. npm run build
//   2. Docker engine (scripts/setup-docker.sh) and the emulator images (emulator/scripts/build-images.sh)
//   3. demo cluster folder .demo/biz (emulator/scripts/cluster-folder.mjs .demo/biz --db mysql, oldest version)
//   4. desktop `code` on PATH: code --extensionDevelopmentPath=<repo> .demo/biz
//      otherwise: the VS Code server from scripts/setup-vscode-test.sh on http://127.0.0.1:$PORT
//      (default 8080) with the freshly packaged VSIX installed; stays in the foreground until Ctrl+C.
// VS Code's user data, extensions and HOME live in .demo/vscode/ (git-ignored): the demo profile. It opens
// on the cluster: no startup editor, no port forwarding or its toasts, no parent-folder git prompt, no
// telemetry prompt; the guide's walkthrough is the one editor and the WABA Cluster view has the focus
// (scripts/demo-workbench, installed into this profile only). The user's own VS Code is never touched.
// After the URL it prints the three first steps; Ctrl+C stops the VS Code server only (the cluster keeps
// running, and the message says how to stop it).
// WABA_START_SKIP_IMAGES=1 skips step 2's image build (e.g. while another build is running).
// WABA_DEMO_DIR=<dir> puts the demo folder and profile there instead of .demo (the UI test's own copy).
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import vscodeServer from '../test/harness/vscode-server.js';
import { clusterPortsCheck } from './lib/cluster-ports.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DEMO = resolve(process.env.WABA_DEMO_DIR || join(ROOT, '.demo'));
const FOLDER = join(DEMO, 'biz');
const VSIX = join(ROOT, 'out', 'waba-cluster.vsix');
const PORT = Number(process.env.PORT || 8080);

const say = (msg) => console.log(`[start] ${msg}`);

function run(title, command, args, { required = true } = {}) {
  say(`${title}: ${command} ${args.join(' ')}`);
  const r = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit' });
  if (r.status === 0) return true;
  const msg = `${title} failed (exit ${r.status ?? r.signal})`;
  if (required) { console.error(`[start] ${msg}`); process.exit(1); }
  say(`${msg}; continuing without it`);
  return false;
}

function onPath(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

function prepareDemoFolder() {
  const script = join(ROOT, 'emulator', 'scripts', 'cluster-folder.mjs');
  if (existsSync(join(FOLDER, 'multiconnect-compose.yml'))) {
    say(`demo cluster folder ${FOLDER} exists (delete it to regenerate)`);
  } else if (existsSync(script)) {
    if (existsSync(FOLDER) && readdirSync(FOLDER).length === 0) rmSync(FOLDER, { recursive: true });
    // The oldest emulator version, so "Upgrade Cluster" has a newer one to go to.
    const [oldest] = readFileSync(join(ROOT, 'emulator', 'versions.txt'), 'utf8').split('\n').map((l) => l.trim()).filter(Boolean);
    run('demo cluster folder', process.execPath, [script, FOLDER, '--db', 'mysql', '--version', oldest]);
  } else {
    mkdirSync(FOLDER, { recursive: true });
    say(`note: ${script} is missing, so ${FOLDER} stays empty (the extension needs a multiconnect-compose.yml)`);
  }
}

async function serveInBrowser() {
  run('VS Code test environment', 'bash', [join(ROOT, 'scripts', 'setup-vscode-test.sh')]);
  const home = join(DEMO, 'vscode', 'home');
  const env = {
    ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_DATA_HOME: join(home, '.local', 'share'),
    XDG_CACHE_HOME: join(home, '.cache'),
    // VS Code's IPC sockets; a short path under /tmp (socket paths are limited to 107 bytes).
    TMPDIR: mkdtempSync(join(tmpdir(), 'waba-start-')),
  };
  mkdirSync(env.XDG_CONFIG_HOME, { recursive: true });
  process.on('exit', () => rmSync(env.TMPDIR, { recursive: true, force: true }));
  const userDataDir = join(DEMO, 'vscode', 'user-data');
  const extensionsDir = join(DEMO, 'vscode', 'extensions');

  // The packaged VSIX is what users install; if packaging fails, load dist/ as a development extension.
  const packaged = run('package the VSIX', 'npm', ['run', '--silent', 'package'], { required: false }) && existsSync(VSIX);
  if (packaged) {
    vscodeServer.installExtension({ vsix: VSIX, userDataDir, extensionsDir, env });
    say(`installed ${VSIX}`);
  }
  writeDemoSettings(userDataDir);
  installDemoWorkbench({ userDataDir, extensionsDir, env });

  // A connection token, new every start: only the printed URL opens the workbench (which can run
  // programs), not another local user or a web page that guesses the port.
  const server = await vscodeServer.startServer({
    userDataDir, extensionsDir, env, port: PORT, logFile: join(DEMO, 'vscode', 'server.log'), connectionToken: randomBytes(24).toString('hex'),
  });
  const devPayload = [['extensionDevelopmentPath', `vscode-remote://${server.authority}${ROOT}`]];
  const url = vscodeServer.workbenchUrl(server.baseUrl, FOLDER, packaged ? undefined : devPayload, server.token);
  const devUrl = vscodeServer.workbenchUrl(server.baseUrl, FOLDER, devPayload, server.token);
  console.log(`
  VS Code ${vscodeServer.vscodeVersion().version} with WABA Cluster is ready. Open:

    ${url}
${packaged ? `
  To run the working tree instead of the VSIX (with \`npm run watch\`, then "Developer: Reload Window"):

    ${devUrl}
` : ''}
${FIRST_STEPS}
  Server log: ${server.logFile}. Press Ctrl+C to stop the VS Code server (the cluster keeps running).
`);

  let stopping = false;
  const stop = async (why, code) => {
    if (stopping) return;
    stopping = true;
    say(`${why}: stopping the VS Code server`);
    await server.stop();
    say(clusterAfterStop());
    process.exit(code);
  };
  process.on('SIGINT', () => stop('Ctrl+C', 0));
  process.on('SIGTERM', () => stop('SIGTERM', 0));
  process.on('SIGHUP', () => stop('SIGHUP', 0));
  const { code, signal } = await server.exited;
  if (!stopping) {
    console.error(`[start] the VS Code server exited (${signal || code}); last log lines:\n${vscodeServer.tail(server.logFile)}`);
    await stop('server exited', 1);
  }
}

/** What to do first, printed under the URL: the guide's first steps, as commands of the WABA Cluster view. */
const FIRST_STEPS = `
  First steps (the WABA Cluster view is open on the left; the walkthrough beside it has the same):
    1. Start Cluster       ▶ in the view's title bar (the guide's up -d: db, waweb, 2 masters, 3 coreapps)
    2. Connect             F1 → "WABA: Connect to Webapp": trust the certificate, log in as admin / secret,
                           choose a new password
    3. Open Cluster Panel  F1 → "WABA: Open Cluster Panel": health, register the number, set 2 shards
`;

/** The demo profile's settings: a workbench that opens on the cluster and asks nothing first. Only keys of ours change. */
const DEMO_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'remote.autoForwardPorts': false,
  'remote.restoreForwardedPorts': false,
  'git.openRepositoryInParentFolders': 'never',
  'telemetry.telemetryLevel': 'off',
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  // The walkthrough focuses its selected step after its 250 ms slide transition, which could land after the
  // demo workbench had focused the view (a race the first-screen UI test met); without the animation the
  // step takes the focus at once, while the walkthrough opens, and the view's focus comes after it.
  'workbench.welcomePage.preferReducedMotion': true,
};

function writeDemoSettings(userDataDir) {
  const file = join(userDataDir, 'User', 'settings.json');
  let current = {};
  try { current = JSON.parse(readFileSync(file, 'utf8')); } catch { /* none yet, or edited into JSONC: ours win */ }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ ...current, ...DEMO_SETTINGS }, null, 2) + '\n');
}

/** scripts/demo-workbench (opens the walkthrough and focuses the view on load), packaged and installed into the demo profile. */
function installDemoWorkbench({ userDataDir, extensionsDir, env }) {
  const source = join(ROOT, 'scripts', 'demo-workbench');
  const vsix = join(DEMO, 'vscode', 'demo-workbench.vsix');
  const vsce = join(ROOT, 'node_modules', '.bin', 'vsce');
  const r = spawnSync(vsce, ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', vsix], { cwd: source, encoding: 'utf8' });
  if (r.status !== 0) { say(`note: the demo workbench helper was not packaged (${(r.stderr || r.stdout || '').trim().split('\n').at(-1)}): the view opens with a click on its icon`); return; }
  vscodeServer.installExtension({ vsix, userDataDir, extensionsDir, env });
}

/** After Ctrl+C: whether the demo cluster still runs, and how to stop it (nothing is stopped or deleted here). */
function clusterAfterStop() {
  const r = spawnSync('docker', ['ps', '-q', '--filter', `label=com.docker.compose.project.working_dir=${FOLDER}`], { encoding: 'utf8', timeout: 10_000 });
  const running = r.status === 0 ? r.stdout.split('\n').filter(Boolean).length : undefined;
  const state = running === undefined ? 'The demo cluster, if you started it, keeps running.'
    : running === 0 ? 'The demo cluster is not running.'
    : `The demo cluster keeps running (${running} container${running === 1 ? '' : 's'}, ports 9090 and 33060).`;
  return `${state}\n[start] To stop it: cd ${FOLDER} && docker compose down   (docker-compose down with Compose v1, or "WABA: Stop Cluster" in VS Code; down -v also deletes its data)`;
}

/** A test run's cluster on 9090/33060 (it holds the ports lock): say so at once instead of failing at Start Cluster. */
async function checkClusterPorts() {
  const check = await clusterPortsCheck();
  if (check.action === 'wait') {
    console.error(`[start] ${check.holder.owner} (pid ${check.holder.pid}, since ${check.holder.since}) runs a test cluster on ports 9090 and 33060, which the demo cluster needs.\n[start] Wait until that test run ends (or stop it: kill ${check.holder.pid}), then run npm start again.`);
    process.exit(1);
  }
  if (check.action === 'stop') say(`note: a cluster already runs on 9090/33060 (Start Cluster on the demo folder will say so):\n${check.message}`);
}

async function main() {
  await checkClusterPorts();
  run('build', 'npm', ['run', '--silent', 'build']);
  run('Docker engine', 'bash', [join(ROOT, 'scripts', 'setup-docker.sh')], { required: false });
  const buildImages = join(ROOT, 'emulator', 'scripts', 'build-images.sh');
  if (process.env.WABA_START_SKIP_IMAGES === '1') say('WABA_START_SKIP_IMAGES=1: skipping the emulator images');
  else if (existsSync(buildImages)) run('emulator images', 'bash', [buildImages], { required: false });
  else say(`note: ${buildImages} is missing; skipping the emulator images`);
  prepareDemoFolder();

  if (onPath('code')) {
    say('desktop VS Code found on PATH');
    const child = spawn('code', [`--extensionDevelopmentPath=${ROOT}`, FOLDER], { cwd: ROOT, stdio: 'inherit' });
    child.on('exit', (code) => process.exit(code ?? 1));
    return;
  }
  say('no desktop `code` on PATH: serving VS Code in the browser instead');
  await serveInBrowser();
}

main().catch((err) => {
  console.error(`[start] ${err instanceof Error ? err.message : err}`);
  process.exit(1);
});
