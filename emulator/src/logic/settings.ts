// Application settings defaults (waba-api.md §4.8) and merging of PATCH bodies.
export type Settings = Record<string, unknown>;

export function defaultSettings(): Settings {
  return {
    callback_backoff_delay_ms: 3000,
    callback_persist: true,
    garbagecollector_enable: { media: false, messages: true },
    heartbeat_interval: 5,
    max_callback_backoff_delay_ms: 900000,
    media: { auto_download: ['image', 'video', 'voice', 'sticker', 'audio', 'document'] },
    notify_user_change_number: true,
    pass_through: false,
    sent_status: false,
    show_security_notifications: true,
    unhealthy_interval: 30,
    webhooks: { max_concurrent_requests: 12 },
    verbose_logging: false,
  };
}

export function mergeSettings(current: Settings, patch: Settings): Settings {
  const out: Settings = { ...current };
  for (const [k, v] of Object.entries(patch)) {
    const prev = out[k];
    const bothObjects = v && typeof v === 'object' && !Array.isArray(v) && prev && typeof prev === 'object' && !Array.isArray(prev);
    out[k] = bothObjects ? { ...(prev as Settings), ...(v as Settings) } : v;
  }
  return out;
}

export function intervalsOf(s: Settings): { heartbeatMs: number; unhealthyMs: number } {
  const hb = Number(s.heartbeat_interval) > 0 ? Number(s.heartbeat_interval) : 5;
  const un = Number(s.unhealthy_interval) > 0 ? Number(s.unhealthy_interval) : 30;
  return { heartbeatMs: hb * 1000, unhealthyMs: un * 1000 };
}
