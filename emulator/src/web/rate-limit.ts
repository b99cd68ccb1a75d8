// Request limits of the Webapp, after the 2019 Webapp source ([W] in meta-behaviour.md): /v1/health
// shared by all callers, failed logins per client address; both answer 1015 Too many requests (429).
// Off unless the webapp's environment sets them, so a cluster (and the extension's tests) can opt in:
//   WA_EMULATOR_HEALTH_RATE_LIMIT=10/60   at most 10 /v1/health calls per 60 s
//   WA_EMULATOR_LOGIN_RATE_LIMIT=5/60     at most 5 failed logins per client address per 60 s
import { ApiError, ErrorCode } from '../logic/envelope';

export class SlidingWindowLimit {
  private readonly hits = new Map<string, number[]>();

  constructor(readonly limit: number, readonly windowMs: number) {}

  /** Hits of key within the window. */
  count(key: string, nowMs = Date.now()): number {
    const recent = (this.hits.get(key) ?? []).filter((t) => t > nowMs - this.windowMs);
    if (recent.length) this.hits.set(key, recent);
    else this.hits.delete(key);
    return recent.length;
  }

  record(key: string, nowMs = Date.now()): void {
    if (this.hits.size > 10_000) for (const k of [...this.hits.keys()]) this.count(k, nowMs);
    this.hits.set(key, [...(this.hits.get(key) ?? []), nowMs]);
  }

  /** Seconds until key may try again (0 when it may now). */
  retryAfterSec(key: string, nowMs = Date.now()): number {
    if (this.count(key, nowMs) < this.limit) return 0;
    const oldest = (this.hits.get(key) ?? [nowMs])[0];
    return Math.max(1, Math.ceil((oldest + this.windowMs - nowMs) / 1000));
  }
}

/** "10/60" -> 10 per 60 s; unset -> no limit; anything else is refused at start. */
export function limitFromEnv(name: string, env: NodeJS.ProcessEnv = process.env): SlidingWindowLimit | undefined {
  const value = env[name]?.trim();
  if (!value) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(value);
  if (!m || Number(m[1]) < 1 || Number(m[2]) < 1) throw new Error(`${name} must look like 10/60 (calls per seconds), not "${value}"`);
  return new SlidingWindowLimit(Number(m[1]), Number(m[2]) * 1000);
}

export function tooManyRequests(what: string, retryAfterSec: number): ApiError {
  return new ApiError(ErrorCode.RateLimited, `Too many ${what}; retry in ${retryAfterSec} s`);
}
