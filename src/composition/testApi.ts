// What activate() returns in Test mode (the extension-host tests and the benchmark); outside Test
// mode it returns nothing of this.
import type { HealthState } from '../cluster/healthPoller';
import { type ProbeEvent, testProbe } from '../testing/testHooks';
import { rowsForSnapshot } from '../views/nodeRows';
import type { HostMessage, PanelMethod, PanelRequests, PanelState } from '../webview/protocol';
import { describeCompose } from '../workspace/workspaceFollower';
import type { Container } from './container';

export interface WabaClusterApi {
  readonly activationMs: number;
  treeSnapshot(): Promise<Array<{ id: string; label: string; description?: string; contextValue?: string }>>;
  health(): HealthState;
  /** Sends one request to the cluster panel's host side, as the webview does (opens the panel). */
  panelRequest<M extends PanelMethod>(method: M, params: PanelRequests[M]['params']): Promise<HostMessage>;
  /** What the cluster panel shows now (opens the panel). */
  panelState(): PanelState;
  /** What the user sees: whether the Cluster Nodes view is showing, its message, and the status-bar item (undefined while hidden). */
  visible(): { nodesView: boolean; viewMessage: string | undefined; statusBar: { text: string; tooltip: string; command?: string } | undefined; engineBar: { text: string; tooltip: string } | undefined };
  /** The workspace as the extension reads it now (folder, project, compose CLI, trust). */
  workspace(): { folder?: string; project?: string; compose: string; trusted: boolean; apiVersion?: string };
  /** Follows what changes on screen, timed (the benchmark's tree and render figures). */
  probe(listener: (event: ProbeEvent & { at: number }) => void): { dispose(): void };
}

export function testApi(c: Container, activationMs: number): WabaClusterApi {
  return {
    activationMs,
    treeSnapshot: async () => rowsForSnapshot(await c.monitor.refresh(), c.health.state.kind === 'ok' ? c.health.state.nodes : [], c.support.shards)
      .map(({ id, label, description, contextValue }) => ({ id, label, description, contextValue })),
    health: () => c.health.state,
    panelRequest: (method, params) => c.showPanel().handle(0, method, params),
    panelState: () => c.showPanel().state(),
    visible: () => ({ nodesView: c.treeView.visible, viewMessage: c.treeView.message, statusBar: c.statusBar.shown, engineBar: c.engineBar.shown }),
    workspace: () => {
      const s = c.workspace.state;
      return { folder: s.folder?.path, project: s.folder?.project, compose: describeCompose(s), trusted: s.trusted, apiVersion: s.folder?.apiVersion };
    },
    probe: (listener) => testProbe.subscribe(listener),
  };
}
