import { NodeShards, parseShardOwnership } from '../cluster/clusterHealth';
import type { HealthState } from '../cluster/healthPoller';
import { parseSupportBody, type SupportNode } from '../contract';
import { Emitter } from '../emitter';

export type SupportState =
  | { kind: 'none' }
  | { kind: 'ok'; nodes: SupportNode[]; shards: NodeShards[]; at: Date }
  | { kind: 'failed'; message: string; at: Date };

export interface SupportFeedPorts {
  health: { readonly state: HealthState; onDidChange(listener: (s: HealthState) => void): { dispose(): void } };
  /** `GET /v1/support` of the logged-in session; undefined when not connected. */
  fetchSupport(): Promise<unknown> | undefined;
  now?(): number;
}

/**
 * The shard map as the nodes report it (`GET /v1/support`), read after each health answer, so the
 * tree, the status bar and the topology show who owns which shard at the pace of the health poll,
 * without a poll of its own. One request at a time; an answer that comes in while another health
 * answer arrived is followed by one more read.
 */
export class SupportFeed {
  private current: SupportState = { kind: 'none' };
  private readonly changes = new Emitter<SupportState>();
  private readonly subscription: { dispose(): void };
  private inFlight = false;
  private again = false;

  constructor(private readonly ports: SupportFeedPorts) {
    this.subscription = ports.health.onDidChange((s) => this.follow(s));
  }

  get state(): SupportState { return this.current; }

  /** The shard map of the last good answer (empty when there is none). */
  get shards(): NodeShards[] { return this.current.kind === 'ok' ? this.current.shards : []; }

  onDidChange(listener: (s: SupportState) => void): { dispose(): void } {
    return this.changes.subscribe(listener);
  }

  /** Reads now; resolves when the state is up to date. */
  async read(): Promise<SupportState> {
    if (this.inFlight) { this.again = true; return this.current; }
    const request = this.ports.fetchSupport();
    if (!request) return this.publish({ kind: 'none' });
    this.inFlight = true;
    const at = new Date(this.ports.now?.() ?? Date.now());
    try {
      const nodes = parseSupportBody(await request);
      this.publish({ kind: 'ok', nodes, shards: parseShardOwnership(nodes), at });
    } catch (error) {
      this.publish({ kind: 'failed', message: (error as Error).message, at });
    } finally {
      this.inFlight = false;
    }
    if (this.again) {
      this.again = false;
      return this.read();
    }
    return this.current;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changes.dispose();
  }

  private follow(health: HealthState): void {
    if (health.kind === 'signedOut') { this.publish({ kind: 'none' }); return; }
    // A rate-limited poll repeats the last health: the shard map has not been asked again either.
    if (health.kind === 'ok' && !health.backoff) void this.read();
  }

  private publish(state: SupportState): SupportState {
    if (state.kind === 'none' && this.current.kind === 'none') return state;
    this.current = state;
    this.changes.fire(state);
    return state;
  }
}
