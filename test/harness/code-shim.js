#!/usr/bin/env node
// A stand-in "VS Code executable" for @vscode/test-electron's runTests({ vscodeExecutablePath }).
//
// Desktop VS Code cannot be downloaded on our machines, but code-server (npm) bundles the real
// VS Code server ("reh-web" build, VS Code 1.100.3). This shim takes the desktop command line
//   --extensionDevelopmentPath=P (repeatable) --extensionTestsPath=T --user-data-dir=U
//   --extensions-dir=E [FOLDER]     (electron-only flags such as --no-sandbox are ignored)
// starts that server on 127.0.0.1 with --enable-smoke-test-driver, opens the web workbench in
// headless Debian Chromium (playwright-core) with the dev/test paths in the `payload` query, prints
// every codeAutomationLog line (workbench + extension host, i.e. Mocha's output) and exits with
// the code the workbench hands to codeAutomationExit. Server and browser are stopped on every path.
//
// Installation: scripts/setup-vscode-test.sh [DIR]; the shim looks in $WABA_VSCODE_TEST_DIR
// (default <repo>/.vscode-test). Other knobs: WABA_SHIM_TIMEOUT_MS (default 600000),
// WABA_SHIM_VERBOSE=1 (also print routine workbench chatter), CHROMIUM_BIN (/usr/bin/chromium).
// Exit codes: the tests' code; 2 = harness failure; 124 = timeout; 128+n = killed by signal n.
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const util = require('node:util');

const INSTALL_DIR = path.resolve(process.env.WABA_VSCODE_TEST_DIR || path.join(__dirname, '..', '..', '.vscode-test'));
const CODE_SERVER_PKG = process.env.CODE_SERVER_PKG || path.join(INSTALL_DIR, 'node_modules', 'code-server');
const VSCODE_DIR = path.join(CODE_SERVER_PKG, 'lib', 'vscode');
const SERVER_MAIN = path.join(VSCODE_DIR, 'out', 'server-main.js');
const SERVER_NODE = process.env.VSCODE_SERVER_NODE || process.execPath;
const CHROMIUM_BIN = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
const TIMEOUT_MS = Number(process.env.WABA_SHIM_TIMEOUT_MS || 10 * 60 * 1000);
const VERBOSE = process.env.WABA_SHIM_VERBOSE === '1';

// Chromium flags: no sandbox (root), no GPU, and nothing that phones home. The resolver rule makes
// every host name except the local server's unresolvable inside the browser (no DNS lookups at all).
const CHROMIUM_ARGS = [
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-sync',
  '--disable-background-networking', '--disable-component-update', '--disable-default-apps',
  '--disable-breakpad', '--disable-crash-reporter', '--metrics-recording-only', '--no-default-browser-check',
];

// Routine workbench lines that say nothing about the tests (shown with WABA_SHIM_VERBOSE=1). The
// service-worker 404 is code-server's PWA worker, which the plain VS Code server does not serve.
const CHATTER = /^(Resolving connection token|Resolved connection token|Resolving authority|Resolved authority|Creating a socket|Creation of workbench|Updating additional|Started local extension host|Settings Sync|ChatSessionStore|Ignoring fetching additional builtin extensions from gallery|\[Service Worker\] registration|\[reconnection-grace-time\])/;

const t0 = Date.now();
const log = (msg) => process.stdout.write(`[code-shim +${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}\n`);

function parseArgs(argv) {
  const out = { devPaths: [], testsPath: undefined, userDataDir: undefined, extensionsDir: undefined, target: undefined, version: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) { out.target ??= path.resolve(arg); continue; }
    let [key, value] = arg.slice(2).split(/=(.*)/s, 2);
    const takesValue = ['extensionDevelopmentPath', 'extensionTestsPath', 'user-data-dir', 'extensions-dir'].includes(key);
    if (takesValue && value === undefined) value = argv[++i];
    switch (key) {
      case 'extensionDevelopmentPath': out.devPaths.push(path.resolve(value)); break;
      case 'extensionTestsPath': out.testsPath = path.resolve(value); break;
      case 'user-data-dir': out.userDataDir = path.resolve(value); break;
      case 'extensions-dir': out.extensionsDir = path.resolve(value); break;
      case 'version': case 'v': out.version = true; break;
      default: break; // --no-sandbox, --disable-gpu-sandbox, --skip-welcome, ...: meaningless here
    }
  }
  return out;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer().once('error', reject).listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function httpStatus(url) {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: 2000 }, (res) => { res.resume(); resolve(res.statusCode); });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function tail(file, lines = 30) {
  try { return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n'); } catch { return '(no log)'; }
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(SERVER_MAIN)) {
    throw new Error(`VS Code server not found at ${SERVER_MAIN}; run scripts/setup-vscode-test.sh first`);
  }
  if (args.version) {
    const product = JSON.parse(fs.readFileSync(path.join(VSCODE_DIR, 'product.json'), 'utf8'));
    const pkg = JSON.parse(fs.readFileSync(path.join(VSCODE_DIR, 'package.json'), 'utf8'));
    process.stdout.write(`${pkg.version}\n${product.commit}\n${process.arch}\n`);
    return 0;
  }
  const { chromium } = require(process.env.PLAYWRIGHT_CORE || path.join(INSTALL_DIR, 'node_modules', 'playwright-core'));

  const userDataDir = args.userDataDir || fs.mkdtempSync(path.join(os.tmpdir(), 'waba-shim-udd-'));
  const extensionsDir = args.extensionsDir || path.join(userDataDir, 'extensions');
  fs.mkdirSync(userDataDir, { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  // Scratch space for this run (browser profile, its HOME, the server log); removed at the end.
  const runDir = fs.mkdtempSync(path.join(userDataDir, 'shim-run-'));
  const serverLogFile = path.join(runDir, 'vscode-server.log');

  let server; let context; let cleaning;
  const cleanup = async () => {
    if (cleaning) return cleaning;
    cleaning = (async () => {
      if (context) await Promise.race([context.close().catch(() => {}), sleep(5000)]);
      if (server && server.exitCode === null && server.signalCode === null) {
        try { process.kill(-server.pid, 'SIGTERM'); } catch { /* already gone */ }
        for (let i = 0; i < 30 && server.exitCode === null && server.signalCode === null; i++) await sleep(100);
        try { process.kill(-server.pid, 'SIGKILL'); } catch { /* already gone */ }
      }
    })();
    return cleaning;
  };
  // Last resort if something calls process.exit() early: the server runs in its own process group.
  process.on('exit', () => { if (server) { try { process.kill(-server.pid, 'SIGKILL'); } catch { /* gone */ } } });

  // Every way this run can end settles `outcome` exactly once.
  let settle; let settled = false;
  const outcome = new Promise((resolve) => { settle = (r) => { settled = true; resolve(r); }; });
  for (const [sig, num] of [['SIGINT', 2], ['SIGTERM', 15], ['SIGHUP', 1]]) {
    process.on(sig, () => { log(`received ${sig}, stopping`); settle({ code: 128 + num }); });
  }
  const timer = setTimeout(() => settle({ code: 124, why: `no result after ${TIMEOUT_MS} ms` }), TIMEOUT_MS);

  const port = await freePort();
  const authority = `127.0.0.1:${port}`;
  const serverLog = fs.createWriteStream(serverLogFile);
  server = spawn(SERVER_NODE, [
    SERVER_MAIN, '--host', '127.0.0.1', '--port', String(port),
    '--without-connection-token', '--accept-server-license-terms', '--enable-smoke-test-driver',
    '--user-data-dir', userDataDir, '--server-data-dir', path.join(userDataDir, 'server'),
    '--extensions-dir', extensionsDir, '--disable-telemetry', '--disable-workspace-trust',
  ], {
    // code-server's build reads the marketplace from EXTENSIONS_GALLERY (default: open-vsx.org, which
    // is unreachable anyway); "{}" has no serviceUrl, which switches the gallery off.
    env: { ...process.env, EXTENSIONS_GALLERY: process.env.EXTENSIONS_GALLERY ?? '{}' },
    stdio: ['ignore', 'pipe', 'pipe'], detached: true,
  });
  server.stdout.pipe(serverLog);
  server.stderr.pipe(serverLog);
  server.on('exit', (code, signal) => settle({ code: 2, why: `VS Code server exited early (${signal || code})` }));

  const body = (async () => {
    let ready = false;
    while (!ready && !settled) {
      ready = (await httpStatus(`http://${authority}/version`)) !== 0;
      if (!ready) await sleep(100);
    }
    if (settled) return;
    log(`VS Code server ready on ${authority}`);

    const payload = args.devPaths.map((p) => ['extensionDevelopmentPath', `vscode-remote://${authority}${p}`]);
    if (args.testsPath) payload.push(['extensionTestsPath', `vscode-remote://${authority}${args.testsPath}`]);
    const where = !args.target ? 'ew=true'
      : args.target.endsWith('.code-workspace') ? `workspace=${encodeURIComponent(args.target)}`
      : `folder=${encodeURIComponent(args.target)}`;
    const url = `http://${authority}/?${where}&payload=${encodeURIComponent(JSON.stringify(payload))}`;

    // Chromium writes ~/.config/chromium and ~/.cache even with a profile dir: give it its own HOME.
    const browserHome = path.join(runDir, 'home');
    fs.mkdirSync(browserHome, { recursive: true });
    context = await chromium.launchPersistentContext(path.join(runDir, 'chromium-profile'), {
      executablePath: CHROMIUM_BIN, headless: true, args: CHROMIUM_ARGS,
      handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false,
      env: { ...process.env, HOME: browserHome, XDG_CONFIG_HOME: path.join(browserHome, '.config'), XDG_CACHE_HOME: path.join(browserHome, '.cache') },
    });
    if (settled) { await cleanup(); return; } // ended (signal, timeout) while Chromium started
    context.on('close', () => settle({ code: 2, why: 'browser closed unexpectedly' }));
    const page = context.pages()[0] || (await context.newPage());
    page.on('crash', () => settle({ code: 2, why: 'workbench page crashed' }));
    await page.exposeFunction('codeAutomationLog', (type, logArgs) => {
      const msg = util.format(...(Array.isArray(logArgs) ? logArgs : [logArgs]));
      if (!VERBOSE && CHATTER.test(msg)) return;
      (type === 'error' ? process.stderr : process.stdout).write(`${msg}\n`);
    });
    await page.exposeFunction('codeAutomationExit', (code) => {
      settle({ code: typeof code === 'number' ? code : 1 });
    });
    log(`opening workbench (${args.target || 'empty window'})`);
    await page.goto(url);
  })();
  body.catch((err) => settle({ code: 2, why: `harness error: ${err && err.stack ? err.stack : err}` }));

  const result = await outcome;
  clearTimeout(timer);
  await cleanup();
  if (result.why) {
    log(result.why);
    if (result.code === 2 || result.code === 124) process.stderr.write(`--- last lines of the VS Code server log ---\n${tail(serverLogFile)}\n`);
  }
  log(`finished with exit code ${result.code}`);
  serverLog.end();
  fs.rmSync(runDir, { recursive: true, force: true, maxRetries: 3 });
  return result.code;
}

main().then(
  (code) => process.exit(code),
  (err) => { process.stderr.write(`[code-shim] ${err && err.stack ? err.stack : err}\n`); process.exit(2); },
);
