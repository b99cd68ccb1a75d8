// The pieces shared by code-shim.js, test/ui/smoke.ts and scripts/start.mjs: where the VS Code
// server installed by scripts/setup-vscode-test.sh lives, how to start and stop it on 127.0.0.1,
// how to install a VSIX into it, and how to open headless Debian Chromium through playwright-core.
// Plain CommonJS so the shim runs without a TypeScript loader.
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const path = require('node:path');

/** Where setup-vscode-test.sh installed code-server and playwright-core. */
const INSTALL_DIR = path.resolve(process.env.WABA_VSCODE_TEST_DIR || path.join(__dirname, '..', '..', '.vscode-test'));
const CODE_SERVER_PKG = process.env.CODE_SERVER_PKG || path.join(INSTALL_DIR, 'node_modules', 'code-server');
const VSCODE_DIR = path.join(CODE_SERVER_PKG, 'lib', 'vscode');
const SERVER_MAIN = path.join(VSCODE_DIR, 'out', 'server-main.js');
/** Node 20 for code-server 4.100.x (the version we install). */
const SERVER_NODE = process.env.VSCODE_SERVER_NODE || process.execPath;
const CHROMIUM_BIN = process.env.CHROMIUM_BIN || '/usr/bin/chromium';

/**
 * Chromium flags: no sandbox (we run as root), no GPU, and nothing that phones home. The resolver
 * rule makes every host name except the local server's unresolvable (no DNS lookups at all).
 */
const CHROMIUM_ARGS = [
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-sync',
  '--disable-background-networking', '--disable-component-update', '--disable-default-apps',
  '--disable-breakpad', '--disable-crash-reporter', '--metrics-recording-only', '--no-default-browser-check',
];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function ensureInstalled() {
  if (!fs.existsSync(SERVER_MAIN)) {
    throw new Error(`VS Code server not found at ${SERVER_MAIN}; run scripts/setup-vscode-test.sh first`);
  }
}

/** VS Code's version and commit, e.g. { version: '1.100.3', commit: '409c64e…' }. */
function vscodeVersion() {
  ensureInstalled();
  const { version } = JSON.parse(fs.readFileSync(path.join(VSCODE_DIR, 'package.json'), 'utf8'));
  const { commit } = JSON.parse(fs.readFileSync(path.join(VSCODE_DIR, 'product.json'), 'utf8'));
  return { version, commit };
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

/**
 * The server's environment. code-server's build reads the marketplace from EXTENSIONS_GALLERY
 * (default open-vsx.org, unreachable anyway); "{}" has no serviceUrl, which switches the gallery off.
 */
function serverEnv(env = process.env) {
  return { ...env, EXTENSIONS_GALLERY: env.EXTENSIONS_GALLERY ?? '{}' };
}

function commonArgs({ userDataDir, extensionsDir }) {
  return [
    '--accept-server-license-terms',
    '--user-data-dir', userDataDir, '--server-data-dir', path.join(userDataDir, 'server'),
    '--extensions-dir', extensionsDir,
  ];
}

/** Installs a .vsix into extensionsDir (the server's CLI mode, ~1 s); throws with its output on failure. */
function installExtension({ vsix, userDataDir, extensionsDir, env }) {
  ensureInstalled();
  fs.mkdirSync(userDataDir, { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  const r = spawnSync(SERVER_NODE, [SERVER_MAIN, ...commonArgs({ userDataDir, extensionsDir }), '--install-extension', vsix, '--force'],
    { env: serverEnv(env), encoding: 'utf8', timeout: 120_000 });
  const output = `${r.stdout || ''}${r.stderr || ''}`.trim();
  if (r.status !== 0 || !/successfully installed/i.test(output)) {
    throw new Error(`installing ${vsix} failed (exit ${r.status ?? r.signal}):\n${output}`);
  }
  return output;
}

/**
 * Starts the VS Code server on host:port and waits until it answers. With `connectionToken`, only
 * requests that carry it (`?tkn=` once, then a cookie) are served: what `npm start` does, so that
 * another local user or a web page cannot drive the workbench; without it, no token (tests).
 * Returns { port, authority, baseUrl, token, process, logFile, exited, stop }. The server runs in its
 * own process group (it forks the extension host), so stop() takes the whole group down.
 */
async function startServer({
  userDataDir, extensionsDir, logFile, env, host = '127.0.0.1', port, smokeTestDriver = false,
  readyTimeoutMs = 60_000, isCancelled = () => false, connectionToken, workspaceTrust = false,
}) {
  ensureInstalled();
  fs.mkdirSync(userDataDir, { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  port = port || await freePort();
  const args = [
    SERVER_MAIN, '--host', host, '--port', String(port),
    ...(connectionToken ? ['--connection-token', connectionToken] : ['--without-connection-token']),
    ...commonArgs({ userDataDir, extensionsDir }), '--disable-telemetry',
    // Workspace trust is off unless asked for (the Restricted Mode tests): a test folder is not trusted.
    ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
  ];
  if (smokeTestDriver) args.push('--enable-smoke-test-driver'); // needed for the `payload` query in newer builds
  const child = spawn(SERVER_NODE, args, { env: serverEnv(env), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const log = fs.createWriteStream(logFile);
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const alive = () => child.exitCode === null && child.signalCode === null;
  const killGroup = (sig) => { try { process.kill(-child.pid, sig); } catch { /* already gone */ } };

  let stopping;
  const stop = () => {
    stopping ??= (async () => {
      if (alive()) {
        killGroup('SIGTERM');
        await Promise.race([exited, sleep(3000)]);
      }
      killGroup('SIGKILL'); // stragglers in the group (extension host, pty host)
      await new Promise((r) => log.end(r));
    })();
    return stopping;
  };

  const authority = `${host}:${port}`;
  const deadline = Date.now() + readyTimeoutMs;
  while ((await httpStatus(`http://${authority}/version`)) === 0) {
    if (!alive() || isCancelled() || Date.now() > deadline) {
      const why = !alive() ? 'exited' : isCancelled() ? 'was cancelled' : `did not answer within ${readyTimeoutMs} ms`;
      await stop();
      throw new Error(`VS Code server ${why} before it was ready; log:\n${tail(logFile)}`);
    }
    await sleep(100);
  }
  return { port, authority, baseUrl: `http://${authority}`, token: connectionToken, process: child, logFile, exited, stop, killGroup };
}

/**
 * VS Code's display language for a user-data dir, as `--locale` / "Configure Display Language" sets it:
 * `locale` in User/argv.json and, for a language other than English, its language pack in
 * languagepacks.json. The Marketplace's packs cannot be downloaded here, so the pack is a stand-in
 * with no translations of VS Code itself (fixtures/display-language): the workbench stays English but
 * its NLS language is `language`, so extensions get their package.nls.<language>.json and
 * l10n/bundle.l10n.<language>.json, and vscode.env.language says `language`. Open the browser with the
 * same locale (launchBrowser's `locale`): the web workbench reads navigator.language too.
 */
function useDisplayLanguage({ userDataDir, language }) {
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'User', 'argv.json'), JSON.stringify({ locale: language }, null, 2));
  if (language.startsWith('en')) return;
  const pack = {
    hash: `standin-${language}-1`,
    extensions: [{ extensionIdentifier: { id: `waba-cluster-tests.language-pack-${language}` }, version: '1.0.0' }],
    translations: { vscode: path.join(__dirname, 'fixtures', 'display-language', 'main.i18n.json') },
    label: language,
  };
  fs.writeFileSync(path.join(userDataDir, 'languagepacks.json'), JSON.stringify({ [language]: pack }, null, 2));
}

/** The workbench URL for a folder (or .code-workspace file), with an optional `payload` list and connection token. */
function workbenchUrl(baseUrl, target, payload, token) {
  const readable = (p) => encodeURIComponent(p).replace(/%2F/g, '/'); // '/' is fine in a query
  const where = !target ? 'ew=true'
    : target.endsWith('.code-workspace') ? `workspace=${readable(target)}`
    : `folder=${readable(target)}`;
  return `${baseUrl}/?${token ? `tkn=${encodeURIComponent(token)}&` : ''}${where}${payload && payload.length ? `&payload=${encodeURIComponent(JSON.stringify(payload))}` : ''}`;
}

/**
 * Headless Chromium with a fresh profile in profileDir. Chromium writes ~/.config/chromium and
 * ~/.cache even with a profile dir, so HOME/XDG point into profileDir too. Signals are left to the
 * caller (it has a server to stop as well).
 */
async function launchBrowser(profileDir, { viewport, locale } = {}) {
  const { chromium } = require(process.env.PLAYWRIGHT_CORE || path.join(INSTALL_DIR, 'node_modules', 'playwright-core'));
  const home = path.join(profileDir, 'home');
  fs.mkdirSync(home, { recursive: true });
  return chromium.launchPersistentContext(path.join(profileDir, 'profile'), {
    executablePath: CHROMIUM_BIN, headless: true, args: CHROMIUM_ARGS, viewport,
    // The web workbench takes VS Code's display language from the browser's (navigator.language).
    ...(locale ? { locale } : {}),
    handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false,
    env: { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), XDG_CACHE_HOME: path.join(home, '.cache') },
  });
}

function tail(file, lines = 30) {
  try { return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n'); } catch { return '(no log)'; }
}

module.exports = {
  INSTALL_DIR, SERVER_MAIN, CHROMIUM_ARGS,
  ensureInstalled, vscodeVersion, freePort, installExtension, startServer, workbenchUrl, launchBrowser, useDisplayLanguage, tail, sleep,
};
