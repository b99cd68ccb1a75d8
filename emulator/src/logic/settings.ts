// Application settings as stored and answered: the contract's fields and defaults
// (src/contract/settings.ts), deep-merged PATCH bodies, the intervals the masters use.
import { defaultApplicationSettings, failoverIntervals, getPath, SETTING_FIELDS, type ApplicationSettings } from '../../../src/contract';

export type Settings = Record<string, unknown>;

const isPlainObject = (v: unknown): v is Settings => typeof v === 'object' && v !== null && !Array.isArray(v);

export function defaultSettings(): Settings {
  return defaultApplicationSettings() as unknown as Settings;
}

/** Every documented field: the stored value where there is one, else Meta's default. Unknown keys are dropped. */
export function withDefaults(stored: unknown): Settings {
  const out = defaultSettings();
  for (const field of SETTING_FIELDS) {
    const value = getPath(stored, field.path);
    if (value === undefined) continue;
    const keys = field.path.split('.');
    let node = out;
    for (const key of keys.slice(0, -1)) node = node[key] as Settings;
    node[keys[keys.length - 1]] = value;
  }
  return out;
}

/** Objects merge key by key at every depth; arrays and scalars replace. */
export function mergeSettings(current: Settings, patch: Settings): Settings {
  const out: Settings = { ...current };
  for (const [k, v] of Object.entries(patch)) {
    out[k] = isPlainObject(v) && isPlainObject(out[k]) ? mergeSettings(out[k] as Settings, v) : v;
  }
  return out;
}

export function webhookSettingsOf(s: Settings): ApplicationSettings['webhooks'] & Pick<ApplicationSettings, 'callback_backoff_delay_ms' | 'max_callback_backoff_delay_ms' | 'sent_status'> {
  const all = withDefaults(s) as unknown as ApplicationSettings;
  return { ...all.webhooks, callback_backoff_delay_ms: all.callback_backoff_delay_ms, max_callback_backoff_delay_ms: all.max_callback_backoff_delay_ms, sent_status: all.sent_status };
}

export function intervalsOf(s: Settings): { heartbeatMs: number; unhealthyMs: number } {
  const { heartbeat, unhealthy } = failoverIntervals(s);
  return { heartbeatMs: heartbeat * 1000, unhealthyMs: unhealthy * 1000 };
}
