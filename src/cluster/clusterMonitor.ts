import type { ContainerNode } from './containerNode';
import { sortContainerNodes } from './containerNode';

export type ClusterSnapshot =
  | { kind: 'loading' }
  | { kind: 'noClusterFolder' }
  | { kind: 'dockerUnreachable'; message: string }
  | { kind: 'ready'; project: string; nodes: ContainerNode[] };

/** What the monitor needs from Docker; DockerClient implements it. */
export interface ContainerSource {
  readonly endpointDescription: string;
  listProjectContainers(project: string): Promise<ContainerNode[]>;
  watchProjectEvents(project: string, onEvent: (event: { action: string; id: string; service?: string }) => void, onEnd: (error?: Error) => void): Promise<() => void>;
}

export interface ClusterMonitorOptions {
  describeError(error: unknown, endpointDescription: string): string;
  /** Coalesces bursts of Docker events (compose up emits dozens) into one refresh. */
  debounceMs?: number;
  /** Backstop poll while watching, for changes the event stream missed. */
  pollMs?: number;
}

/**
 * Keeps the latest snapshot of one compose project's containers: Docker's event stream, debounced,
 * plus a slow backstop poll (never a fast poll: that is what made dockerd busy for other tools).
 */
export class ClusterMonitor {
  private current: ClusterSnapshot = { kind: 'loading' };
  private readonly listeners = new Set<(s: ClusterSnapshot) => void>();
  private stopEvents: (() => void) | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private debounceTimer: NodeJS.Timeout | undefined;
  private watching = false;
  private refreshing: Promise<ClusterSnapshot> | undefined;
  private subscribing: Promise<void> | undefined;

  constructor(private readonly source: ContainerSource, private readonly project: string | undefined, private readonly options: ClusterMonitorOptions) {
    if (project === undefined) this.current = { kind: 'noClusterFolder' };
  }

  get snapshot(): ClusterSnapshot { return this.current; }

  onDidChange(listener: (s: ClusterSnapshot) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Reads the containers now. Concurrent callers share one engine round-trip. */
  refresh(): Promise<ClusterSnapshot> {
    this.refreshing ??= this.read().finally(() => { this.refreshing = undefined; });
    return this.refreshing;
  }

  startWatching(): void {
    if (this.watching) return;
    this.watching = true;
    void this.refresh();
    void this.subscribe();
    this.pollTimer = setInterval(() => void this.refresh(), this.options.pollMs ?? 30_000);
  }

  stopWatching(): void {
    this.watching = false;
    this.stopEvents?.();
    this.stopEvents = undefined;
    clearInterval(this.pollTimer);
    clearTimeout(this.debounceTimer);
  }

  dispose(): void {
    this.stopWatching();
    this.listeners.clear();
  }

  /** Opens the event stream unless one is open or opening; only the current stream may clear itself. */
  private subscribe(): Promise<void> {
    if (this.project === undefined || this.stopEvents || this.subscribing) return this.subscribing ?? Promise.resolve();
    const project = this.project;
    this.subscribing = (async () => {
      let stop: (() => void) | undefined;
      try {
        stop = await this.source.watchProjectEvents(project, () => this.scheduleRefresh(), () => {
          // The stream ended (engine restarted?): the backstop poll resubscribes.
          if (this.stopEvents === stop) this.stopEvents = undefined;
        });
        if (this.watching) this.stopEvents = stop;
        else stop();
      } catch {
        // the next poll tries again
      } finally {
        this.subscribing = undefined;
      }
    })();
    return this.subscribing;
  }

  private scheduleRefresh(): void {
    clearTimeout(this.debounceTimer);
    this.debounceTimer = setTimeout(() => void this.refresh(), this.options.debounceMs ?? 300);
  }

  private async read(): Promise<ClusterSnapshot> {
    if (this.project === undefined) return this.publish({ kind: 'noClusterFolder' });
    try {
      const nodes = await this.source.listProjectContainers(this.project);
      if (this.watching && !this.stopEvents) void this.subscribe();
      return this.publish({ kind: 'ready', project: this.project, nodes: sortContainerNodes(nodes) });
    } catch (error) {
      return this.publish({ kind: 'dockerUnreachable', message: this.options.describeError(error, this.source.endpointDescription) });
    }
  }

  private publish(snapshot: ClusterSnapshot): ClusterSnapshot {
    this.current = snapshot;
    for (const l of this.listeners) l(snapshot);
    return snapshot;
  }
}
