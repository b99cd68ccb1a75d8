import type { ClusterSnapshot } from '../cluster/clusterMonitor';
import { NodeHealth, NodeShards, conflictingNodes, healthOfContainer } from '../cluster/clusterHealth';
import type { ContainerNode } from '../docker/containerNode';
import { anyShardOwned, shardPart, shardText } from '../topology/shardMap';
import { t } from '../l10n';

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

/**
 * The rows the view shows. Empty means the view's welcome content shows. `shards` (from
 * `/v1/support`) adds each node's part in the shard map: its shards, the control shard, standby.
 */
export function rowsForSnapshot(snapshot: ClusterSnapshot, health: readonly NodeHealth[] = [], shards: readonly NodeShards[] = []): NodeRow[] {
  switch (snapshot.kind) {
    case 'loading':
    case 'noClusterFolder':
      return [];
    case 'dockerUnreachable':
      return [{ id: 'dockerUnreachable', label: snapshot.message, tooltip: withEngine(snapshot.message, snapshot), contextValue: 'dockerUnreachable', icon: { id: 'error', color: 'problemsErrorIcon.foreground' } }];
    case 'ready': {
      const owned = anyShardOwned(shards);
      const conflicts = conflictingNodes(health, shards);
      return snapshot.nodes.map((node) => {
        const running = node.state === 'running';
        const h = running ? healthOfContainer(node, health) : undefined;
        const s = running ? healthOfContainer(node, shards) : undefined;
        const row = rowForContainer(node, h, shardText(shardPart(h, s, owned)), conflicts.get(h?.key ?? s?.key ?? ''));
        return { ...row, tooltip: withEngine(row.tooltip ?? '', snapshot) };
      });
    }
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

function rowForContainer(node: ContainerNode, health: NodeHealth | undefined, shards?: string, conflict?: string): NodeRow {
  const base = { id: node.id, label: node.service, contextValue: `${node.state}Container` };
  const dockerLine = `${node.name} · ${node.image}\n${node.status}`;
  if (health?.error) {
    const e = health.error;
    return { ...base, description: `${e.code} ${e.title}`, tooltip: `${dockerLine}\n${health.key}: ${e.code} ${e.title}${e.details ? ` — ${e.details}` : ''}`, icon: { id: 'error', color: 'problemsErrorIcon.foreground' } };
  }
  if (health?.gatewayStatus) {
    const role = health.role ?? 'node';
    const tooltip = `${dockerLine}\n${health.key}: role ${role}, gateway_status ${health.gatewayStatus}${shards ? `, ${shards}` : ''}`;
    const description = [role, health.gatewayStatus, shards, conflict && `⚠ ${conflict}`].filter(Boolean).join(' · ');
    if (conflict) return { ...base, description, tooltip: `${tooltip}\n${t('Impossible state: {0}. The client guarantees one primary master and one owner per shard; run WABA: Diagnose Cluster.', conflict)}`, icon: { id: 'error', color: 'problemsErrorIcon.foreground' } };
    return { ...base, description, tooltip, icon: GATEWAY_ICONS[health.gatewayStatus] ?? { id: 'question' } };
  }
  return { ...base, description: `${node.state} · ${node.status}`, tooltip: dockerLine, icon: STATE_ICONS[node.state] ?? { id: 'question' } };
}
