import type { ClusterSnapshot } from '../cluster/clusterMonitor';
import { NodeHealth, healthOfContainer } from '../cluster/clusterHealth';
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

const GATEWAY_ICONS: Record<string, { id: string; color?: string }> = {
  connected: { id: 'pass-filled', color: 'testing.iconPassed' },
  connecting: { id: 'sync', color: 'testing.iconQueued' },
  disconnected: { id: 'circle-large-outline' },
  unregistered: { id: 'warning', color: 'problemsWarningIcon.foreground' },
  uninitialized: { id: 'history', color: 'problemsWarningIcon.foreground' },
};

/** The rows the view shows. Empty means the view's welcome content shows. */
export function rowsForSnapshot(snapshot: ClusterSnapshot, health: readonly NodeHealth[] = []): NodeRow[] {
  switch (snapshot.kind) {
    case 'loading':
    case 'noClusterFolder':
      return [];
    case 'dockerUnreachable':
      return [{ id: 'dockerUnreachable', label: snapshot.message, tooltip: withEngine(snapshot.message, snapshot), contextValue: 'dockerUnreachable', icon: { id: 'error', color: 'problemsErrorIcon.foreground' } }];
    case 'ready':
      return snapshot.nodes.map((node) => {
        const row = rowForContainer(node, node.state === 'running' ? healthOfContainer(node, health) : undefined);
        return { ...row, tooltip: withEngine(row.tooltip ?? '', snapshot) };
      });
  }
}

/** Which engine the view shows and why that one, e.g. "Docker: unix:///… (context `desktop-linux`)". */
export function engineLine(snapshot: ClusterSnapshot): string | undefined {
  if (snapshot.kind !== 'ready' && snapshot.kind !== 'dockerUnreachable') return undefined;
  const engine = snapshot.engine;
  return engine && `Docker: ${engine.endpoint}${engine.why ? ` (${engine.why})` : ''}`;
}

function withEngine(tooltip: string, snapshot: ClusterSnapshot): string {
  const line = engineLine(snapshot);
  return line ? `${tooltip}\n${line}` : tooltip;
}

function rowForContainer(node: ContainerNode, health: NodeHealth | undefined): NodeRow {
  const base = { id: node.id, label: node.service, contextValue: `${node.state}Container` };
  const dockerLine = `${node.name} · ${node.image}\n${node.status}`;
  if (health?.error) {
    const e = health.error;
    return { ...base, description: `${e.code} ${e.title}`, tooltip: `${dockerLine}\n${health.key}: ${e.code} ${e.title}${e.details ? ` — ${e.details}` : ''}`, icon: { id: 'error', color: 'problemsErrorIcon.foreground' } };
  }
  if (health?.gatewayStatus) {
    const role = health.role ?? 'node';
    return { ...base, description: `${role} · ${health.gatewayStatus}`, tooltip: `${dockerLine}\n${health.key}: role ${role}, gateway_status ${health.gatewayStatus}`, icon: GATEWAY_ICONS[health.gatewayStatus] ?? { id: 'question' } };
  }
  return { ...base, description: `${node.state} · ${node.status}`, tooltip: dockerLine, icon: STATE_ICONS[node.state] ?? { id: 'question' } };
}
