// Webhooks out: callbacks in Meta's shapes (src/contract/webhooks.ts) POSTed to settings
// webhooks.url. Only a 200 answer counts as delivered; a failure is retried with Meta's linear backoff
// (callback_backoff_delay_ms, +that much per failure, capped at max_callback_backoff_delay_ms) for as
// long as the webapp runs, with at most webhooks.max_concurrent_requests in flight. HTTPS checks the
// receiver's certificate against the system CAs plus the CA uploaded to /v1/certificates/webhooks/ca.
// Every failure is logged with the reason. Unlike Meta's coreapps (callback_persist), the emulator's
// Webapp keeps pending callbacks in memory: a restart of waweb drops them.
import { randomBytes } from 'node:crypto';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { rootCertificates } from 'node:tls';
import { callbackRetryDelayMs, type WebhookCallback } from '../../../src/contract';
import { readSettings } from '../db/account-store';
import { readStored } from '../db/auth-store';
import type { Sql } from '../db/sql';
import { webhookSettingsOf } from '../logic/settings';
import { log } from '../log';
import { dnsLookup } from '../net/dns-lookup';

export const WEBHOOK_CA = 'webhook_ca';
const TIMEOUT_MS = 5000;
const MAX_QUEUED = 10_000;
const CACHE_MS = 1000;
const PUMP_MS = 100;
/** When the emulated recipient's phone "receives" and "reads" a message, after it was sent. */
const STATUS_DELAYS_MS = { sent: 0, delivered: 300, read: 600 } as const;
type Receipt = keyof typeof STATUS_DELAYS_MS;

interface Pending { body: WebhookCallback; what: string; failures: number; dueMs: number }

export interface WebhookFigures { queued: number; delivered: number; failed: number; durationMsSum: number; receipts: number; inbound: number }

type WebhookSettings = ReturnType<typeof webhookSettingsOf>;

/** scheme://host/path of a webhook URL: no user info or query string in the logs. */
export function shownUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(not a URL)';
  }
}

const epochSeconds = () => String(Math.floor(Date.now() / 1000));

export class WebhookSender {
  private readonly queue: Pending[] = [];
  private inFlight = 0;
  private failingSince: number | undefined;
  private cached?: { atMs: number; settings: WebhookSettings; ca?: string };
  private timer?: NodeJS.Timeout;
  readonly figures: WebhookFigures = { queued: 0, delivered: 0, failed: 0, durationMsSum: 0, receipts: 0, inbound: 0 };

  constructor(private readonly sql: Sql) {}

  start(): void {
    this.timer = setInterval(() => void this.pump(), PUMP_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Drops the cached settings and CA (after an upload through this webapp). */
  invalidate(): void {
    this.cached = undefined;
  }

  /** Status callbacks of an accepted message, as the settings ask for them. */
  async messageAccepted(id: string, recipient: string): Promise<void> {
    const s = await this.current();
    if (!s.settings.url) return;
    const wanted: Record<Receipt, boolean> = {
      sent: s.settings.message.sent || s.settings.sent_status, delivered: s.settings.message.delivered, read: s.settings.message.read,
    };
    const recipientId = recipient.replace(/\D/g, '');
    for (const status of Object.keys(STATUS_DELAYS_MS) as Receipt[]) {
      if (!wanted[status]) continue;
      this.enqueue({ statuses: [{ id, recipient_id: recipientId, status, timestamp: epochSeconds() }] }, `status ${status} of ${id}`, STATUS_DELAYS_MS[status]);
    }
  }

  /** An inbound text message from `from`; false when no webhook URL is set. */
  async inboundMessage(from: string, name: string, text: string): Promise<string | false> {
    if (!(await this.current()).settings.url) return false;
    const id = 'ABGG' + randomBytes(20).toString('base64').replace(/[+/=]/g, '').slice(0, 24);
    this.figures.inbound++;
    this.enqueue({
      contacts: [{ profile: { name }, wa_id: from }],
      messages: [{ from, id, timestamp: epochSeconds(), type: 'text', text: { body: text } }],
    }, `inbound message ${id}`, 0);
    return id;
  }

  private enqueue(body: WebhookCallback, what: string, delayMs: number): void {
    if (this.queue.length >= MAX_QUEUED) {
      const dropped = this.queue.shift() as Pending;
      log.warn(`webhook queue full (${MAX_QUEUED} callbacks): dropped the oldest, ${dropped.what}`);
    }
    this.queue.push({ body, what, failures: 0, dueMs: Date.now() + delayMs });
    this.figures.queued = this.queue.length;
  }

  private async current(): Promise<{ settings: WebhookSettings; ca?: string }> {
    if (!this.cached || Date.now() - this.cached.atMs > CACHE_MS) {
      const [stored, ca] = await Promise.all([readSettings(this.sql), readStored(this.sql, WEBHOOK_CA)]);
      this.cached = { atMs: Date.now(), settings: webhookSettingsOf(stored), ca };
    }
    return this.cached;
  }

  private async pump(): Promise<void> {
    if (this.queue.length === 0) return;
    let current;
    try {
      current = await this.current();
    } catch (e) {
      log.warn(`webhook settings unreadable: ${(e as Error).message}`);
      return;
    }
    const now = Date.now();
    while (this.inFlight < current.settings.max_concurrent_requests) {
      const index = this.queue.findIndex((p) => p.dueMs <= now);
      if (index < 0) break;
      const [next] = this.queue.splice(index, 1);
      this.figures.queued = this.queue.length;
      this.inFlight++;
      void this.deliver(next, current.settings, current.ca).finally(() => { this.inFlight--; });
    }
  }

  private async deliver(p: Pending, settings: WebhookSettings, ca?: string): Promise<void> {
    if (!settings.url) {
      log.info(`webhook URL was removed; dropped ${p.what}`);
      return;
    }
    const started = Date.now();
    const failure = await post(settings.url, p.body, ca).then((status) => (status === 200 ? undefined : `HTTP ${status} (200 OK expected)`), (e: Error) => e.message);
    this.figures.durationMsSum += Date.now() - started;
    if (!failure) {
      this.figures.delivered++;
      if (p.body.statuses?.some((s) => s.status === 'delivered' || s.status === 'read')) this.figures.receipts++;
      if (this.failingSince !== undefined) log.info(`webhook ${shownUrl(settings.url)} answers 200 again (failing since ${new Date(this.failingSince).toISOString()})`);
      this.failingSince = undefined;
      return;
    }
    this.figures.failed++;
    this.failingSince ??= started;
    p.failures++;
    const delay = callbackRetryDelayMs(p.failures, settings.callback_backoff_delay_ms, settings.max_callback_backoff_delay_ms);
    log.warn(`webhook ${shownUrl(settings.url)} failed for ${p.what}: ${failure}; attempt ${p.failures}, next in ${delay} ms`);
    p.dueMs = Date.now() + delay;
    this.queue.push(p);
    this.figures.queued = this.queue.length;
  }
}

/** POSTs body as JSON; resolves with the HTTP status, rejects with a reason a user can act on. */
function post(url: string, body: unknown, ca?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      reject(new Error('the webhook URL is not a URL'));
      return;
    }
    const payload = JSON.stringify(body);
    const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) };
    const done = (res: IncomingMessage) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    };
    const req = target.protocol === 'https:'
      ? httpsRequest(target, { method: 'POST', headers, lookup: dnsLookup, ca: ca ? [...rootCertificates, ca] : undefined }, done)
      : httpRequest(target, { method: 'POST', headers, lookup: dnsLookup }, done);
    // One deadline for the whole attempt, name lookup included (a socket timeout starts later).
    const deadline = setTimeout(() => req.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)), TIMEOUT_MS);
    req.on('close', () => clearTimeout(deadline));
    req.on('error', (e: NodeJS.ErrnoException) => reject(new Error(e.code && !e.message.includes(e.code) ? `${e.message} (${e.code})` : e.message)));
    req.end(payload);
  });
}
