// Application settings, `GET|PATCH|DELETE /v1/settings/application` (admin only; waba-api.md §4.8,
// Meta's "Application Settings" page). SETTING_FIELDS lists every field Meta documents with its
// default, the values it accepts and what it does: the extension builds its settings editor from it,
// the emulator answers its defaults and checks PATCH bodies with settingProblem().
import { array, boolean, isObject, join, number, object, optional, ShapeError, string, type Json } from './shape';

export const MEDIA_TYPES = ['audio', 'document', 'image', 'sticker', 'video', 'voice'] as const;
export type MediaType = (typeof MEDIA_TYPES)[number];

/** Meta's allowed values of webhooks.max_concurrent_requests. */
export const WEBHOOK_CONCURRENCY = [6, 12, 18, 24] as const;

export interface WebhookSettings {
  /** Where callbacks are POSTed; "" when no webhook is set (WADebug reads this key unconditionally). */
  url: string;
  max_concurrent_requests: number;
  /** Which message statuses are sent as callbacks. */
  message: { sent: boolean; delivered: boolean; read: boolean };
}

export interface ApplicationSettings {
  axolotl_context_striping_disabled: boolean;
  callback_backoff_delay_ms: number;
  callback_persist: boolean;
  db_garbagecollector_enable: boolean;
  heartbeat_interval: number;
  max_callback_backoff_delay_ms: number;
  media: { auto_download: MediaType[] };
  notify_user_change_number: boolean;
  pass_through: boolean;
  sent_status: boolean;
  show_security_notifications: boolean;
  unhealthy_interval: number;
  webhooks: WebhookSettings;
  /** The registered number (read-only; only once registered). */
  wa_id?: string;
}

/** Older clients omit fields they do not know: what a webapp reports may lack any field. */
export type Reported<T> = { [K in keyof T]?: T[K] extends readonly unknown[] ? T[K] : T[K] extends object ? Reported<T[K]> : T[K] };

export interface SettingsBody { settings: { application: Reported<ApplicationSettings> } }

export type SettingKind = 'boolean' | 'integer' | 'choice' | 'url' | 'media-list';
export type SettingValue = boolean | number | string | readonly string[];

export interface SettingField {
  /** Dotted path inside `settings.application`, e.g. "webhooks.url". */
  path: string;
  kind: SettingKind;
  default: SettingValue;
  /** integer: smallest accepted value. */
  min?: number;
  /** choice: the accepted numbers. */
  choices?: readonly number[];
  unit?: 'ms' | 's';
  /** Meta: the Coreapp must be restarted before a change applies. */
  restartRequired?: boolean;
  /** The field that replaces a deprecated one. */
  deprecatedBy?: string;
  /** What the setting does, after Meta's text. */
  meaning: string;
}

export const SETTING_FIELDS: readonly SettingField[] = [
  { path: 'callback_persist', kind: 'boolean', default: true, restartRequired: true,
    meaning: 'Keep callbacks stored until the webhook acknowledges them with 200 OK, so none is lost when a node or the webhook is down.' },
  { path: 'callback_backoff_delay_ms', kind: 'integer', default: 3000, min: 1, unit: 'ms',
    meaning: 'Retry delay of a failed callback; it grows linearly by this value with each failure (3 s, 6 s, 9 s, …).' },
  { path: 'max_callback_backoff_delay_ms', kind: 'integer', default: 900000, min: 1, unit: 'ms',
    meaning: 'Cap of the callback retry delay; failed callbacks keep being retried at this interval.' },
  { path: 'heartbeat_interval', kind: 'integer', default: 5, min: 1, unit: 's',
    meaning: 'HA/Multiconnect: how often the masters send heartbeats to the coreapps.' },
  { path: 'unhealthy_interval', kind: 'integer', default: 30, min: 1, unit: 's',
    meaning: 'HA/Multiconnect: a coreapp that answers no heartbeat for this long is unhealthy and its shard fails over.' },
  { path: 'media.auto_download', kind: 'media-list', default: [],
    meaning: 'Media types that are downloaded automatically when a message arrives.' },
  { path: 'webhooks.url', kind: 'url', default: '',
    meaning: 'The HTTPS endpoint that receives inbound messages and status callbacks; empty: no webhook.' },
  { path: 'webhooks.max_concurrent_requests', kind: 'choice', default: 6, choices: WEBHOOK_CONCURRENCY, restartRequired: true,
    meaning: 'How many callback requests may be in flight at once.' },
  { path: 'webhooks.message.sent', kind: 'boolean', default: false,
    meaning: 'Send a "sent" status callback when a message reaches WhatsApp\'s servers.' },
  { path: 'webhooks.message.delivered', kind: 'boolean', default: true,
    meaning: 'Send a "delivered" status callback when a message reaches the recipient\'s phone.' },
  { path: 'webhooks.message.read', kind: 'boolean', default: true,
    meaning: 'Send a "read" status callback when the recipient reads a message.' },
  { path: 'sent_status', kind: 'boolean', default: false, deprecatedBy: 'webhooks.message.sent',
    meaning: 'Older switch for "sent" status callbacks.' },
  { path: 'pass_through', kind: 'boolean', default: false, restartRequired: true,
    meaning: 'Delete messages from the database once delivered or read (cannot be re-enabled from v2.35).' },
  { path: 'db_garbagecollector_enable', kind: 'boolean', default: true, restartRequired: true,
    meaning: 'Periodically delete old messages and callbacks from the database.' },
  { path: 'notify_user_change_number', kind: 'boolean', default: false,
    meaning: 'Send a system callback when a contact changes their phone number.' },
  { path: 'show_security_notifications', kind: 'boolean', default: false,
    meaning: 'Send a system callback when a contact\'s security code changes.' },
  { path: 'axolotl_context_striping_disabled', kind: 'boolean', default: false,
    meaning: 'Turn off context striping of end-to-end encrypted messages.' },
];

export function settingField(path: string): SettingField | undefined {
  return SETTING_FIELDS.find((f) => f.path === path);
}

function setPath(target: Json, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Json;
  node[keys[keys.length - 1]] = value;
}

export function getPath(source: unknown, path: string): unknown {
  let node = source;
  for (const key of path.split('.')) node = isObject(node) ? node[key] : undefined;
  return node;
}

/** The settings of a fresh cluster: every field with Meta's default. */
export function defaultApplicationSettings(): ApplicationSettings {
  const out: Json = {};
  for (const f of SETTING_FIELDS) setPath(out, f.path, Array.isArray(f.default) ? [...f.default] : f.default);
  return out as unknown as ApplicationSettings;
}

/** Integers may come as digit strings (Meta's table types the callback delays as String). */
export function settingValue(field: SettingField, value: unknown): SettingValue | undefined {
  if ((field.kind === 'integer' || field.kind === 'choice') && typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return value as SettingValue;
}

/** Why value cannot be stored in the field, or undefined when it can (after settingValue()). */
export function settingProblem(field: SettingField, value: unknown): string | undefined {
  switch (field.kind) {
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'must be true or false';
    case 'integer':
      return Number.isSafeInteger(value) && (value as number) >= (field.min ?? 0) ? undefined : `must be a whole number of at least ${field.min ?? 0}`;
    case 'choice':
      return field.choices?.includes(value as number) ? undefined : `must be one of ${field.choices?.join(', ')}`;
    case 'media-list':
      return Array.isArray(value) && value.every((v) => (MEDIA_TYPES as readonly unknown[]).includes(v))
        ? undefined : `must be a list of ${MEDIA_TYPES.join(', ')}`;
    case 'url':
      return urlProblem(value);
  }
}

function urlProblem(value: unknown): string | undefined {
  if (value === '') return undefined;
  if (typeof value !== 'string') return 'must be a URL or ""';
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? undefined : 'must start with https://';
  } catch {
    return 'must be a URL such as https://webhook.example.com/whatsapp';
  }
}

/** Documented fields a webapp's settings lack (an older version, or an emulator bug). */
export function missingSettings(application: unknown): string[] {
  return SETTING_FIELDS.filter((f) => getPath(application, f.path) === undefined).map((f) => f.path);
}

/** `GET /v1/settings/application`: every reported field has its documented type. */
export function parseSettingsBody(body: unknown): SettingsBody {
  const application = object(object(object(body, '').settings, 'settings').application, 'settings.application');
  for (const f of SETTING_FIELDS) {
    const path = join('settings.application', f.path);
    const value = getPath(application, f.path);
    if (value === undefined) continue;
    if (f.kind === 'boolean') boolean(value, path);
    else if (f.kind === 'url') string(value, path);
    else if (f.kind === 'media-list') array(value, path).forEach((v, i) => string(v, join(path, i)));
    else number(settingValue(f, value), path);
  }
  optional(application.wa_id, 'settings.application.wa_id', string);
  return body as SettingsBody;
}

/** `POST /v1/settings/backup` → `{settings: {data}}`: Meta's encrypted blob (waba-api.md §4.9). */
export interface BackupRequest { password: string }
export interface BackupBody { settings: { data: string } }
export interface RestoreRequest { password: string; data: string }

export function parseBackupBody(body: unknown): BackupBody {
  const data = string(object(object(body, '').settings, 'settings').data, 'settings.data');
  if (!data) throw new ShapeError('settings.data', 'the encrypted backup', data);
  return body as BackupBody;
}

/** Meta's default of a documented field. */
export function settingDefault(path: string): SettingValue {
  const field = settingField(path);
  if (!field) throw new Error(`${path} is not a documented application setting`);
  return field.default;
}
