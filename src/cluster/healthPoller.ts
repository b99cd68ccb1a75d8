import type { HealthBody } from '../contract';
import { WabaApiError } from '../api/wabaError';
import { HealthSummary, NodeHealth, parseHealth, summarizeHealth } from './clusterHealth';
import { t } from '../l10n';
import { Emitter } from '../emitter';

/** The webapp refused a poll with 1015 / HTTP 429: polling waits until `retryAt`. */
export interface HealthBackoff { retryAt: Date; message: string }

export type HealthState =
  | { kind: 'signedOut'; reason?: string }
  | { kind: 'ok'; nodes: NodeHealth[]; summary: HealthSummary; version?: string; at: Date; backoff?: HealthBackoff }
  | { kind: 'failed'; message: string; at: Date; backoff?: HealthBackoff };

/** The clock the poller schedules with; tests pass a fake one. */
export interface PollerTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

const realTimers: PollerTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  now: () => Date.now(),
};

export interface HealthPollerOptions {
  intervalMs: number;
  /** The longest wait after rate limits (Meta's health limit counts calls per 60 s). */
  maxBackoffMs?: number;
  timers?: PollerTimers;
}

/**
 * Polls `/v1/health` while started; one request in flight at most. On a rate limit (1015 / 429) it
 * keeps the last health it saw, marks it with the back-off, and doubles its interval up to
 * `maxBackoffMs` (or waits what Retry-After asks); each later success halves the interval again
 * down to the configured one, so it settles below the limit instead of hitting it every minute.
 */
export class HealthPoller {
  private current: HealthState = { kind: 'signedOut' };
  private readonly changes = new Emitter<HealthState>();
  private intervalMs: number;
  private readonly maxBackoffMs: number;
  private readonly timers: PollerTimers;
  private timer: unknown;
  private inFlight: { source: () => Promise<HealthBody>; result: Promise<HealthState> } | undefined;
  private source: (() => Promise<HealthBody>) | undefined;
  private delayMs: number;
  /** No request before this time (epoch ms): the webapp asked us to wait. */
  private quietUntil = 0;

  constructor(options: HealthPollerOptions) {
    this.intervalMs = options.intervalMs;
    this.maxBackoffMs = Math.max(options.maxBackoffMs ?? 60_000, options.intervalMs);
    this.timers = options.timers ?? realTimers;
    this.delayMs = this.intervalMs;
  }

  get state(): HealthState { return this.current; }

  /** Polls every `ms` from the next poll on (the setting changed); a back-off in progress is kept. */
  setIntervalMs(ms: number): void {
    if (this.delayMs === this.intervalMs || this.delayMs < ms) this.delayMs = ms;
    this.intervalMs = ms;
  }

  /** The wait before the next scheduled poll. */
  get currentIntervalMs(): number { return this.delayMs; }

  onDidChange(listener: (s: HealthState) => void): { dispose(): void } {
    return this.changes.subscribe(listener);
  }

  /** Starts polling `fetchHealth`, replacing any earlier source (whose answers are then ignored). */
  start(fetchHealth: () => Promise<HealthBody>): Promise<HealthState> {
    this.cancelTimer();
    this.source = fetchHealth;
    return this.tick();
  }

  /** Stops polling; `reason` tells the user why they are signed out (e.g. a refused password). */
  stop(reason?: string): void {
    this.cancelTimer();
    this.source = undefined;
    this.delayMs = this.intervalMs;
    this.quietUntil = 0;
    this.publish(reason ? { kind: 'signedOut', reason } : { kind: 'signedOut' });
  }

  /**
   * Polls now (e.g. after an action); shares a request already in flight. While backing off it
   * sends nothing and returns the current state: another request would only be refused again.
   */
  poll(): Promise<HealthState> {
    const source = this.source;
    if (!source || this.timers.now() < this.quietUntil) return Promise.resolve(this.current);
    if (this.inFlight?.source === source) return this.inFlight.result;
    const result = source()
      .then((body) => this.succeeded(body), (error: unknown) => this.failed(error))
      .then((state) => (this.source === source ? this.publish(state) : this.current))
      .finally(() => { if (this.inFlight?.source === source) this.inFlight = undefined; });
    this.inFlight = { source, result };
    return result;
  }

  dispose(): void {
    this.stop();
    this.changes.dispose();
  }

  private async tick(): Promise<HealthState> {
    const source = this.source;
    const state = await this.poll();
    if (this.source === source && source) {
      this.cancelTimer();
      this.timer = this.timers.setTimeout(() => void this.tick(), Math.max(this.delayMs, this.quietUntil - this.timers.now()));
    }
    return state;
  }

  private succeeded(body: HealthBody): HealthState {
    this.delayMs = Math.max(this.intervalMs, Math.floor(this.delayMs / 2));
    const nodes = parseHealth(body);
    return { kind: 'ok', nodes, summary: summarizeHealth(nodes), version: body.meta?.version, at: new Date(this.timers.now()) };
  }

  private failed(error: unknown): HealthState {
    const now = this.timers.now();
    if (error instanceof WabaApiError && error.rateLimited) {
      this.delayMs = Math.min(this.maxBackoffMs, this.delayMs * 2);
      const waitMs = Math.max(this.delayMs, error.retryAfterMs ?? 0);
      this.quietUntil = now + waitMs;
      const retryAt = new Date(this.quietUntil);
      const backoff = { retryAt, message: t('The webapp rate-limits /v1/health (1015 Too many requests): next poll in {0} s.', Math.round(waitMs / 1000)) };
      // The last health stays on screen, marked as waiting, rather than an error flashing in its place.
      if (this.current.kind === 'ok' || this.current.kind === 'failed') return { ...this.current, backoff };
      return { kind: 'failed', message: backoff.message, at: new Date(now), backoff };
    }
    return { kind: 'failed', message: error instanceof Error ? error.message : String(error), at: new Date(now) };
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private publish(state: HealthState): HealthState {
    this.current = state;
    this.changes.fire(state);
    return state;
  }
}
