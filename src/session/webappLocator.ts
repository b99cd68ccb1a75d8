import type { WabaAddress } from '../api/wabaClient';
import type { ClusterMonitor } from '../cluster/clusterMonitor';
import { webappAddress } from '../docker/containerNode';

/** Where the cluster's webapp is reachable, and when that changes (containers started, stopped, re-created). */
export interface WebappLocator {
  /** The address now; reads the containers when they were not read yet. */
  locate(): Promise<WabaAddress | undefined>;
  onDidChange(listener: (address: WabaAddress | undefined) => void): { dispose(): void };
}

/** The webapp as the cluster monitor sees it: the container that publishes port 443. */
export function monitorLocator(monitor: Pick<ClusterMonitor, 'snapshot' | 'refresh' | 'onDidChange'>): WebappLocator {
  return {
    locate: async () => {
      const snapshot = monitor.snapshot.kind === 'ready' ? monitor.snapshot : await monitor.refresh();
      return snapshot.kind === 'ready' ? webappAddress(snapshot.nodes) : undefined;
    },
    onDidChange: (listener) => monitor.onDidChange((s) => listener(s.kind === 'ready' ? webappAddress(s.nodes) : undefined)),
  };
}

export function sameAddress(a: WabaAddress | undefined, b: WabaAddress | undefined): boolean {
  return a !== undefined && b !== undefined && a.host === b.host && a.port === b.port;
}
