import { formatSince } from './logFrames';

/** A container lifecycle event of the engine's event stream. */
export interface ContainerEvent {
  action: string;
  id: string;
  service?: string;
  project?: string;
  /** The engine's time of the event, in nanoseconds since the epoch (digits). */
  timeNano?: string;
}

/** What the hub needs from the engine: its container event stream, from a point in time. */
export interface ContainerEventStream {
  /** Opens the stream (only events after `since`, Docker's `seconds.nanoseconds`); resolves to its stop function. */
  openContainerEvents(since: string | undefined, onEvent: (event: ContainerEvent) => void, onEnd: (error?: Error) => void): Promise<() => void>;
}

export interface EngineEventListener {
  event?(event: ContainerEvent): void;
  /** The stream broke or could not open (engine restarting, gone, hung); the hub keeps trying. */
  lost?(error: Error | undefined): void;
  /** The stream is open again after it was lost: things may have changed meanwhile. */
  resumed?(): void;
}

export interface EventHubOptions {
  /** Wait before the n-th consecutive attempt to reopen (n from 0). */
  retryDelayMs?(attempt: number): number;
}

/**
 * The one container event stream of an engine, shared by every consumer (the monitor, each log
 * tail). Opened while someone listens; when it ends it reopens by itself, from just after the
 * last event it saw, so nothing in between is missed.
 */
export class DockerEventHub {
  private readonly listeners = new Set<EngineEventListener>();
  private stopStream: (() => void) | undefined;
  private opening = false;
  private generation = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private attempt = 0;
  private lostSince: Error | undefined | null = null; // null: not lost
  private lastTimeNano: bigint | undefined;

  constructor(private readonly source: ContainerEventStream, private readonly options: EventHubOptions = {}) {}

  /** Whether the stream is open now. */
  get isOpen(): boolean { return this.stopStream !== undefined; }

  subscribe(listener: EngineEventListener): { dispose(): void } {
    this.listeners.add(listener);
    if (this.listeners.size === 1) void this.open();
    return {
      dispose: () => {
        if (this.listeners.delete(listener) && this.listeners.size === 0) this.close();
      },
    };
  }

  dispose(): void {
    this.listeners.clear();
    this.close();
  }

  private async open(): Promise<void> {
    if (this.stopStream || this.opening || this.listeners.size === 0) return;
    this.opening = true;
    clearTimeout(this.retryTimer);
    const generation = this.generation;
    const current = (): boolean => generation === this.generation;
    try {
      const stop = await this.source.openContainerEvents(this.since(), (e) => { if (current()) this.deliver(e); }, (error) => { if (current()) this.lose(error); });
      if (!current()) { stop(); return; }
      this.stopStream = stop;
      this.attempt = 0;
      if (this.lostSince !== null) {
        this.lostSince = null;
        for (const l of [...this.listeners]) l.resumed?.();
      }
    } catch (error) {
      if (current()) this.lose(error as Error);
    } finally {
      this.opening = false;
      // closed and subscribed again while this attempt was opening: open for the new subscribers
      if (!current() && this.listeners.size > 0) void this.open();
    }
  }

  private deliver(event: ContainerEvent): void {
    if (event.timeNano) this.lastTimeNano = BigInt(event.timeNano);
    for (const l of [...this.listeners]) l.event?.(event);
  }

  private lose(error: Error | undefined): void {
    this.stopStream?.();
    this.stopStream = undefined;
    if (this.lostSince === null) {
      this.lostSince = error;
      for (const l of [...this.listeners]) l.lost?.(error);
    }
    const delay = this.options.retryDelayMs?.(this.attempt) ?? Math.min(250 * 2 ** this.attempt, 5_000);
    this.attempt++;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.open(), delay);
  }

  private close(): void {
    this.generation++;
    clearTimeout(this.retryTimer);
    this.stopStream?.();
    this.stopStream = undefined;
    this.attempt = 0;
  }

  /** Just after the last event seen (Docker's `since` is inclusive). */
  private since(): string | undefined {
    return this.lastTimeNano === undefined ? undefined : formatSince(this.lastTimeNano + 1n);
  }
}
