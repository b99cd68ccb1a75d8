/**
 * Work that must finish while the session still runs: VS Code awaits deactivate() before it
 * disposes the subscriptions, but does not await a dispose().
 */
export class BeforeDeactivate {
  private readonly work = new Set<() => Promise<unknown>>();

  /** Runs `work` at deactivation; dispose() takes it back. */
  add(work: () => Promise<unknown>): { dispose(): void } {
    this.work.add(work);
    return { dispose: () => { this.work.delete(work); } };
  }

  run(): Promise<unknown> | undefined {
    if (this.work.size === 0) return undefined;
    return Promise.all([...this.work].map((w) => w()));
  }
}
