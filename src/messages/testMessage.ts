// Send a test message and say where it went, without VS Code: the id the webapp
// answered, then the shard and coreapp as the cluster's own reports show them (messageRoute.ts).
import type { FieldErrors } from '../api/accountForms';
import { WabaApiError } from '../api/wabaError';
import type { NodeMetrics, SupportNode } from '../contract';
import type { WebappApi } from '../api/webappApi';
import { explainSendFailure, messageRoute, type LogMention, type MessageRoute } from './messageRoute';
import { t } from '../l10n';

export const MAX_TEXT = 4096;

export interface TestMessageForm { to: string; text: string }

/** The recipient as digits (a wa_id or a phone number with country code), and the text. */
export function checkTestMessage(form: TestMessageForm): { ok: true; value: TestMessageForm } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const to = (form.to ?? '').replace(/[\s()+-]/g, '');
  if (!/^\d{5,20}$/.test(to)) errors.to = t('Recipient: the phone number with country code, digits only (e.g. 16315551234)');
  const text = form.text ?? '';
  if (!text.trim()) errors.text = t('Text: write something to send');
  else if (text.length > MAX_TEXT) errors.text = t('Text: at most {0} characters (1001 Message too long), this has {1}', MAX_TEXT, text.length);
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, value: { to, text } };
}

export interface TestMessagePorts {
  api(): WebappApi;
  /** Containers of the cluster whose log since `since` mentions `text`. */
  logMentions(text: string, since: Date): Promise<LogMention[]>;
  now?(): Date;
  /** How long to look for the id in the logs (a coreapp may log it just after answering). */
  logWaitMs?: number;
  sleep?(ms: number): Promise<void>;
}

export interface TestMessageResult extends MessageRoute { id: string; to: string; sentAt: string }

/** Thrown when the webapp refused the message; `message` names the cause (e.g. a shard without owner). */
export class SendRefusedError extends Error {}

export class TestMessageSender {
  constructor(private readonly ports: TestMessagePorts) {}

  async send(form: TestMessageForm): Promise<TestMessageResult> {
    const api = this.ports.api();
    const now = this.ports.now ?? (() => new Date());
    const statsBefore = await this.stats(api);
    const sentAt = now();
    let id: string;
    try {
      id = await api.sendText(form.to, form.text);
    } catch (error) {
      if (!(error instanceof WabaApiError)) throw error;
      const [support, shards] = await Promise.all([this.support(api), this.shards(api)]);
      throw new SendRefusedError(explainSendFailure({ code: error.code, details: error.errors[0]?.details, message: error.message }, { support, shards }));
    }
    // Docker's `since` has whole seconds: look from the second before sending.
    const since = new Date(sentAt.getTime() - 1000);
    const [statsAfter, support, shards, logMentions] = await Promise.all([this.stats(api), this.support(api), this.shards(api), this.mentions(id, since)]);
    const route = messageRoute({ shards, support, statsBefore, statsAfter, logMentions });
    return { id, to: form.to, sentAt: sentAt.toISOString(), ...route };
  }

  private async mentions(id: string, since: Date): Promise<LogMention[]> {
    const waitMs = this.ports.logWaitMs ?? 2000;
    const sleep = this.ports.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    for (let waited = 0; ; waited += 250) {
      const found = await this.ports.logMentions(id, since).catch(() => []);
      if (found.length || waited >= waitMs) return found;
      await sleep(250);
    }
  }

  private async stats(api: WebappApi): Promise<NodeMetrics[] | undefined> {
    try { return await api.statsApp(); } catch { return undefined; }
  }

  private async support(api: WebappApi): Promise<SupportNode[]> {
    try { return await api.support(); } catch { return []; }
  }

  private async shards(api: WebappApi): Promise<number | undefined> {
    try { return await api.shards(); } catch { return undefined; }
  }
}
