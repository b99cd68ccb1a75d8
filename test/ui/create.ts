// UI test of Create Cluster and the guide's walkthrough, in the real VS Code workbench:
//   node --import tsx test/ui/create.ts
//
// Installs out/waba-cluster.vsix (packages it when missing) into a fresh VS Code server and opens an
// empty window in headless Chromium. Then, by clicks, as a user:
//   1. the WABA view's welcome "Create Cluster": a MySQL folder on the emulator images; the folder
//      opens; the walkthrough's "Start Cluster" brings it up; its steps get checked as the cluster
//      reaches them: started, containers up, connected, code requested, verified, 2 shards, a standby;
//      then Collect Logs, Upgrade (cancelled at its first question) and Remove Cluster (down -v).
//   2. Create Cluster from the palette: a name that is a cluster folder already is refused in the
//      prompt; a PostgreSQL folder; "Start Cluster" in the view brings all its nodes up.
// Screenshots: test-results/ui-create-confirm.png, ui-walkthrough.png, ui-create-postgres.png.
// Holds the cluster ports lock; every container, network and volume made is removed at the end.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { certForVname } from '../../emulator/src/logic/vname';
import vscodeServer = require('../harness/vscode-server');
import { ACTIVITY_ICON, SIDEBAR, UiChecks, answerPrompt, cleanUpOnSignals, isolatedEnv, runCommand, waitForWebappTls } from './workbench';

const ROOT = path.resolve(__dirname, '..', '..');
const VSIX = path.join(ROOT, 'out', 'waba-cluster.vsix');
const RESULTS = path.join(ROOT, 'test-results');
const NEW_PASSWORD = 'Ui-Create-Passw0rd!';
const PHONE = { cc: '1', phone_number: '6315551000' };
const SERVICES = ['db', 'waweb', 'master1', 'master2', 'wacore1', 'wacore2', 'wacore3'];
const ui = new UiChecks('ui-create');
const { log } = ui;

async function main(): Promise<void> {
  execFileSync('bash', [path.join(ROOT, 'emulator', 'scripts', 'build-images.sh')], { cwd: ROOT, stdio: 'inherit' });
  await (await import('../../scripts/lib/cluster-ports.mjs')).holdClusterPorts('UI test (create)');
  const started = Date.now();
  if (!fs.existsSync(VSIX)) execFileSync('npm', ['run', '--silent', 'package'], { cwd: ROOT, stdio: 'inherit' });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'waba-ui-create-'));
  const env = isolatedEnv(tmp);
  const parent = path.join(tmp, 'clusters');
  fs.mkdirSync(parent);
  const suffix = randomBytes(3).toString('hex');
  const folders = { mysql: path.join(parent, `uimysql${suffix}`), postgres: path.join(parent, `uipg${suffix}`) };
  fs.mkdirSync(RESULTS, { recursive: true });
  for (const stale of fs.readdirSync(RESULTS).filter((f) => f.startsWith('ui-create-failed-'))) fs.rmSync(path.join(RESULTS, stale));

  let server: vscodeServer.StartedServer | undefined;
  let context: any;
  const cleanup = async () => {
    if (context) await Promise.race([context.close().catch(() => {}), vscodeServer.sleep(5000)]);
    if (server) await server.stop();
    for (const dir of Object.values(folders)) {
      if (fs.existsSync(path.join(dir, 'multiconnect-compose.yml'))) spawnSync('docker-compose', ['down', '-v', '--remove-orphans', '-t', '2'], { cwd: dir, stdio: 'ignore' });
    }
    fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
  };
  const interrupted = cleanUpOnSignals(cleanup, log);

  try {
    const userDataDir = path.join(tmp, 'user-data');
    const extensionsDir = path.join(tmp, 'extensions');
    vscodeServer.installExtension({ vsix: VSIX, userDataDir, extensionsDir, env });
    server = await vscodeServer.startServer({ userDataDir, extensionsDir, logFile: path.join(tmp, 'vscode-server.log'), env });
    context = await vscodeServer.launchBrowser(path.join(tmp, 'chromium'), { viewport: { width: 1400, height: 900 } });
    const page = context.pages()[0] || (await context.newPage());
    page.setDefaultTimeout(60_000);
    ui.onFailure = (file) => page.screenshot({ path: path.join(RESULTS, file) });
    await page.goto(vscodeServer.workbenchUrl(server.baseUrl));
    await page.waitForSelector('.part.statusbar');

    const created = await ui.check('the empty window\'s WABA view offers Create Cluster; by clicks it writes a MySQL folder on the emulator images and opens it', async () => {
      await showWabaView(page);
      await page.locator(`${SIDEBAR} .welcome-view-content`).getByText('Create Cluster', { exact: true }).click();
      await pickFolder(page, parent);
      await answerPrompt(page, /folder name/, path.basename(folders.mysql));
      const dialog = await answerCreateQuestions(page, /^MySQL/, /^2\.51\.2/);
      const text = (await dialog.innerText()).replace(/\s+/g, ' ');
      for (const expected of [/MySQL · emulator images · WA_API_VERSION=2\.51\.2 · 3 coreapps/, /WA_DB_PASSWORD=testpass in db\.env/, /\? \{ \} & ~ ! \( \) \^ =/]) {
        if (!expected.test(text)) throw new Error(`the confirmation does not say ${expected}: ${text}`);
      }
      await page.screenshot({ path: path.join(RESULTS, 'ui-create-confirm.png') });
      await dialog.getByRole('button', { name: 'Create Cluster Folder' }).click();
      await waitForTitle(page, path.basename(folders.mysql));
      const files = fs.readdirSync(folders.mysql).sort();
      const meta = (name: string) => fs.readFileSync(path.join(ROOT, 'emulator', 'compose', 'meta', 'mysql', name), 'utf8');
      if (fs.readFileSync(path.join(folders.mysql, 'multiconnect-compose.yml'), 'utf8') !== meta('multiconnect-compose.yml')) throw new Error('multiconnect-compose.yml is not Meta\'s file');
      return files.join(', ');
    });
    if (!created) return;

    await ui.check('the walkthrough opens with "Create the cluster folder" checked (a cluster folder is open)', async () => {
      await openWalkthrough(page);
      await stepDone(page, 'createFolder');
      return `${await doneSteps(page)} step(s) done`;
    });
    const up = await ui.check('the walkthrough\'s Start Cluster brings the folder up; "start" and "check the containers" get checked', async () => {
      await clickStepButton(page, 'startCluster', 'Start Cluster');
      await waitForServices(page, SERVICES);
      await stepDone(page, 'startCluster', 180_000);
      await stepDone(page, 'checkContainers', 120_000);
      return `${SERVICES.length} nodes listed`;
    });
    if (!up) return;
    const connected = await ui.check('Connect to Webapp from the walkthrough: trust, log in, new password; "connect" gets checked', async () => {
      await waitForWebappTls(90_000);
      await clickStepButton(page, 'connect', 'Connect to Webapp');
      await trustAndLogIn(page);
      await stepDone(page, 'connect', 60_000);
    });
    if (connected) await registerAndShard(page, folders.mysql);
    await ui.check('Collect Logs from the walkthrough writes debug_output.txt; "collect logs" gets checked', async () => {
      await clickStepButton(page, 'collectLogs', 'Collect Logs');
      await stepDone(page, 'collectLogs');
      const file = path.join(folders.mysql, 'debug_output.txt');
      await until(() => fs.existsSync(file) && fs.statSync(file).size > 0, 60_000, 'debug_output.txt');
      return `${fs.statSync(file).size} bytes`;
    });
    await ui.check('Upgrade Cluster from the walkthrough asks for the version (cancelled); "upgrade" is checked as the command ran', async () => {
      await clickStepButton(page, 'upgrade', 'Upgrade Cluster');
      await page.locator('.quick-input-widget').filter({ hasText: /New WA_API_VERSION/ }).waitFor({ state: 'visible' });
      await page.keyboard.press('Escape');
      await stepDone(page, 'upgrade');
    });
    await ui.check('Remove Cluster and Delete Data from the walkthrough asks, then runs down -v; "uninstall" gets checked', async () => {
      await clickStepButton(page, 'uninstall', 'Remove Cluster and Delete Data');
      const dialog = page.locator('.monaco-dialog-box');
      await dialog.waitFor({ state: 'visible' });
      await dialog.getByRole('button', { name: 'Delete Containers and Data' }).click();
      await stepDone(page, 'uninstall');
      await until(() => composeContainers(folders.mysql).length === 0, 120_000, 'no container left');
      // A tall window, so that the picture shows every step of the walkthrough with its check mark.
      await page.setViewportSize({ width: 1400, height: 1500 });
      await page.locator(`.getting-started-step[data-step-id$="collectLogs"] .step-title`).click();
      await vscodeServer.sleep(500);
      await page.screenshot({ path: path.join(RESULTS, 'ui-walkthrough.png') });
      await page.setViewportSize({ width: 1400, height: 900 });
      return `${await doneSteps(page)} of 11 steps done; ui-walkthrough.png`;
    });

    await ui.check('Create Cluster from the palette refuses the name of a cluster folder, then writes a PostgreSQL folder and opens it', async () => {
      await runCommand(page, 'WABA: Create Cluster');
      await pickFolder(page, parent);
      const widget = page.locator('.quick-input-widget').filter({ hasText: /folder name/ });
      await widget.waitFor({ state: 'visible' });
      await page.locator('.quick-input-widget input').fill(path.basename(folders.mysql));
      await widget.getByText(/is a cluster folder already: open it instead/).waitFor();
      await answerPrompt(page, /folder name/, path.basename(folders.postgres));
      const dialog = await answerCreateQuestions(page, /^PostgreSQL/, /^2\.53\.1/);
      await dialog.getByRole('button', { name: 'Create Cluster Folder' }).click();
      await pickItem(page, /^Open Folder/);
      await waitForTitle(page, path.basename(folders.postgres));
      const dbEnv = fs.readFileSync(path.join(folders.postgres, 'db.env'), 'utf8');
      if (!/^WA_DB_ENGINE=PGSQL$/m.test(dbEnv)) throw new Error(`db.env is not Meta's PostgreSQL one:\n${dbEnv}`);
      return fs.readdirSync(folders.postgres).sort().join(', ');
    });
    await ui.check('"Start Cluster" in the view brings the PostgreSQL folder up: every node running', async () => {
      await showWabaView(page);
      await page.locator(`${SIDEBAR} .welcome-view-content`).getByText('Start Cluster').click();
      await waitForServices(page, SERVICES);
      await until(() => composeContainers(folders.postgres).filter((c) => c.state === 'running').length === SERVICES.length, 120_000, 'all 7 containers running');
      await page.screenshot({ path: path.join(RESULTS, 'ui-create-postgres.png') });
      return composeContainers(folders.postgres).map((c) => `${c.service}:${c.state}`).join(' ');
    });
  } finally {
    if (!interrupted()) await cleanup();
    log(`${((Date.now() - started) / 1000).toFixed(1)} s from holding the cluster ports to clean`);
  }
}

/** Register (code read from the primary master's log), verify and set 2 shards in the cluster panel, by clicks. */
async function registerAndShard(page: any, folder: string): Promise<void> {
  let panel: any;
  const requested = await ui.check('Register: the walkthrough opens the panel; Request Code there checks "register"', async () => {
    await clickStepButton(page, 'register', 'Open Cluster Panel');
    panel = await webviewFrame(page, '#registration');
    await panel.locator('#registration input[name="cc"]').fill(PHONE.cc);
    await panel.locator('#registration input[name="phone_number"]').fill(PHONE.phone_number);
    await panel.locator('#registration textarea[name="cert"]').fill(certForVname('Acme Test Shop'));
    await panel.locator('#registration button').filter({ hasText: 'Request Code' }).click();
    await panel.locator('#registration').getByText(/Code sent \(202\)/).waitFor();
    await showWalkthrough(page);
    await stepDone(page, 'register');
  });
  if (!requested) return;
  const verified = await ui.check('Verify: the code from the primary master\'s log, entered in the panel, checks "verify"', async () => {
    const code = await until(() => registrationCode(folder), 30_000, 'the registration code in a master\'s log');
    await showPanel(page);
    await panel.locator('#registration input[name="code"]').fill(code);
    await panel.locator('#registration button').filter({ hasText: 'Verify' }).click();
    await panel.locator('#registration').getByText(/Registered \(201\)/).waitFor();
    await showWalkthrough(page);
    await stepDone(page, 'verify', 60_000);
  });
  if (!verified) return;
  await ui.check('2 shards set in the panel (with confirmation) check "set 2 shards" and, with wacore3 disconnected, "add the standby"', async () => {
    await showPanel(page);
    await panel.locator('#shards select[name="shards"]').selectOption('2');
    await panel.locator('#shards textarea[name="shards_cert"]').fill(certForVname('Acme Test Shop'));
    await panel.locator('#shards button').filter({ hasText: 'Set Shards…' }).click();
    await panel.locator('#shards button').filter({ hasText: 'Yes, Set 2 Shards' }).click();
    await panel.locator('#shards').getByText(/Shards set to 2/).waitFor();
    await showWalkthrough(page);
    await stepDone(page, 'setShards', 60_000);
    await stepDone(page, 'addStandby', 60_000);
  });
}

async function trustAndLogIn(page: any): Promise<void> {
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ state: 'visible' });
  await dialog.getByRole('button', { name: 'Trust This Certificate' }).click();
  await answerPrompt(page, /User name/);
  await answerPrompt(page, /Password of admin/, 'secret');
  await answerPrompt(page, /new password/i, NEW_PASSWORD);
}

/**
 * VS Code's own folder dialog in the browser (a quick input): type the folder, accept it. The dialog
 * puts its start folder into the input once it has listed it, which can overwrite what was typed
 * first: typed again until the dialog takes it.
 */
async function pickFolder(page: any, folder: string): Promise<void> {
  const widget = page.locator('.quick-input-widget').filter({ hasText: /where should the cluster folder go/ });
  await widget.waitFor({ state: 'visible' });
  const input = page.locator('.quick-input-widget input');
  for (let attempt = 1; ; attempt++) {
    await input.fill(`${folder}/`);
    await vscodeServer.sleep(1000);
    if ((await input.inputValue()) === `${folder}/`) {
      await widget.getByRole('button', { name: 'Create the Cluster Folder Here' }).click();
      if (await widget.waitFor({ state: 'hidden', timeout: 5000 }).then(() => true, () => false)) return;
    }
    if (attempt === 5) throw new Error(`the folder dialog did not take ${folder}`);
  }
}

/** Database, emulator images, version and 3 coreapps, picked by clicks; the confirmation dialog that follows. */
async function answerCreateQuestions(page: any, db: RegExp, version: RegExp): Promise<any> {
  for (const item of [db, /^Emulator images/, version, /^3\b/]) await pickItem(page, item);
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ state: 'visible' });
  return dialog;
}

async function pickItem(page: any, label: RegExp): Promise<void> {
  const item = page.locator('.quick-input-widget .quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: label }) }).first();
  await item.waitFor({ state: 'visible' });
  await item.click();
}

/** Waits for the window of the folder `name`, with the extension active in it (its status-bar item). */
async function waitForTitle(page: any, name: string): Promise<void> {
  await page.waitForFunction((n: string) => document.title.includes(n), name, { timeout: 60_000 });
  await page.locator('.part.statusbar').getByText(/WABA:/).first().waitFor({ state: 'visible' });
}

async function waitForServices(page: any, services: string[]): Promise<void> {
  await showWabaView(page);
  for (const service of services) {
    await page.locator(`${SIDEBAR} .monaco-list-row .label-name`).filter({ hasText: new RegExp(`^${service}$`) }).first().waitFor({ timeout: 180_000 })
      .catch(async (e: Error) => { throw new Error(`${e.message}\nsidebar: ${(await page.locator(SIDEBAR).innerText()).slice(0, 400)}`); });
  }
}

const WALKTHROUGH_TAB = '.tabs-container .tab';
const WALKTHROUGH_TITLE = 'WABA cluster, step by step';
/** The first step of the guide's walkthrough, visible once its page is shown. */
const OUR_STEPS = '.gettingStartedContainer .getting-started-step[data-step-id*="wabaCluster.guide#"]';

/**
 * Opens the guide's walkthrough from the palette. VS Code registers an extension's walkthrough a few
 * seconds after the extension host starts (up to 5 s waiting for an experiment service); until then
 * the command opens the default walkthrough, so it is tried again. And VS Code ignores the command
 * while its Welcome page shows another walkthrough (code-server's empty window opens one, and so does a
 * too early try): that page is closed before each try.
 */
async function openWalkthrough(page: any): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await runCommand(page, 'View: Close All Editors');
    await runCommand(page, 'WABA: Walk Through Meta\'s Guide');
    if (await page.locator(OUR_STEPS).first().waitFor({ state: 'visible', timeout: 3000 }).then(() => true, () => false)) return;
    if (attempt === 10) {
      await page.screenshot({ path: path.join(RESULTS, 'ui-walkthrough-missing.png') });
      throw new Error(`the walkthrough "${WALKTHROUGH_TITLE}" did not open (test-results/ui-walkthrough-missing.png)`);
    }
    await vscodeServer.sleep(2000);
  }
}

/** Brings the guide's walkthrough to the front: its tab (VS Code names it after the extension), or the command again. */
async function showWalkthrough(page: any): Promise<void> {
  if (await page.locator(OUR_STEPS).first().isVisible().catch(() => false)) return;
  const tab = page.locator(`${WALKTHROUGH_TAB}[aria-label^="Walkthrough: WABA Cluster"]`).first();
  if (await tab.count()) await tab.click();
  if (!(await page.locator(OUR_STEPS).first().waitFor({ state: 'visible', timeout: 5000 }).then(() => true, () => false))) await openWalkthrough(page);
}

async function showPanel(page: any): Promise<void> {
  await page.locator(`${WALKTHROUGH_TAB}[aria-label^="WABA Cluster"]`).first().click();
}

/** Shows the WABA Cluster view (a click on the activity-bar icon, unless it is shown already: a click would hide it). */
async function showWabaView(page: any): Promise<void> {
  const title = page.locator(`${SIDEBAR} .composite.title`).filter({ hasText: /WABA Cluster/i }).first();
  if (await title.isVisible().catch(() => false)) return;
  await page.locator(ACTIVITY_ICON).click();
  await title.waitFor({ state: 'visible' });
}

/** Expands a walkthrough step (a click on its title, never on its checkbox) and clicks one of its buttons. */
async function clickStepButton(page: any, stepId: string, button: string): Promise<void> {
  await showWalkthrough(page);
  const step = page.locator(`.getting-started-step[data-step-id$="${stepId}"]`);
  await step.locator('.step-title').click();
  await step.getByRole('button', { name: button, exact: true }).click();
}

/** Waits until the walkthrough shows the step as done (VS Code checks it on the step's completion event). */
async function stepDone(page: any, stepId: string, timeout = 30_000): Promise<void> {
  await showWalkthrough(page);
  await page.locator(`.gettingStartedContainer [data-done-step-id$="${stepId}"][aria-checked="true"]`).first().waitFor({ state: 'attached', timeout })
    .catch(async (e: Error) => { throw new Error(`step ${stepId} not checked: ${e.message.split('\n')[0]}; done: ${await doneSteps(page)}`); });
}

async function doneSteps(page: any): Promise<string> {
  const ids: string[] = await page.locator('.gettingStartedContainer [data-done-step-id][aria-checked="true"]')
    .evaluateAll((els: Element[]) => [...new Set(els.map((e) => e.getAttribute('data-done-step-id')!.split('#').pop()))]);
  return ids.join(', ') || 'none';
}

async function webviewFrame(page: any, selector: string): Promise<any> {
  for (let i = 0; i < 200; i++) {
    for (const frame of page.frames()) if (await frame.$(selector).catch(() => null)) return frame;
    await vscodeServer.sleep(100);
  }
  throw new Error(`no webview frame shows ${selector}`);
}

function composeContainers(folder: string): Array<{ service: string; state: string }> {
  const project = path.basename(folder).toLowerCase().replace(/[^a-z0-9_-]/g, '');
  const out = spawnSync('docker', ['ps', '-a', '--filter', `label=com.docker.compose.project=${project}`, '--format', '{{.Label "com.docker.compose.service"}} {{.State}}'], { encoding: 'utf8' }).stdout;
  return out.split('\n').filter(Boolean).map((l) => { const [service, state] = l.split(' '); return { service, state }; });
}

/** The 6-digit code the emulator's primary master logs for the number (WhatsApp would send it by SMS). */
function registrationCode(folder: string): string | undefined {
  const project = path.basename(folder).toLowerCase().replace(/[^a-z0-9_-]/g, '');
  for (const service of ['master1', 'master2']) {
    const id = spawnSync('docker', ['ps', '-q', '--filter', `label=com.docker.compose.project=${project}`, '--filter', `label=com.docker.compose.service=${service}`], { encoding: 'utf8' }).stdout.trim();
    if (!id) continue;
    const logs = spawnSync('docker', ['logs', id], { encoding: 'utf8' });
    const code = /Registration code for \+16315551000: (\d{6})/.exec(logs.stdout + logs.stderr)?.[1];
    if (code) return code;
  }
  return undefined;
}

async function until<T>(fn: () => T | undefined | false, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await vscodeServer.sleep(500);
  }
}

main()
  .catch((err) => { ui.counts.failed++; console.error(`[ui-create] ${err instanceof Error ? err.stack : String(err)}`); })
  .then(() => ui.finish());
