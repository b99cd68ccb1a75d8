#!/usr/bin/env node
// A stand-in "VS Code executable" for @vscode/test-electron's runTests({ vscodeExecutablePath }).
//
// Desktop VS Code cannot be downloaded on our machines, but code-server (npm) bundles the real
// VS Code server ("reh-web" build, VS Code 1.100.3). This shim takes the desktop command line
//   --extensionDevelopmentPath=P (repeatable) --extensionTestsPath=T --user-data-dir=U
//   --extensions-dir=E [FOLDER]     (electron-only flags such as --no-sandbox are ignored)
//   --version                       (prints version, commit, arch like `code --version`)
// starts that server on 127.0.0.1 with --enable-smoke-test-driver, opens the web workbench in
// headless Debian Chromium (playwright-core) with the dev/test paths in the `payload` query, prints
// every codeAutomationLog line (workbench + extension host, i.e. Mocha's output) and exits with
// the code the workbench hands to codeAutomationExit. Server and browser are stopped on every path.
//
// Installation: scripts/setup-vscode-test.sh [DIR]; looked up in $WABA_VSCODE_TEST_DIR (default
// <repo>/.vscode-test). Knobs: WABA_SHIM_TIMEOUT_MS (default 600000), WABA_SHIM_VERBOSE=1 (also
// print routine workbench chatter), CHROMIUM_BIN (default /usr/bin/chromium), WABA_SHIM_LOCALE=ar (VS Code's
// display language, like desktop's --locale: vscode-server.js useDisplayLanguage).
// Exit codes: the tests' code; 2 = harness failure; 124 = timeout; 128+n = stopped by signal n.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const util = require('node:util');
const vscodeServer = require('./vscode-server');

const TIMEOUT_MS = Number(process.env.WABA_SHIM_TIMEOUT_MS || 10 * 60 * 1000);
const VERBOSE = process.env.WABA_SHIM_VERBOSE === '1';

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
      case 'version': out.version = true; break;
      default: break; // --no-sandbox, --disable-gpu-sandbox, --skip-welcome, ...: meaningless here
    }
  }
  return out;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.version) {
    const { version, commit } = vscodeServer.vscodeVersion();
    process.stdout.write(`${version}\n${commit}\n${process.arch}\n`);
    return 0;
  }
  vscodeServer.ensureInstalled();

  const userDataDir = args.userDataDir || fs.mkdtempSync(path.join(os.tmpdir(), 'waba-shim-udd-'));
  const extensionsDir = args.extensionsDir || path.join(userDataDir, 'extensions');
  fs.mkdirSync(userDataDir, { recursive: true });
  // Scratch space for this run (browser profile and HOME, the server log); removed at the end.
  const runDir = fs.mkdtempSync(path.join(userDataDir, 'shim-run-'));
  const logFile = path.join(runDir, 'vscode-server.log');

  // Every way this run can end settles `outcome` exactly once.
  let settle; let settled = false;
  const outcome = new Promise((resolve) => { settle = (r) => { if (!settled) { settled = true; resolve(r); } }; });
  for (const [sig, num] of [['SIGINT', 2], ['SIGTERM', 15], ['SIGHUP', 1]]) {
    process.on(sig, () => { log(`received ${sig}, stopping`); settle({ code: 128 + num }); });
  }
  const timer = setTimeout(() => settle({ code: 124, why: `no result after ${TIMEOUT_MS} ms` }), TIMEOUT_MS);

  let server; let context;
  // Last resort if something calls process.exit() early: the server has its own process group.
  process.on('exit', () => server?.killGroup('SIGKILL'));

  const body = (async () => {
    const locale = process.env.WABA_SHIM_LOCALE;
    if (locale) vscodeServer.useDisplayLanguage({ userDataDir, language: locale });
    server = await vscodeServer.startServer({
      userDataDir, extensionsDir, logFile, smokeTestDriver: true, isCancelled: () => settled,
      workspaceTrust: process.env.WABA_SHIM_WORKSPACE_TRUST === '1',
    });
    server.exited.then(({ code, signal }) => settle({ code: 2, why: `VS Code server exited early (${signal || code})` }));
    log(`VS Code server ready on ${server.authority}`);
    if (settled) return;

    const remote = (p) => `vscode-remote://${server.authority}${p}`;
    const payload = args.devPaths.map((p) => ['extensionDevelopmentPath', remote(p)]);
    if (args.testsPath) payload.push(['extensionTestsPath', remote(args.testsPath)]);
    context = await vscodeServer.launchBrowser(path.join(runDir, 'chromium'), { locale });
    if (settled) return; // ended (signal, timeout) while Chromium started; cleanup below closes it
    context.on('close', () => settle({ code: 2, why: 'browser closed unexpectedly' }));
    const page = context.pages()[0] || (await context.newPage());
    page.on('crash', () => settle({ code: 2, why: 'workbench page crashed' }));
    await page.exposeFunction('codeAutomationLog', (type, logArgs) => {
      const msg = util.format(...(Array.isArray(logArgs) ? logArgs : [logArgs]));
      if (!VERBOSE && CHATTER.test(msg)) return;
      (type === 'error' ? process.stderr : process.stdout).write(`${msg}\n`);
    });
    await page.exposeFunction('codeAutomationExit', (code) => settle({ code: typeof code === 'number' ? code : 1 }));
    log(`opening workbench (${args.target || 'empty window'})`);
    await page.goto(vscodeServer.workbenchUrl(server.baseUrl, args.target, payload));
  })();
  body.catch((err) => settle({ code: 2, why: `harness error: ${err && err.stack ? err.stack : err}` }));

  const result = await outcome;
  clearTimeout(timer);
  // If we were stopped while the server or Chromium was still starting, let that step finish
  // (startServer stops itself when cancelled) so nothing it started is left behind.
  await Promise.race([body.catch(() => {}), vscodeServer.sleep(15_000)]);
  if (context) await Promise.race([context.close().catch(() => {}), vscodeServer.sleep(5000)]);
  if (server) await server.stop();
  if (result.why) {
    log(result.why);
    if (server && (result.code === 2 || result.code === 124)) {
      process.stderr.write(`--- last lines of the VS Code server log ---\n${vscodeServer.tail(logFile)}\n`);
    }
  }
  log(`finished with exit code ${result.code}`);
  fs.rmSync(runDir, { recursive: true, force: true, maxRetries: 3 });
  return result.code;
}

main().then(
  (code) => process.exit(code),
  (err) => { process.stderr.write(`[code-shim] ${err && err.stack ? err.stack : err}\n`); process.exit(2); },
);
