import { t } from '../l10n';
import type { WorkspaceState } from '../workspace/workspaceModel';

/** What the Cluster Nodes view says above the nodes: Restricted Mode, a project name compose refuses, a version the nodes do not run. */
export function nodesViewMessage(state: Pick<WorkspaceState, 'trusted' | 'folder'>, drift: string | undefined): string | undefined {
  return !state.trusted
    ? t('Restricted Mode: containers are shown read-only. Trust this folder (Manage Workspace Trust) to start, stop or connect; until then the extension runs no programs.')
    : state.folder?.projectProblem ?? drift;
}

type Changes = { onDidChange(listener: () => void): { dispose(): void } };

/** Keeps `view.message` up to date as the workspace and the containers change. */
export class NodesViewMessage {
  private readonly subscriptions: Array<{ dispose(): void }>;

  constructor(view: { message?: string }, sources: { workspace: Changes & { readonly state: WorkspaceState }; monitor: Changes; drift(): string | undefined }) {
    const show = (): void => { view.message = nodesViewMessage(sources.workspace.state, sources.drift()); };
    this.subscriptions = [sources.workspace.onDidChange(show), sources.monitor.onDidChange(show)];
    show();
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
