// The webhook inspector's record of callbacks, as the panel shows it: one entry per status, inbound
// message or error a callback carried (time, type, status, message id, the raw JSON of its callback),
// and a count per type. Bounded: the newest entries are kept, the counts cover everything received.
// Pure: no vscode, no Node APIs.
import { parseWebhookCallback } from '../contract';
import { t } from '../l10n';

export interface CallbackEntry {
  /** Increasing number, so the panel appends only what it has not shown yet. */
  seq: number;
  /** ISO time the receiver got the callback. */
  at: string;
  /** "status", "message" (inbound), "error", or "invalid" (not one of Meta's callback shapes). */
  type: 'status' | 'message' | 'error' | 'invalid';
  /** The status (sent, delivered, read, failed, deleted), the inbound message's type, or the error code. */
  detail: string;
  messageId?: string;
  /** The recipient of a status, the sender of an inbound message. */
  peer?: string;
  /** The whole callback body as it came, pretty-printed when it is JSON. */
  raw: string;
}

export interface CallbackLogView {
  entries: CallbackEntry[];
  /** "status delivered" -> 3, "message text" -> 1, … since the inspector started. */
  counts: Record<string, number>;
  total: number;
}

const MAX_ENTRIES = 200;

export class CallbackLog {
  private entries: CallbackEntry[] = [];
  private counts: Record<string, number> = {};
  private total = 0;
  private seq = 0;

  constructor(private readonly maxEntries = MAX_ENTRIES) {}

  /** Records one callback body; returns the entries it made. */
  add(body: string, at: Date): CallbackEntry[] {
    this.total++;
    let parsed: unknown;
    let raw = body;
    try {
      parsed = JSON.parse(body);
      raw = JSON.stringify(parsed, null, 2);
    } catch { /* kept raw, recorded as invalid below */ }
    const made = entriesOf(parsed, raw).map((e) => ({ ...e, seq: ++this.seq, at: at.toISOString() }));
    for (const e of made) {
      const key = countKey(e);
      this.counts[key] = (this.counts[key] ?? 0) + 1;
    }
    this.entries.push(...made);
    if (this.entries.length > this.maxEntries) this.entries = this.entries.slice(-this.maxEntries);
    return made;
  }

  clear(): void {
    this.entries = [];
    this.counts = {};
    this.total = 0;
  }

  view(): CallbackLogView {
    return { entries: [...this.entries], counts: { ...this.counts }, total: this.total };
  }
}

export function countKey(e: Pick<CallbackEntry, 'type' | 'detail'>): string {
  return e.type === 'invalid' ? 'invalid' : `${e.type} ${e.detail}`;
}

type Unnumbered = Omit<CallbackEntry, 'seq' | 'at'>;

function entriesOf(body: unknown, raw: string): Unnumbered[] {
  let callback;
  try {
    callback = parseWebhookCallback(body);
  } catch (error) {
    return [{ type: 'invalid', detail: body === undefined ? t('not JSON') : (error as Error).message, raw }];
  }
  return [
    ...(callback.statuses ?? []).map((s): Unnumbered => ({ type: 'status', detail: s.status, messageId: s.id, peer: s.recipient_id, raw })),
    ...(callback.messages ?? []).map((m): Unnumbered => ({ type: 'message', detail: m.type, messageId: m.id, peer: m.from, raw })),
    ...(callback.errors ?? []).map((e): Unnumbered => ({ type: 'error', detail: String(e.code), raw })),
  ];
}
