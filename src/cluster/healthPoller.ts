import type { HealthBody } from '../contract';
import { HealthSummary, NodeHealth, parseHealth, summarizeHealth } from './clusterHealth';

export type HealthState =
  | { kind: 'signedOut' }
  | { kind: 'ok'; nodes: NodeHealth[]; summary: HealthSummary; version?: string; at: Date }
  | { kind: 'failed'; message: string; at: Date };

/** Polls `/v1/health` at a fixed interval while started; one request in flight at most. */
export class HealthPoller {
  private current: HealthState = { kind: 'signedOut' };
  private readonly listeners = new Set<(s: HealthState) => void>();
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<HealthState> | undefined;
  private source: (() => Promise<HealthBody>) | undefined;

  constructor(private readonly intervalMs: number) {}

  get state(): HealthState { return this.current; }

  onDidChange(listener: (s: HealthState) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Starts polling `fetchHealth` (replacing any earlier source). */
  start(fetchHealth: () => Promise<HealthBody>): Promise<HealthState> {
    this.stop();
    this.source = fetchHealth;
    this.timer = setInterval(() => void this.poll(), this.intervalMs);
    return this.poll();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.source = undefined;
    this.publish({ kind: 'signedOut' });
  }

  /** Polls now (e.g. after an action); shares a request already in flight. */
  poll(): Promise<HealthState> {
    const source = this.source;
    if (!source) return Promise.resolve(this.current);
    this.inFlight ??= source()
      .then((body): HealthState => {
        const nodes = parseHealth(body);
        return { kind: 'ok', nodes, summary: summarizeHealth(nodes), version: body.meta?.version, at: new Date() };
      }, (error: Error): HealthState => ({ kind: 'failed', message: error.message, at: new Date() }))
      .then((state) => (this.source === source ? this.publish(state) : this.current))
      .finally(() => { this.inFlight = undefined; });
    return this.inFlight;
  }

  dispose(): void {
    this.stop();
    this.listeners.clear();
  }

  private publish(state: HealthState): HealthState {
    this.current = state;
    for (const l of this.listeners) l(state);
    return state;
  }
}
