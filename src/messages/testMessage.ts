// Send a test message (POST /v1/messages) and say where it went, without VS Code: the id the webapp
// answered, then the shard and coreapp as the cluster's own reports show them (messageRoute.ts).
import type { FieldErrors } from '../api/accountForms';
import { WabaApiError } from '../api/wabaError';
import { parseStatsBody, parseSupportBody, type NodeMetrics, type SupportNode } from '../contract';
import type { AdminApi } from '../settings/settingsApi';
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
  api(): AdminApi;
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
      const answer = await api.call<{ messages?: Array<{ id?: unknown }> }>('POST', '/v1/messages', {
        recipient_type: 'individual', to: form.to, type: 'text', text: { body: form.text },
      });
      const first = answer.body?.messages?.[0]?.id;
      if (typeof first !== 'string' || !first) throw new Error(t('The webapp accepted the message but answered no messages[0].id.'));
      id = first;
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

  private async stats(api: AdminApi): Promise<NodeMetrics[] | undefined> {
    try { return parseStatsBody((await api.call('GET', '/v1/stats/app')).body, 'app'); } catch { return undefined; }
  }

  private async support(api: AdminApi): Promise<SupportNode[]> {
    try { return parseSupportBody((await api.call('GET', '/v1/support')).body); } catch { return []; }
  }

  private async shards(api: AdminApi): Promise<number | undefined> {
    try {
      const account = (await api.call<{ account?: { shards?: unknown } | Array<{ shards?: unknown }> }>('GET', '/v1/account/shards')).body?.account;
      const shards = Array.isArray(account) ? account[0]?.shards : account?.shards;
      return typeof shards === 'number' ? shards : undefined;
    } catch {
      return undefined;
    }
  }
}
