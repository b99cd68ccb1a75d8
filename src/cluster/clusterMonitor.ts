import type { ContainerEvent, EngineEventListener } from '../docker/eventHub';
import type { ContainerNode } from '../docker/containerNode';
import { sortContainerNodes } from '../docker/containerNode';
import { Emitter } from '../emitter';

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
  /** After a refresh caused by an event, further events within this window make one more refresh at its end (compose up emits dozens). */
  debounceMs?: number;
  /** Backstop poll while watching, for changes the event stream missed. */
  pollMs?: number;
  /**
   * Re-read interval while the event stream is lost: an engine shutting down ends the stream
   * first and still answers a listing for a moment, so one read at the loss can show it alive.
   */
  lostPollMs?: number;
}

/** A container's state and short status right after these events (the next read brings Docker's own words). */
const STATE_AFTER: Record<string, { state: string; status: string }> = {
  start: { state: 'running', status: 'Up' },
  restart: { state: 'running', status: 'Up' },
  unpause: { state: 'running', status: 'Up' },
  pause: { state: 'paused', status: 'Paused' },
  die: { state: 'exited', status: 'Exited' },
};

/**
 * Events after which a listing shows nothing new but Docker's "Up 5 minutes": no read for them.
 * Exec events come with every healthcheck, and each repaint closes an open context menu.
 */
const UNSEEN_IN_LISTING = new Set(['kill', 'exec_create', 'exec_start', 'exec_die', 'exec_detach', 'attach', 'detach', 'resize', 'top', 'copy', 'archive-path', 'extract-to-dir', 'export', 'commit']);

/** `exec_start: sh -c …` and `health_status: healthy` carry details after the action's name. */
const changesListing = (action: string): boolean => !UNSEEN_IN_LISTING.has(action.split(':')[0].trim());

/** How long an announced state outweighs listings that disagree (a missed later event cannot pin it). */
const ANNOUNCED_MS = 5_000;

/**
 * Keeps the latest snapshot of one compose project's containers: the engine's event stream (a
 * read at the first event, one more after a burst), plus a slow backstop poll (never a fast poll:
 * that is what made dockerd busy for other tools). The project follows the workspace (`setProject`).
 */
export class ClusterMonitor {
  private current: ClusterSnapshot = { kind: 'loading' };
  private readonly changes = new Emitter<ClusterSnapshot>();
  private events: { dispose(): void } | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private windowTimer: NodeJS.Timeout | undefined;
  private refreshAfterWindow = false;
  private refreshing: Promise<ClusterSnapshot> | undefined;
  private nextRead: Promise<ClusterSnapshot> | undefined;
  private lostTimer: NodeJS.Timeout | undefined;
  /**
   * States the engine's events announced and no listing has shown yet. Docker answers a listing
   * from a copy it updates after the event: a read right after `die` still said "running", and the
   * row flipped back to running for the next 300 ms.
   */
  private readonly announced = new Map<string, { state: string; status: string; was: string; until: number }>();

  constructor(private readonly source: ContainerSource, private project: string | undefined, private readonly options: ClusterMonitorOptions) {
    if (project === undefined) this.current = { kind: 'noClusterFolder' };
  }

  get snapshot(): ClusterSnapshot { return this.current; }

  /** The compose project being watched (undefined: no cluster folder). */
  get projectName(): string | undefined { return this.project; }

  get engine(): EngineLabel { return { endpoint: this.source.endpointDescription, why: this.source.endpointWhy }; }

  onDidChange(listener: (s: ClusterSnapshot) => void): { dispose(): void } {
    return this.changes.subscribe(listener);
  }

  /** Watches another project (the folder, its .env or COMPOSE_PROJECT_NAME changed), or none. */
  setProject(project: string | undefined): void {
    if (project === this.project) return;
    this.project = project;
    this.closeWindow();
    this.announced.clear();
    this.publish(project === undefined ? { kind: 'noClusterFolder' } : { kind: 'loading' });
    if (this.events && project !== undefined) void this.refresh();
  }

  /**
   * Reads the containers now. A read under way began before this call and may miss what changed
   * since: the callers meanwhile share one more read after it, unless that read found the engine
   * gone (a hung engine must not make them wait for two time limits).
   */
  refresh(): Promise<ClusterSnapshot> {
    if (this.refreshing) {
      this.nextRead ??= this.refreshing.then((done) => {
        this.nextRead = undefined;
        return done.kind === 'dockerUnreachable' ? done : this.refresh();
      });
      return this.nextRead;
    }
    this.refreshing = this.read().finally(() => { this.refreshing = undefined; });
    return this.refreshing;
  }

  startWatching(): void {
    if (this.events) return;
    this.events = this.source.events.subscribe({
      event: (e) => { if (this.project !== undefined && e.project === this.project && changesListing(e.action)) { this.applyEvent(e); this.scheduleRefresh(); } },
      // The stream broke (engine restarting, gone): the tree says so now, not at the next poll.
      lost: () => { this.announced.clear(); this.scheduleRefresh(); this.pollWhileLost(); },
      // Events may have been missed while it was away.
      resumed: () => { this.announced.clear(); this.stopLostPoll(); this.scheduleRefresh(); },
    });
    void this.refresh();
    this.pollTimer = setInterval(() => void this.refresh(), this.options.pollMs ?? 30_000);
  }

  stopWatching(): void {
    this.events?.dispose();
    this.events = undefined;
    clearInterval(this.pollTimer);
    this.closeWindow();
    this.announced.clear();
    this.stopLostPoll();
  }

  dispose(): void {
    this.stopWatching();
    this.changes.dispose();
  }

  private closeWindow(): void {
    clearTimeout(this.windowTimer);
    this.windowTimer = undefined;
    this.refreshAfterWindow = false;
  }

  /** Reads now unless a read ran within the window; then once more when the window ends. */
  private scheduleRefresh(): void {
    if (this.windowTimer) { this.refreshAfterWindow = true; return; }
    void this.refresh();
    this.openWindow();
  }

  /** Reads asked for until the window ends wait for it, then share one read. */
  private openWindow(): void {
    this.windowTimer = setTimeout(() => {
      this.windowTimer = undefined;
      if (!this.refreshAfterWindow) return;
      this.refreshAfterWindow = false;
      this.scheduleRefresh();
    }, this.options.debounceMs ?? 300);
  }

  /**
   * The engine's event says what a known container's state is now: the row shows it as soon as the
   * event arrives, as `docker events` does, and the read that follows fills in Docker's status text.
   */
  private applyEvent(e: ContainerEvent): void {
    const current = this.current;
    const node = current.kind === 'ready' ? current.nodes.find((n) => n.id === e.id) : undefined;
    if (current.kind !== 'ready' || !node) return;
    if (e.action === 'destroy') { this.publish({ ...current, nodes: current.nodes.filter((n) => n !== node) }); return; }
    const state = STATE_AFTER[e.action];
    if (!state || node.state === state.state) return;
    this.announced.set(e.id, { ...state, was: node.state, until: Date.now() + ANNOUNCED_MS });
    this.publish({ ...current, nodes: current.nodes.map((n) => (n.id === e.id ? { ...n, ...state } : n)) });
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
      snapshot = { kind: 'ready', project, nodes: sortContainerNodes(this.withAnnounced(nodes)), engine: this.engine };
    } catch (error) {
      snapshot = { kind: 'dockerUnreachable', message: this.options.describeError(error, this.source.endpointDescription), engine: this.engine };
    }
    // The project changed while reading: that answer is of no use any more.
    return project === this.project ? this.publish(snapshot) : this.read();
  }

  /**
   * A listing that still shows the state from before an event keeps the announced one, and is read
   * again shortly; any other state in it is newer than the event (`restarting` after `die`) and wins.
   */
  private withAnnounced(nodes: ContainerNode[]): ContainerNode[] {
    if (this.announced.size === 0) return nodes;
    const now = Date.now();
    let behind = false;
    const merged = nodes.map((n) => {
      const announced = this.announced.get(n.id);
      if (!announced) return n;
      if (n.state !== announced.was || now > announced.until) { this.announced.delete(n.id); return n; }
      behind = true;
      return { ...n, state: announced.state, status: announced.status };
    });
    for (const id of this.announced.keys()) if (!nodes.some((n) => n.id === id)) this.announced.delete(id);
    if (behind) this.readAfterWindow();
    return merged;
  }

  /** One more read when the window ends (opened now if none is), for Docker's own words. */
  private readAfterWindow(): void {
    if (!this.events) return; // not watching (stopped, disposed): no timers
    this.refreshAfterWindow = true;
    if (!this.windowTimer) this.openWindow();
  }

  private publish(snapshot: ClusterSnapshot): ClusterSnapshot {
    this.current = snapshot;
    this.changes.fire(snapshot);
    return snapshot;
  }
}
