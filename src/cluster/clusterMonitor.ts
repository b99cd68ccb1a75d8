import type { EngineEventListener } from '../docker/eventHub';
import type { ContainerNode } from './containerNode';
import { sortContainerNodes } from './containerNode';

/** Which engine the snapshot comes from, and why that one ("context `desktop-linux`", "default socket"). */
export interface EngineLabel { endpoint: string; why?: string }

export type ClusterSnapshot =
  | { kind: 'loading' }
  | { kind: 'noClusterFolder' }
  | { kind: 'dockerUnreachable'; message: string; engine?: EngineLabel }
  | { kind: 'ready'; project: string; nodes: ContainerNode[]; engine?: EngineLabel };

/** What the monitor needs from Docker; DockerClient implements it. */
export interface ContainerSource {
  readonly endpointDescription: string;
  readonly endpointWhy?: string;
  /** The engine's shared container event stream. */
  readonly events: { subscribe(listener: EngineEventListener): { dispose(): void } };
  listProjectContainers(project: string): Promise<ContainerNode[]>;
}

export interface ClusterMonitorOptions {
  describeError(error: unknown, endpointDescription: string): string;
  /** Coalesces bursts of Docker events (compose up emits dozens) into one refresh. */
  debounceMs?: number;
  /** Backstop poll while watching, for changes the event stream missed. */
  pollMs?: number;
  /**
   * Re-read interval while the event stream is lost: an engine shutting down ends the stream
   * first and still answers a listing for a moment, so one read at the loss can show it alive.
   */
  lostPollMs?: number;
}

/**
 * Keeps the latest snapshot of one compose project's containers: the engine's event stream,
 * debounced, plus a slow backstop poll (never a fast poll: that is what made dockerd busy for
 * other tools). The project follows the workspace (`setProject`).
 */
export class ClusterMonitor {
  private current: ClusterSnapshot = { kind: 'loading' };
  private readonly listeners = new Set<(s: ClusterSnapshot) => void>();
  private events: { dispose(): void } | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private debounceTimer: NodeJS.Timeout | undefined;
  private refreshing: Promise<ClusterSnapshot> | undefined;
  private lostTimer: NodeJS.Timeout | undefined;

  constructor(private readonly source: ContainerSource, private project: string | undefined, private readonly options: ClusterMonitorOptions) {
    if (project === undefined) this.current = { kind: 'noClusterFolder' };
  }

  get snapshot(): ClusterSnapshot { return this.current; }

  /** The compose project being watched (undefined: no cluster folder). */
  get projectName(): string | undefined { return this.project; }

  get engine(): EngineLabel { return { endpoint: this.source.endpointDescription, why: this.source.endpointWhy }; }

  onDidChange(listener: (s: ClusterSnapshot) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Watches another project (the folder, its .env or COMPOSE_PROJECT_NAME changed), or none. */
  setProject(project: string | undefined): void {
    if (project === this.project) return;
    this.project = project;
    clearTimeout(this.debounceTimer);
    this.publish(project === undefined ? { kind: 'noClusterFolder' } : { kind: 'loading' });
    if (this.events && project !== undefined) void this.refresh();
  }

  /** Reads the containers now. Concurrent callers share one engine round-trip. */
  refresh(): Promise<ClusterSnapshot> {
    this.refreshing ??= this.read().finally(() => { this.refreshing = undefined; });
    return this.refreshing;
  }

  startWatching(): void {
    if (this.events) return;
    this.events = this.source.events.subscribe({
      event: (e) => { if (this.project !== undefined && e.project === this.project) this.scheduleRefresh(); },
      // The stream broke (engine restarting, gone): the tree says so now, not at the next poll.
      lost: () => { this.scheduleRefresh(); this.pollWhileLost(); },
      // Events may have been missed while it was away.
      resumed: () => { this.stopLostPoll(); this.scheduleRefresh(); },
    });
    void this.refresh();
    this.pollTimer = setInterval(() => void this.refresh(), this.options.pollMs ?? 30_000);
  }

  stopWatching(): void {
    this.events?.dispose();
    this.events = undefined;
    clearInterval(this.pollTimer);
    clearTimeout(this.debounceTimer);
    this.stopLostPoll();
  }

  dispose(): void {
    this.stopWatching();
    this.listeners.clear();
  }

  private scheduleRefresh(): void {
    clearTimeout(this.debounceTimer);
    this.debounceTimer = setTimeout(() => void this.refresh(), this.options.debounceMs ?? 300);
  }

  private pollWhileLost(): void {
    this.stopLostPoll();
    this.lostTimer = setInterval(() => void this.refresh(), this.options.lostPollMs ?? 1_000);
  }

  private stopLostPoll(): void {
    clearInterval(this.lostTimer);
    this.lostTimer = undefined;
  }

  private async read(): Promise<ClusterSnapshot> {
    const project = this.project;
    if (project === undefined) return this.publish({ kind: 'noClusterFolder' });
    let snapshot: ClusterSnapshot;
    try {
      const nodes = await this.source.listProjectContainers(project);
      snapshot = { kind: 'ready', project, nodes: sortContainerNodes(nodes), engine: this.engine };
    } catch (error) {
      snapshot = { kind: 'dockerUnreachable', message: this.options.describeError(error, this.source.endpointDescription), engine: this.engine };
    }
    // The project changed while reading: that answer is of no use any more.
    return project === this.project ? this.publish(snapshot) : this.read();
  }

  private publish(snapshot: ClusterSnapshot): ClusterSnapshot {
    this.current = snapshot;
    for (const l of this.listeners) l(snapshot);
    return snapshot;
  }
}
