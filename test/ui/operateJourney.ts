// The UI test's part for issue #9, run by smoke.ts on its cluster once the number is registered: the
// settings editor by clicks (a refused value named at its field, a change reviewed, confirmed and read
// back) and the webhook inspector by clicks (start, send a test message from the panel, its status
// callbacks listed live, one expanded to its raw JSON, stop). Screenshots: ui-settings.png, ui-inspector.png.
import * as path from 'node:path';

export interface OperateJourneyHelpers {
  check(name: string, fn: () => Promise<string | void> | string | void): Promise<boolean>;
  runCommand(page: any, title: string): Promise<void>;
  resultsDir: string;
}

const RECIPIENT = '16315550123';

/** The webview frame whose document has `selector` (VS Code nests webviews in iframes). */
async function panelFrame(page: any, selector: string, timeoutMs = 30_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frames = page.frames() as any[];
    const counts = await Promise.all(frames.map((f) => f.locator(selector).count().catch(() => 0)));
    const index = counts.findIndex((n) => n > 0);
    if (index !== -1) return frames[index];
    if (Date.now() > deadline) throw new Error(`no webview shows ${selector}`);
    await page.waitForTimeout(250);
  }
}

export async function operateJourney(page: any, h: OperateJourneyHelpers): Promise<void> {
  await h.runCommand(page, 'WABA: Open Cluster Panel');
  await h.check('the settings editor refuses a bad value at its field, then applies a reviewed change', async () => {
    const frame = await panelFrame(page, '#settings .setting[data-path="unhealthy_interval"] input');
    const input = frame.locator('#settings .setting[data-path="unhealthy_interval"] input');
    await input.scrollIntoViewIfNeeded();
    // The steps before changed the settings outside the panel: read them again, as a user would.
    await frame.locator('#settings').getByRole('button', { name: 'Reload' }).click();
    await frame.locator('#settings .result').filter({ hasText: 'Settings loaded.' }).waitFor();
    const before = Number(await input.inputValue());
    const review = frame.locator('#settings').getByRole('button', { name: 'Review Changes…' });
    await input.fill('0');
    await review.click();
    const error = frame.locator('#settings [data-error-for="unhealthy_interval"]');
    await error.filter({ hasText: 'unhealthy_interval must be a whole number of at least 1' }).waitFor();
    const after = before + 1;
    await input.fill(String(after));
    await review.click();
    const confirm = frame.locator('#settings .confirm');
    await confirm.filter({ hasText: `unhealthy_interval ${before} s → ${after} s` }).waitFor();
    await confirm.getByRole('button', { name: /^Apply 1 Change/ }).click();
    await frame.locator('#settings .result').filter({ hasText: /^Applied at .*unhealthy_interval/ }).waitFor();
    if (Number(await input.inputValue()) !== after) throw new Error(`the editor shows ${await input.inputValue()} after applying ${after}`);
    await frame.locator('#settings').scrollIntoViewIfNeeded();
    const shot = path.join(h.resultsDir, 'ui-settings.png');
    await page.screenshot({ path: shot });
    return `unhealthy_interval ${before} s → ${after} s, read back; ${path.relative(process.cwd(), shot)}`;
  });

  const started = await h.check('the webhook inspector starts by a click and shows where it listens', async () => {
    const frame = await panelFrame(page, '#inspector');
    await frame.locator('#inspector').getByRole('button', { name: 'Start Inspector' }).click();
    const listening = frame.locator('#inspector .summary').filter({ hasText: /^Listening at http:\/\/[\d.]+:\d+\/waba-inspector\// });
    await listening.waitFor();
    return (await listening.innerText()).replace(/\/waba-inspector\/\w+/, '/waba-inspector/…');
  });
  if (!started) return;
  await h.check('a test message sent from the panel shows its status callbacks live; one expands to its raw JSON', async () => {
    const frame = await panelFrame(page, '#test-message');
    const card = frame.locator('#test-message');
    await card.locator('input[name="to"]').fill(RECIPIENT);
    const send = card.getByRole('button', { name: 'Send Test Message' });
    let id: string | undefined;
    // A shard may be between owners after the drill before this: the user retries, so does the test.
    for (let attempt = 1; !id; attempt++) {
      await send.click();
      // The button is busy until the answer is shown.
      for (let i = 0; i < 120 && !(await send.isEnabled()); i++) await page.waitForTimeout(250);
      const text = (await card.locator('.result').innerText()).trim();
      id = /^Sent \(POST \/v1\/messages\): (\S+)$/.exec(text)?.[1];
      if (!id && attempt === 5) throw new Error(`the message was not sent: ${text}`);
      if (!id) await page.waitForTimeout(3000);
    }
    const route = (await card.locator('.message-route .summary').innerText()).trim();
    if (!/→ shard \d+ · wacore\d+$/.test(route)) throw new Error(`the route is not named: ${route}`);
    const rows = frame.locator(`#inspector .callback[data-message-id="${id}"]`);
    const deadline = Date.now() + 30_000;
    while ((await rows.count()) < 2 && Date.now() < deadline) await page.waitForTimeout(250);
    const kinds = (await rows.locator('.callback-detail').allInnerTexts()).sort();
    if (kinds.join(',') !== 'delivered,read') throw new Error(`callbacks of ${id}: ${kinds.join(', ') || 'none'}`);
    await rows.first().locator('summary').click();
    const raw = rows.first().locator('.callback-raw');
    await raw.waitFor();
    if (!(await raw.innerText()).includes(`"id": "${id}"`)) throw new Error('the expanded callback does not show its JSON');
    const counts = (await frame.locator('#inspector .callback-counts').innerText()).replace(/\s+/g, ' ');
    await frame.locator('#inspector').scrollIntoViewIfNeeded();
    const shot = path.join(h.resultsDir, 'ui-inspector.png');
    await page.screenshot({ path: shot });
    return `${route}; callbacks ${kinds.join(', ')}; counts: ${counts}; ${path.relative(process.cwd(), shot)}`;
  });
  await h.check('Stop Inspector puts the webhook URL back', async () => {
    const frame = await panelFrame(page, '#inspector');
    await frame.locator('#inspector').getByRole('button', { name: 'Stop Inspector' }).click();
    const stopped = frame.locator('#inspector .inspector-message').filter({ hasText: /^Stopped: webhooks\.url is .* again\.$/ });
    await stopped.waitFor();
    return (await stopped.innerText()).trim();
  });
}
