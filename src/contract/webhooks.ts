// Webhook callbacks (Meta's "Webhooks" reference for the On-Premises API): what the client POSTs to
// `settings.application.webhooks.url` as JSON. One body may carry inbound `messages` with their
// `contacts`, message `statuses`, or out-of-band `errors`. The receiver must answer 200 OK; any other
// answer is a failure, retried with a linear backoff (settings callback_backoff_delay_ms, capped at
// max_callback_backoff_delay_ms).
import { parseWabaErrors, type WabaError } from './errors';
import { array, join, object, oneOf, optional, ShapeError, string } from './shape';

export const MESSAGE_STATUSES = ['sent', 'delivered', 'read', 'failed', 'deleted'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

export interface StatusNotification {
  /** The id `POST /v1/messages` answered. */
  id: string;
  recipient_id: string;
  status: MessageStatus;
  /** Seconds since the epoch, as a string. */
  timestamp: string;
  errors?: WabaError[];
}

export interface InboundContact { profile: { name: string }; wa_id: string }

export interface InboundMessage {
  from: string;
  id: string;
  /** Seconds since the epoch, as a string. */
  timestamp: string;
  type: string;
  text?: { body: string };
}

export interface WebhookCallback {
  contacts?: InboundContact[];
  messages?: InboundMessage[];
  statuses?: StatusNotification[];
  errors?: WabaError[];
}

/** Delay before retry number `failures` (1 = after the first failure). */
export function callbackRetryDelayMs(failures: number, backoffMs: number, maxBackoffMs: number): number {
  return Math.min(Math.max(1, failures) * backoffMs, maxBackoffMs);
}

/** A callback body as a receiver gets it; throws on a body that is none of the documented kinds. */
export function parseWebhookCallback(body: unknown): WebhookCallback {
  const cb = object(body, '');
  optional(cb.statuses, 'statuses', (v, p) => array(v, p).forEach((entry, i) => {
    const s = object(entry, join(p, i));
    for (const key of ['id', 'recipient_id', 'timestamp']) string(s[key], join(join(p, i), key));
    oneOf(s.status, MESSAGE_STATUSES, join(join(p, i), 'status'));
    optional(s.errors, join(join(p, i), 'errors'), parseWabaErrors);
  }));
  optional(cb.messages, 'messages', (v, p) => array(v, p).forEach((entry, i) => {
    const m = object(entry, join(p, i));
    for (const key of ['from', 'id', 'timestamp', 'type']) string(m[key], join(join(p, i), key));
    optional(m.text, join(join(p, i), 'text'), (t, tp) => string(object(t, tp).body, join(tp, 'body')));
  }));
  optional(cb.contacts, 'contacts', (v, p) => array(v, p).forEach((entry, i) => {
    const c = object(entry, join(p, i));
    string(c.wa_id, join(join(p, i), 'wa_id'));
    string(object(c.profile, join(join(p, i), 'profile')).name, join(join(join(p, i), 'profile'), 'name'));
  }));
  optional(cb.errors, 'errors', parseWabaErrors);
  if (!cb.statuses && !cb.messages && !cb.errors) throw new ShapeError('', 'a callback with statuses, messages or errors', body);
  return cb as WebhookCallback;
}
