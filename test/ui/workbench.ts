// What the UI tests share: counted checks, a throwaway HOME for VS Code, and the user's gestures in
// the workbench (command palette, quick-input prompts, tree rows), driven with playwright-core.
import { connect } from 'node:tls';
import * as fs from 'node:fs';
import * as path from 'node:path';
import vscodeServer = require('../harness/vscode-server');
import { throwawayHomeEnv } from '../support/throwawayHome';
import type { TestFailure } from '../../scripts/lib/spec-failures.mjs' with { 'resolution-mode': 'import' };

export const ACTIVITY_ICON = '.activitybar .action-item a[aria-label^="WABA Cluster"]';
export const SIDEBAR = '.part.sidebar';

/** Counts checks; a failed check is reported, later checks still run where they can. */
export class UiChecks {
  readonly counts = { passed: 0, failed: 0 };
  /** What failed, for npm test's closing list. */
  private readonly failures: TestFailure[] = [];
  private readonly t0 = Date.now();

  /** Called with a file name when a check fails (e.g. to take a screenshot). */
  onFailure: ((file: string) => Promise<void>) | undefined;

  constructor(private readonly name: string) {}

  log = (msg: string): void => console.log(`[${this.name} +${((Date.now() - this.t0) / 1000).toFixed(1)}s] ${msg}`);

  async check(name: string, fn: () => Promise<string | void> | string | void): Promise<boolean> {
    try {
      const detail = await fn();
      this.counts.passed++;
      console.log(`  ✔ ${name}${detail ? ` — ${detail}` : ''}`);
      return true;
    } catch (err) {
      this.counts.failed++;
      const shot = `${this.name}-failed-${this.counts.failed}.png`;
      const saved = await this.onFailure?.(shot).then(() => ` (screenshot ${shot})`, () => '');
      const message = err instanceof Error ? err.message : String(err);
      this.failures.push({ title: name, message: message.split('\n').slice(0, 6).join('\n') });
      console.log(`  ✘ ${name}${saved ?? ''}\n      ${message.split('\n').join('\n      ')}`);
      return false;
    }
  }

  /** Prints `N passed, N failed`, writes the counts to $WABA_RESULT_FILE and exits (1 on a failure). */
  finish(): never {
    const { passed, failed } = this.counts;
    console.log(`\n${passed} passed, ${failed} failed — ${this.name}, ${((Date.now() - this.t0) / 1000).toFixed(1)} s`);
    if (process.env.WABA_RESULT_FILE) fs.writeFileSync(process.env.WABA_RESULT_FILE, JSON.stringify({ ...this.counts, failures: this.failures }) + '\n');
    process.exit(failed > 0 || passed === 0 ? 1 : 0);
  }
}

/** A throwaway HOME (see throwawayHomeEnv) and a PATH without Compose v1. */
export function isolatedEnv(tmp: string): NodeJS.ProcessEnv {
  return { ...process.env, ...throwawayHomeEnv(tmp), PATH: pathWithoutComposeV1(path.join(tmp, 'bin')) };
}

/**
 * A PATH with every program of the real one except `docker-compose`: the UI tests run on a machine
 * as most users have it, with only Compose v2 (the docker CLI plugin).
 */
function pathWithoutComposeV1(bin: string): string {
  fs.mkdirSync(bin, { recursive: true });
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    let names: string[] = [];
    try { names = fs.readdirSync(dir); } catch { continue; }
    for (const name of names) {
      if (name === 'docker-compose' || fs.existsSync(path.join(bin, name))) continue;
      fs.symlinkSync(path.join(dir, name), path.join(bin, name));
    }
  }
  return bin;
}

/** On Ctrl+C or SIGTERM: runs `cleanup` once, then exits. Returns whether that happened (then skip the normal cleanup). */
export function cleanUpOnSignals(cleanup: () => Promise<void>, log: (msg: string) => void): () => boolean {
  let stopping = false;
  for (const [sig, num] of [['SIGINT', 2], ['SIGTERM', 15]] as const) {
    process.on(sig, () => {
      if (stopping) return;
      stopping = true;
      log(`received ${sig}, cleaning up`);
      void cleanup().finally(() => process.exit(128 + num));
    });
  }
  return () => stopping;
}

export const sidebarRow = (page: any, text: string | RegExp) => page.locator(`${SIDEBAR} .monaco-list-row`).filter({ hasText: text }).first();

/** Runs a command from the palette (F1), as a user types it; F1 again if a workbench still loading missed it. */
export async function runCommand(page: any, title: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  // F1 toggles the palette and does nothing while focus sits in a webview or a closing dialog:
  // give focus back to the workbench and press again until the palette shows.
  for (let attempt = 1; ; attempt++) {
    if (!(await input.isVisible())) await page.keyboard.press('F1');
    if (await input.waitFor({ state: 'visible', timeout: 3000 }).then(() => true, () => false)) break;
    if (attempt === 4) throw new Error('F1 did not open the command palette');
    await page.keyboard.press('Escape');
    // A click on the side bar's title takes focus out of the webview; it runs nothing.
    await page.locator('.part.sidebar .composite.title .title-label').first().click().catch(() => undefined);
  }
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

/**
 * Answers the next quick-input prompt (user name, password) by typing and Enter. VS Code reuses the
 * widget from one prompt to the next, and an Enter that lands while it swaps is lost: Enter again
 * while the same prompt still shows, each time into the prompt's input.
 */
export async function answerPrompt(page: any, promptText: RegExp, value?: string): Promise<void> {
  const prompt = page.locator('.quick-input-widget').filter({ hasText: promptText });
  await prompt.waitFor({ state: 'visible' });
  const input = page.locator('.quick-input-widget input');
  if (value !== undefined) await input.fill(value);
  for (let attempt = 1; ; attempt++) {
    // The Enter must land in the prompt: a walkthrough step that takes the focus back after its slide
    // (250 ms) would get it instead, and its button would run the command again: the same prompt anew.
    await input.focus();
    await page.keyboard.press('Enter');
    if (await prompt.waitFor({ state: 'hidden', timeout: 5000 }).then(() => true, () => false)) return;
    if (attempt === 3) throw new Error(`the prompt ${promptText} stayed open after Enter`);
  }
}

export async function waitForWebappTls(timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect({ host: '127.0.0.1', port: 9090, rejectUnauthorized: false }, () => { s.end(); resolve(true); });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await vscodeServer.sleep(500);
  }
  throw new Error('the webapp never answered TLS on 127.0.0.1:9090');
}
