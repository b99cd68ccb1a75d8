import type { ClusterSnapshot } from '../cluster/clusterMonitor';
import type { ContainerNode } from '../cluster/containerNode';

/** A plain-data row of the Cluster Nodes view (also what the test API returns). */
export interface NodeRow {
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  contextValue: string;
  icon: { id: string; color?: string };
}

const STATE_ICONS: Record<string, { id: string; color?: string }> = {
  running: { id: 'debug-start', color: 'debugIcon.startForeground' },
  restarting: { id: 'debug-restart', color: 'problemsWarningIcon.foreground' },
  paused: { id: 'debug-pause' },
  created: { id: 'circle-outline' },
  exited: { id: 'debug-stop', color: 'problemsErrorIcon.foreground' },
  dead: { id: 'debug-stop', color: 'problemsErrorIcon.foreground' },
};

/** The rows the view shows for a snapshot. Empty means the view's welcome content shows. */
export function rowsForSnapshot(snapshot: ClusterSnapshot): NodeRow[] {
  switch (snapshot.kind) {
    case 'loading':
    case 'noClusterFolder':
      return [];
    case 'dockerUnreachable':
      return [{ id: 'dockerUnreachable', label: snapshot.message, tooltip: snapshot.message, contextValue: 'dockerUnreachable', icon: { id: 'error', color: 'problemsErrorIcon.foreground' } }];
    case 'ready':
      return snapshot.nodes.map(rowForContainer);
  }
}

function rowForContainer(node: ContainerNode): NodeRow {
  return {
    id: node.id,
    label: node.service,
    description: `${node.state} · ${node.status}`,
    tooltip: `${node.name}\n${node.image}\n${node.status}`,
    contextValue: `${node.state}Container`,
    icon: STATE_ICONS[node.state] ?? { id: 'question' },
  };
}
