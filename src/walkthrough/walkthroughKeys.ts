// The context keys the guide's walkthrough steps complete on (package.json contributes.walkthroughs),
// computed from what the extension already knows: the container snapshot and the health poll.
import type { ClusterSnapshot } from '../cluster/clusterMonitor';
import type { HealthState } from '../cluster/healthPoller';

export interface WalkthroughKeys {
  /** A container of the cluster runs (Start Cluster). */
  'wabaCluster.clusterRunning': boolean;
  /** Every container of the cluster is up, as `docker-compose ps` should show in the guide. */
  'wabaCluster.allContainersUp': boolean;
  /** Logged in to the webapp and reading `ROUTES.health`. */
  'wabaCluster.connected': boolean;
  /** A registration code was requested (`ROUTES.requestCode`), or the number is registered already. */
  'wabaCluster.codeRequested': boolean;
  /** The code was verified: no node is `unregistered` and the nodes report a gateway status. */
  'wabaCluster.registered': boolean;
  /** Coreapps connected to WhatsApp: the shard count in force (Multiconnect: one per shard). 0 before registration. */
  'wabaCluster.shards': number;
  /** Registered coreapps that are disconnected: standbys, ready to take over a shard. */
  'wabaCluster.standbyCoreapps': number;
}

export interface WalkthroughFacts {
  snapshot: ClusterSnapshot;
  health: HealthState;
  /** The cluster panel sent `ROUTES.requestCode` successfully during this session. */
  codeRequested: boolean;
}

export function walkthroughKeys({ snapshot, health, codeRequested }: WalkthroughFacts): WalkthroughKeys {
  const containers = snapshot.kind === 'ready' ? snapshot.nodes : [];
  const nodes = health.kind === 'ok' ? health.nodes : [];
  const statuses = nodes.map((n) => n.gatewayStatus).filter((s) => s !== undefined);
  const registered = statuses.some((s) => s === 'connected' || s === 'disconnected' || s === 'connecting') && !statuses.includes('unregistered');
  const coreapps = registered ? nodes.filter((n) => n.role === 'coreapp' && !n.error) : [];
  return {
    'wabaCluster.clusterRunning': containers.some((c) => c.state === 'running'),
    'wabaCluster.allContainersUp': containers.length > 0 && containers.every((c) => c.state === 'running'),
    'wabaCluster.connected': health.kind === 'ok',
    'wabaCluster.codeRequested': codeRequested || registered,
    'wabaCluster.registered': registered,
    'wabaCluster.shards': coreapps.filter((n) => n.gatewayStatus === 'connected').length,
    'wabaCluster.standbyCoreapps': coreapps.filter((n) => n.gatewayStatus === 'disconnected').length,
  };
}

/** The keys whose value differs between two computations (all of them when there is no previous one). */
export function changedKeys(previous: Partial<WalkthroughKeys>, next: WalkthroughKeys): Array<[keyof WalkthroughKeys, boolean | number]> {
  return (Object.entries(next) as Array<[keyof WalkthroughKeys, boolean | number]>).filter(([key, value]) => previous[key] !== value);
}
