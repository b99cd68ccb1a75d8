// What the user reads comes from the display language's bundles: runs in the English runs (docker
// reachable and unreachable) and in the Arabic one (WABA_SHIM_LOCALE=ar, docker unreachable, see
// test/harness/run-extension-tests.ts). Expected texts are computed from package.nls(.<lang>).json and
// l10n/bundle.l10n.<lang>.json of the installed extension, so a missing or stale translation fails here.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, activateExtension, describeItems, sleep, workspaceProjectName, type WabaClusterApi } from './support';

const LANGUAGE = process.env.WABA_EXPECT_LANGUAGE ?? 'en';
const ARABIC_LETTERS = /[\u0600-\u06FF]/;

(process.env.WABA_SUITE === undefined || process.env.WABA_SUITE.split(',').includes('l10n') ? describe : describe.skip)(`display language "${LANGUAGE}"`, function () {
  this.timeout(60_000);
  const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
  const read = (file: string): Record<string, string> => JSON.parse(fs.readFileSync(path.join(ext.extensionPath, file), 'utf8'));
  const nls = read(LANGUAGE === 'en' ? 'package.nls.json' : `package.nls.${LANGUAGE}.json`);
  const bundle = LANGUAGE === 'en' ? {} : read(`l10n/bundle.l10n.${LANGUAGE}.json`);
  /** What vscode.l10n.t shows in this language. */
  const t = (message: string, ...args: Array<string | number>): string => {
    assert.ok(LANGUAGE === 'en' || message in bundle, `the ${LANGUAGE} bundle has "${message}"`);
    return (bundle[message] ?? message).replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)]));
  };
  /** In Arabic the text is Arabic (not the English fallback). */
  const inLanguage = (text: string | undefined): void => {
    if (LANGUAGE === 'ar') assert.match(text ?? '', ARABIC_LETTERS, `"${text}" is not Arabic`);
  };
  let api: WabaClusterApi;

  before(async () => {
    ({ api } = await activateExtension());
  });

  it('VS Code runs in the display language, and the extension has its bundle', () => {
    assert.equal(vscode.env.language, LANGUAGE);
    if (LANGUAGE !== 'en') assert.ok(vscode.l10n.bundle && Object.keys(vscode.l10n.bundle).length > 100, 'vscode.l10n.bundle holds the translations');
    else assert.equal(vscode.l10n.bundle, undefined);
  });

  it('command titles, the view and the activity-bar container come from package.nls', () => {
    const pkg = ext.packageJSON;
    // A translated title is { value, original } (the palette also matches the English one).
    for (const c of pkg.contributes.commands as Array<{ command: string; title: string | { value: string; original: string } }>) {
      const title = typeof c.title === 'string' ? c.title : c.title.value;
      assert.equal(title, nls[`commands.${c.command.replace('wabaCluster.', '')}.title`], c.command);
      inLanguage(title);
    }
    assert.equal(pkg.contributes.views.wabaCluster[0].name, nls['views.wabaCluster.nodes.name']);
    assert.equal(pkg.contributes.viewsContainers.activitybar[0].title, nls['viewsContainers.wabaCluster.title']);
    assert.equal(pkg.contributes.walkthroughs[0].steps[0].title, nls['walkthroughs.wabaCluster.guide.steps.createFolder.title']);
    inLanguage(pkg.contributes.views.wabaCluster[0].name);
  });

  it('the Cluster Nodes view and the status bar', async () => {
    await vscode.commands.executeCommand('wabaCluster.nodes.focus');
    const deadline = Date.now() + 20_000;
    let shown = api.visible();
    while (!shown.statusBar && Date.now() < deadline) { await sleep(200); shown = api.visible(); }
    const bar = shown.statusBar!;
    assert.ok(bar, 'the status-bar item shows');
    const items = await api.treeSnapshot();
    if (process.env.WABA_EXPECT_DOCKER === '0') {
      const socket = (process.env.DOCKER_HOST ?? '').replace(/^unix:\/\//, '');
      assert.equal(items[0]?.label, t('Docker is not reachable at {0}: the socket does not exist. Start the Docker engine (e.g. sudo dockerd) or set DOCKER_HOST.', `unix://${socket}`), describeItems(items));
      assert.equal(bar.text, t('$(error) WABA: Docker unreachable'));
      inLanguage(items[0]?.label);
    } else {
      assert.equal(bar.text, t('$(circle-slash) WABA: stopped'));
      assert.equal(bar.tooltip, t('Compose project "{0}" has no containers', workspaceProjectName()));
    }
    inLanguage(bar.text);
  });

  it('notifications: a failed command says so in the display language', async () => {
    const shownErrors: string[] = [];
    const original = vscode.window.showErrorMessage;
    // The extension and this suite share one vscode API object (the suite runs from the extension's folder).
    (vscode.window as { showErrorMessage: unknown }).showErrorMessage = (message: string) => { shownErrors.push(message); return Promise.resolve(undefined); };
    try {
      await vscode.commands.executeCommand('wabaCluster.checkHealth');
      for (let i = 0; i < 50 && shownErrors.length === 0; i++) await sleep(100);
    } finally {
      (vscode.window as { showErrorMessage: unknown }).showErrorMessage = original;
    }
    const reason = t('The webapp is not reachable: no running container publishes port 443 (waweb in multiconnect-compose.yml). Start the cluster first.');
    assert.deepEqual(shownErrors, [t('{0} failed: {1}', t('Check Health'), reason)]);
    inLanguage(shownErrors[0]);
  });

  it("the cluster panel's answers (form checks) come from the same bundle", async () => {
    const answer = await api.panelRequest('requestCode', { cc: '+49', phone_number: '12 34', method: 'sms', cert: '' });
    assert.equal(answer.ok, false);
    assert.equal(answer.fieldErrors?.cc, t('Country code: 1 to 3 digits, without +'));
    assert.equal(answer.fieldErrors?.phone_number, t('Phone number: digits only, without the country code'));
    assert.equal(answer.fieldErrors?.cert, t('The verified-name certificate (base64) from WhatsApp Manager is required'));
    inLanguage(answer.fieldErrors?.cc);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
