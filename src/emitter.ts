/**
 * The listeners of one kind of change. A listener may subscribe or unsubscribe (itself or another)
 * while a change is told: it is told to the listeners subscribed when it began, and not to one
 * unsubscribed meanwhile.
 */
export class Emitter<T> {
  private readonly listeners = new Set<(value: T) => void>();

  /** Subscribes `listener`; dispose() unsubscribes it. */
  subscribe(listener: (value: T) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => { this.listeners.delete(listener); } };
  }

  get hasListeners(): boolean { return this.listeners.size > 0; }

  fire(value: T): void {
    for (const listener of [...this.listeners]) if (this.listeners.has(listener)) listener(value);
  }

  dispose(): void {
    this.listeners.clear();
  }
}
