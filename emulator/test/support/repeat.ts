/** Calls fn every intervalMs without waiting for earlier calls to finish; stop() waits for those in flight. */
export class Repeater {
  private timer?: NodeJS.Timeout;
  private readonly inflight = new Set<Promise<void>>();

  constructor(private readonly intervalMs: number, private readonly fn: () => Promise<void>) {}

  start(): void {
    this.timer = setInterval(() => {
      const p: Promise<void> = this.fn().finally(() => this.inflight.delete(p));
      this.inflight.add(p);
    }, this.intervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all([...this.inflight]);
  }
}
