import type { WorkspaceAspect, WorkspaceChange, WorkspaceState } from './workspaceModel';

/** Who depends on which part of the workspace; the extension passes the engine, monitor, tails, poller and VS Code's context key. */
export interface WorkspaceFollowers {
  /** The `wabaCluster.dockerHost` setting changed: talk to that engine from now on. */
  switchEngine(dockerHost: string): void;
  /** The compose project to watch (monitor, log tails); undefined without a cluster folder. */
  setProject(project: string | undefined): void;
  /** Whether a cluster folder is open (the view's welcome text, the menus). */
  setHasClusterFolder(has: boolean): void;
  setHealthIntervalMs(ms: number): void;
  log: { info(message: string): void; warn(message: string): void };
}

/**
 * How the extension follows the workspace without a window reload: each change of the folder, its
 * files, the settings or trust reaches only those that depend on the changed aspect, and is logged.
 */
export class WorkspaceFollower {
  private readonly subscription: { dispose(): void };

  constructor(workspace: { readonly state: WorkspaceState; onDidChange(listener: (change: WorkspaceChange) => void): { dispose(): void } }, private readonly followers: WorkspaceFollowers) {
    followers.setHasClusterFolder(workspace.state.folder !== undefined);
    this.subscription = workspace.onDidChange(({ state, aspects }) => this.follow(state, aspects));
  }

  dispose(): void {
    this.subscription.dispose();
  }

  private follow(state: WorkspaceState, aspects: ReadonlySet<WorkspaceAspect>): void {
    const f = this.followers;
    if (aspects.has('dockerHost')) f.switchEngine(state.settings.dockerHost);
    if (aspects.has('folder') || aspects.has('project')) {
      f.setProject(state.folder?.project);
      f.setHasClusterFolder(state.folder !== undefined);
    }
    if (aspects.has('healthPollSeconds')) f.setHealthIntervalMs(state.settings.healthPollSeconds * 1000);
    if (aspects.has('compose') && state.compose.kind === 'problem') f.log.warn(state.compose.error.message);
    f.log.info(`Workspace changed (${[...aspects].join(', ')}): folder ${state.folder?.path ?? 'none'}, project ${state.folder?.project ?? '-'}, compose ${describeCompose(state)}, WA_API_VERSION ${state.folder?.apiVersion ?? 'unset'}`);
  }
}

/** For the log and the test API (English, like every log line). */
export function describeCompose(state: WorkspaceState): string {
  const c = state.compose;
  return c.kind === 'ready' ? `${c.cli.label} ${c.cli.version} (${c.cli.flavor})` : c.kind === 'untrusted' ? 'not run (Restricted Mode)' : `none (${c.error.message})`; // l10n-ignore: log line
}
