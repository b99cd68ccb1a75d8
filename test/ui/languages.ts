// UI test of the display languages: the packaged extension in the workbench, once in English and once
// with VS Code's display language Arabic (vscode-server.js useDisplayLanguage; the browser's locale too):
//   node --import tsx test/ui/languages.ts
//
// Per language: the activity-bar container, the Cluster Nodes view's welcome and the status bar read
// from package.nls(.ar).json and l10n/bundle.l10n.ar.json; the cluster panel's document is lang="ar"
// dir="rtl" with its text starting at the right (mirrored), or lang="en" dir="ltr". Screenshots:
// test-results/ui-tree-{en,ar}.png and test-results/ui-panel-{en,ar}.png. Starts no cluster.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import vscodeServer = require('../harness/vscode-server');
import { SIDEBAR, UiChecks, cleanUpOnSignals, isolatedEnv, runCommand } from './workbench';

const ROOT = path.resolve(__dirname, '..', '..');
const VSIX = path.join(ROOT, 'out', 'waba-cluster.vsix');
const FIXTURE = path.join(ROOT, 'test', 'harness', 'fixtures', 'multiconnect-compose.yml');
const RESULTS = path.join(ROOT, 'test-results');

const ui = new UiChecks('ui-languages');
const { log } = ui;
const check = ui.check.bind(ui);
const readJson = (file: string): Record<string, string> => JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8'));

async function language(lang: 'en' | 'ar', tmp: string, track: (stop: () => Promise<void>) => void): Promise<void> {
  const nls = readJson(lang === 'en' ? 'package.nls.json' : `package.nls.${lang}.json`);
  const bundle = lang === 'en' ? {} : readJson(`l10n/bundle.l10n.${lang}.json`);
  const t = (message: string): string => bundle[message] ?? message;
  const dir = path.join(tmp, lang);
  const env = isolatedEnv(dir);
  const userDataDir = path.join(dir, 'user-data');
  const extensionsDir = path.join(dir, 'extensions');
  const folder = path.join(dir, `wabalang${randomBytes(4).toString('hex')}`);
  fs.mkdirSync(folder);
  fs.copyFileSync(FIXTURE, path.join(folder, 'multiconnect-compose.yml'));
  vscodeServer.installExtension({ vsix: VSIX, userDataDir, extensionsDir, env });
  vscodeServer.useDisplayLanguage({ userDataDir, language: lang });
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify({ 'workbench.startupEditor': 'none', 'telemetry.telemetryLevel': 'off' }));
  const server = await vscodeServer.startServer({ userDataDir, extensionsDir, env, logFile: path.join(dir, 'server.log') });
  const context = await vscodeServer.launchBrowser(path.join(dir, 'chromium'), { viewport: { width: 1400, height: 900 }, locale: lang });
  track(async () => { await Promise.race([context.close().catch(() => {}), vscodeServer.sleep(5000)]); await server.stop(); });
  const page = context.pages()[0] || (await context.newPage());
  page.setDefaultTimeout(60_000);
  await page.goto(vscodeServer.workbenchUrl(server.baseUrl, folder));
  await page.waitForSelector('.monaco-workbench');

  await check(`[${lang}] the activity bar, the Cluster Nodes view and the status bar read from the ${lang} bundles`, async () => {
    await page.locator(`.activitybar .action-item a[aria-label^="${nls['viewsContainers.wabaCluster.title']}"]`).click();
    const welcome = nls['viewsWelcome.noContainers'].split('\n')[0];
    await page.locator(`${SIDEBAR} .welcome-view-content`).getByText(welcome).waitFor();
    const stopped = t('$(circle-slash) WABA: stopped').replace('$(circle-slash) ', '');
    await page.locator('.part.statusbar').getByText(stopped).waitFor();
    await page.locator('.part.statusbar').getByText('Activating Extensions').waitFor({ state: 'detached', timeout: 30_000 }).catch(() => undefined);
    await page.screenshot({ path: path.join(RESULTS, `ui-tree-${lang}.png`) });
    return `"${welcome}", status bar "${stopped}"; test-results/ui-tree-${lang}.png`;
  });

  await check(`[${lang}] the cluster panel is lang="${lang}" dir="${lang === 'ar' ? 'rtl' : 'ltr'}", laid out ${lang === 'ar' ? 'right to left' : 'left to right'}, with the ${lang} bundle`, async () => {
    await runCommand(page, `WABA: ${nls['commands.openPanel.title']}`);
    let found: { lang: string; dir: string; bundle: Record<string, string>; headings: string[]; textLeft: number; textRight: number; boxLeft: number; boxRight: number } | undefined;
    for (let i = 0; i < 120 && !found; i++) {
      for (const frame of page.frames()) {
        found = await frame.evaluate(() => {
          const h1 = document.querySelector('#app h1');
          if (!h1) return undefined;
          const range = document.createRange();
          range.selectNodeContents(h1);
          const text = range.getBoundingClientRect(), box = h1.getBoundingClientRect();
          return {
            lang: document.documentElement.lang, dir: document.documentElement.dir, bundle: JSON.parse(document.getElementById('l10n-bundle')?.textContent ?? '{}'),
            headings: [...document.querySelectorAll('#app h1, #app h2')].map((e) => (e as HTMLElement).innerText.trim()),
            textLeft: text.left, textRight: text.right, boxLeft: box.left, boxRight: box.right,
          };
        }).catch(() => undefined);
        if (found) break;
      }
      if (!found) await vscodeServer.sleep(250);
    }
    if (!found) throw new Error('no panel document with #app h1');
    const wantDir = lang === 'ar' ? 'rtl' : 'ltr';
    if (found.lang !== lang || found.dir !== wantDir) throw new Error(`document lang="${found.lang}" dir="${found.dir}"`);
    const startsAtEdge = wantDir === 'rtl' ? Math.abs(found.textRight - found.boxRight) < 2 : Math.abs(found.textLeft - found.boxLeft) < 2;
    if (!startsAtEdge) throw new Error(`the heading's text runs from ${found.textLeft} to ${found.textRight} in a box from ${found.boxLeft} to ${found.boxRight}`);
    const probe = 'Register the number';
    if ((found.bundle[probe] ?? probe) !== t(probe)) throw new Error(`the page's bundle translates "${probe}" as "${found.bundle[probe]}"`);
    for (const heading of ['WABA Cluster', 'Health', 'Register the number', 'Multiconnect shards']) {
      if (!found.headings.includes(t(heading))) throw new Error(`no heading "${t(heading)}" in ${JSON.stringify(found.headings)}`);
    }
    await vscodeServer.sleep(500);
    await page.screenshot({ path: path.join(RESULTS, `ui-panel-${lang}.png`) });
    return `headings ${found.headings.slice(0, 3).join(' | ')}…; ${Object.keys(found.bundle).length} messages in the page; test-results/ui-panel-${lang}.png`;
  });
}

async function main(): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'waba-ui-languages-'));
  const stops: Array<() => Promise<void>> = [];
  const cleanup = async () => {
    for (const stop of stops.splice(0)) await stop();
    fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
  };
  const interrupted = cleanUpOnSignals(cleanup, log);
  try {
    if (!fs.existsSync(VSIX)) execFileSync('npm', ['run', '--silent', 'package'], { cwd: ROOT, stdio: 'inherit' });
    fs.mkdirSync(RESULTS, { recursive: true });
    for (const lang of ['en', 'ar'] as const) {
      await language(lang, tmp, (stop) => stops.push(stop));
      for (const stop of stops.splice(0)) await stop();
    }
  } finally {
    if (!interrupted()) await cleanup();
  }
}

main()
  .catch((err) => { ui.counts.failed++; console.error(`[ui-languages] ${err instanceof Error ? err.stack : String(err)}`); })
  .then(() => ui.finish());
