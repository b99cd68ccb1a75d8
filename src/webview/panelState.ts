import type { ClusterSnapshot } from '../cluster/clusterMonitor';
import type { HealthState } from '../cluster/healthPoller';
import type { WabaAddress } from '../api/wabaClient';
import type { PanelState } from './protocol';

/** What the panel shows, from the container snapshot, the health poll and the session. */
export function panelState(snapshot: ClusterSnapshot, health: HealthState, connectedAs: string | undefined, folder: string | undefined, address?: WabaAddress): PanelState {
  const nodes = snapshot.kind === 'ready' ? snapshot.nodes : [];
  const state: PanelState = {
    folder,
    webapp: address && `https://${address.host}:${address.port}`,
    connectedAs,
    runningCoreapps: nodes.filter((n) => n.state === 'running' && /^wacore/.test(n.service)).length,
  };
  const backoff = health.kind !== 'signedOut' && health.backoff ? { backoff: { message: health.backoff.message, retryAt: health.backoff.retryAt.toISOString() } } : {};
  if (health.kind === 'ok') {
    state.health = {
      kind: 'ok', level: health.summary.level, summary: health.summary.text, problems: health.summary.problems, version: health.version, at: health.at.toISOString(),
      rows: health.nodes.map((n) => ({ key: n.key, role: n.role, gatewayStatus: n.gatewayStatus, error: n.error && `${n.error.code} ${n.error.title}` })), ...backoff,
    };
  } else if (health.kind === 'failed') {
    state.health = { kind: 'failed', message: health.message, at: health.at.toISOString(), ...backoff };
  }
  return state;
}
