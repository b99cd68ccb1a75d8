// UI test of `npm start`'s first screen, opened the way the README says (#12):
//   node --import tsx test/ui/firstScreen.ts
//
// Runs scripts/start.mjs (in a throwaway demo dir: WABA_DEMO_DIR), reads the URL it prints, opens it in
// headless Chromium and checks what a new user sees: the WABA Cluster view without a click, the guide's
// walkthrough as the one editor (no "Get Started"), no notification toast 10 s after the page loaded;
// the three first steps printed after the URL; Ctrl+C stops the server, asks nothing and says the
// cluster keeps running and how to stop it. Screenshot: test-results/npm-start-first-screen.png (the
// README's first picture, docs/npm-start-first-screen.png). Starts no cluster.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import vscodeServer = require('../harness/vscode-server');
import { SIDEBAR, UiChecks, cleanUpOnSignals, isolatedEnv } from './workbench';

const ROOT = path.resolve(__dirname, '..', '..');
const SCREENSHOT = path.join(ROOT, 'test-results', 'npm-start-first-screen.png');
const START_TIMEOUT_MS = 8 * 60_000;
const QUIET_AFTER_LOAD_MS = 10_000;
/** How long the focus must stay in the view to count as where it rests (the walkthrough's own moves come within 250 ms). */
const FOCUS_HELD_MS = 3_000;
/** Every focus change from the page's start, for a failure to show who took the focus and when (a string: tsx would wrap a function in __name). */
const FOCUS_LOG = `window.__wabaFocusLog = []; document.addEventListener('focusin', (e) => {
  const t = e.target; const part = t.closest && t.closest('.part');
  window.__wabaFocusLog.push([Math.round(performance.now()), part ? part.className.replace(/^.*\\bpart (\\w+).*$/, '$1') : t.tagName, (t.className || '').toString().slice(0, 40)]);
}, true);`;

const ui = new UiChecks('ui-first-screen');
const { log } = ui;
const check = ui.check.bind(ui);

async function main(): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'waba-ui-start-'));
  const env = {
    ...isolatedEnv(tmp),
    WABA_DEMO_DIR: path.join(tmp, 'demo'),
    PORT: String(await vscodeServer.freePort()),
    // The first screen needs no cluster: no image build, and a lock of its own (other test clusters may run).
    WABA_START_SKIP_IMAGES: '1',
    WABA_CLUSTER_PORTS_LOCK: path.join(tmp, 'ports.lock'),
  };
  let output = '';
  const start = spawn(process.execPath, [path.join(ROOT, 'scripts', 'start.mjs')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  start.stdout.on('data', (chunk) => { output += chunk; });
  start.stderr.on('data', (chunk) => { output += chunk; });
  const exited = new Promise<number | null>((resolve) => start.once('exit', (code) => resolve(code)));
  let context: any;

  const cleanup = async () => {
    if (context) await Promise.race([context.close().catch(() => {}), vscodeServer.sleep(5000)]);
    if (start.exitCode === null && start.signalCode === null) {
      start.kill('SIGINT');
      if (await Promise.race([exited.then(() => true), vscodeServer.sleep(20_000).then(() => false)]) === false) start.kill('SIGKILL');
    }
    // A server left behind by a killed start.mjs: the processes that run on this test's own profile.
    const ps = spawnSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' }).stdout ?? '';
    for (const line of ps.split('\n')) {
      const [pid, ...args] = line.trim().split(/\s+/);
      if (Number(pid) !== process.pid && args.join(' ').includes(env.WABA_DEMO_DIR)) try { process.kill(Number(pid), 'SIGKILL'); } catch { /* gone */ }
    }
    fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
  };
  const interrupted = cleanUpOnSignals(cleanup, log);

  try {
    let url = '';
    const printed = await check('npm start prints the workbench URL', async () => {
      const deadline = Date.now() + START_TIMEOUT_MS;
      for (;;) {
        url = /http:\/\/127\.0\.0\.1:\d+\/\?tkn=\S+/.exec(output)?.[0] ?? '';
        if (url) return url.replace(/tkn=[^&]+/, 'tkn=…');
        if (start.exitCode !== null || Date.now() > deadline) throw new Error(`no URL (exit ${start.exitCode}); output:\n${output.slice(-2000)}`);
        await vscodeServer.sleep(500);
      }
    });
    if (!printed) return;
    await check('after the URL, one short block with the three first steps (Start Cluster, Connect, Open Cluster Panel)', async () => {
      await vscodeServer.sleep(500);
      const after = output.slice(output.indexOf(url) + url.length);
      const block = /First steps[\s\S]*?\n\s*\n/.exec(after)?.[0] ?? '';
      const steps = ['1. Start Cluster', '2. Connect', '3. Open Cluster Panel'].map((s) => block.indexOf(s));
      if (steps.some((i) => i < 0) || steps[0] > steps[1] || steps[1] > steps[2]) throw new Error(`after the URL:\n${after.slice(0, 1200)}`);
      if (block.split('\n').length > 10) throw new Error(`the block has ${block.split('\n').length} lines:\n${block}`);
      return `${block.split('\n').length} lines`;
    });

    context = await vscodeServer.launchBrowser(path.join(tmp, 'chromium'), { viewport: { width: 1400, height: 900 } });
    const page = context.pages()[0] || (await context.newPage());
    page.setDefaultTimeout(60_000);
    await page.addInitScript(FOCUS_LOG);
    await page.goto(url);
    await page.waitForSelector('.monaco-workbench');
    const loadedAt = Date.now();
    log('workbench loaded');

    await check('no "Get Started" editor: the guide\'s walkthrough is the one editor', async () => {
      const tab = page.locator('.tabs-container .tab');
      await tab.filter({ hasText: /Walkthrough: WABA Cluster/ }).first().waitFor({ timeout: 30_000 });
      await vscodeServer.sleep(1000);
      const tabs = (await tab.allInnerTexts()).map((s: string) => s.trim());
      if (tabs.length !== 1) throw new Error(`editors: ${JSON.stringify(tabs)}`);
      // The Welcome editor keeps its home slide in the DOM, moved out of view: read only what is on screen.
      // (A string, not a function: tsx would wrap named helpers in __name, which the page lacks.)
      const shown: string[] = await page.evaluate(`(() => {
        const part = document.querySelector('.part.editor').getBoundingClientRect();
        const lines = [...document.querySelectorAll('.part.editor h1, .part.editor h2, .part.editor h3, .part.editor .title, .part.editor .category-title')]
          .filter((e) => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0 && r.right > part.left && r.left < part.right && r.bottom > part.top && r.top < part.bottom; })
          .map((e) => e.innerText.trim());
        return [...new Set(lines.filter(Boolean))];
      })()`);
      if (shown.some((s) => /Get Started with VS Code|Setup VS Code Web|Editing evolved/i.test(s)) || !shown.some((s) => /WABA cluster, step by step/.test(s))) throw new Error(`the editor shows: ${JSON.stringify(shown)}`);
      return `${tabs[0]}: "${shown.find((s) => /WABA cluster, step by step/.test(s))}"`;
    });
    await check('the walkthrough shows "Create the cluster folder" done: the demo folder is a cluster folder', async () => {
      const done = page.locator('.gettingStartedContainer [data-done-step-id$="createFolder"][aria-checked="true"]').first();
      await done.waitFor({ state: 'attached', timeout: 20_000 }).catch(async () => {
        const checked: string[] = await page.locator('.gettingStartedContainer [data-done-step-id][aria-checked="true"]').evaluateAll((els: Element[]) => els.map((e) => e.getAttribute('data-done-step-id') ?? ''));
        throw new Error(`not checked after 20 s; checked: ${checked.join(', ') || 'none'}`);
      });
      return 'checked';
    });
    // The walkthrough takes the focus for its selected step (after its slide transition) and again when a
    // step gets checked; what the user finds is where the focus rests once it has settled, so this waits for
    // the walkthrough's last start-up change (the step checked) and then for the focus to stay in the view.
    await check('the WABA Cluster view is open and, once the walkthrough has settled, keeps the focus without a click', async () => {
      await page.locator(`${SIDEBAR} .composite.title`).filter({ hasText: /WABA Cluster/i }).first().waitFor({ state: 'visible', timeout: 30_000 });
      await page.locator('.gettingStartedContainer [data-done-step-id$="createFolder"][aria-checked="true"]').first().waitFor({ state: 'attached', timeout: 30_000 });
      const inSidebar = () => page.evaluate(() => !!document.activeElement?.closest('.part.sidebar'));
      const timeline = async () => JSON.stringify(await page.evaluate('window.__wabaFocusLog'));
      const deadline = Date.now() + 30_000;
      for (let heldSince = 0; ; await vscodeServer.sleep(100)) {
        if (!(await inSidebar())) heldSince = 0;
        else if (!heldSince) heldSince = Date.now();
        else if (Date.now() - heldSince >= FOCUS_HELD_MS) break;
        if (Date.now() > deadline) throw new Error(`the focus is in ${await page.evaluate(() => document.activeElement?.className)}; focus changes (ms since load, where): ${await timeline()}`);
      }
      return `${(await page.locator(`${SIDEBAR} .composite.title`).first().innerText()).trim().replace(/\s+/g, ' ')}; focus changes: ${await timeline()}`;
    });
    await check(`no notification toast ${QUIET_AFTER_LOAD_MS / 1000} s after the page loaded`, async () => {
      await vscodeServer.sleep(Math.max(0, loadedAt + QUIET_AFTER_LOAD_MS - Date.now()));
      const toasts = await page.locator('.notifications-toasts .notification-toast').filter({ visible: true }).allInnerTexts();
      if (toasts.length) throw new Error(`toasts: ${toasts.map((s: string) => s.replace(/\s+/g, ' ')).join(' | ')}`);
      return 'none';
    });
    await check('screenshot of the first screen', async () => {
      fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
      await page.screenshot({ path: SCREENSHOT });
      return path.relative(ROOT, SCREENSHOT);
    });
    await context.close();
    context = undefined;

    await check('Ctrl+C stops the VS Code server, asks nothing, and says the cluster keeps running and how to stop it', async () => {
      const before = output.length;
      start.kill('SIGINT');
      const code = await Promise.race([exited, vscodeServer.sleep(20_000).then(() => 'timeout' as const)]);
      const said = output.slice(before);
      if (code !== 0) throw new Error(`exit ${code}; output:\n${said}`);
      if (!/stopping the VS Code server/.test(said) || !/demo cluster (keeps running|is not running)/.test(said) || !/To stop it: cd .+ && docker/.test(said)) throw new Error(`said:\n${said}`);
      if (/\?\s*$|\[y\/N\]/im.test(said)) throw new Error(`it asks something:\n${said}`);
      const status = await fetch(url).then((r) => r.status, () => 0);
      if (status !== 0) throw new Error(`the server still answers (${status})`);
      return said.trim().split('\n').slice(-2).join(' / ');
    });
  } finally {
    if (!interrupted()) await cleanup();
  }
}

main()
  .catch((err) => { ui.counts.failed++; console.error(`[ui-first-screen] ${err instanceof Error ? err.stack : String(err)}`); })
  .then(() => ui.finish());
