import { ClusterFolder, ReadOptions, findClusterFolder } from '../compose/clusterFolder';
import { ComposeCli, ComposeSettingError, Probe, checkComposeSetting, resolveComposeCli } from '../compose/composeCli';
import { t } from '../l10n';
import { Emitter } from '../emitter';

/** The extension's settings, as read now (composeCommand unchecked: it may come from any settings file). */
export interface WabaSettings {
  composeCommand: unknown;
  dockerHost: string;
  healthPollSeconds: number;
  /** Lines a log channel holds before it is cleared; 0: all. */
  logMaxLines: number;
  /** How fast the user expects a dead node's role to move (Diagnose compares the settings with it). */
  failoverExpectationSeconds: number;
}

/** What the model reads and watches; the extension gives it VS Code's, tests give it fakes. */
export interface WorkspacePorts {
  folders(): readonly string[];
  settings(): WabaSettings;
  isTrusted(): boolean;
  /** The extension host's environment (COMPOSE_*, WA_API_VERSION of the shell that started VS Code). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Runs `… version --short` of a compose candidate. */
  readonly probe: Probe;
  /** Calls back when folders, settings, trust or a file in a workspace folder may have changed. */
  watch(onChange: () => void): { dispose(): void };
}

/** Which compose CLI runs, or why none does. */
export type ComposeState =
  | { kind: 'ready'; cli: ComposeCli }
  /** Restricted Mode: no program is run, not even to ask for its version. */
  | { kind: 'untrusted' }
  | { kind: 'problem'; error: Error };

export interface WorkspaceState {
  readonly trusted: boolean;
  readonly settings: WabaSettings;
  readonly compose: ComposeState;
  /** The cluster folder, read for the compose in use (v2 rules until one answered). */
  readonly folder: ClusterFolder | undefined;
}

export type WorkspaceAspect = 'trust' | 'compose' | 'folder' | 'project' | 'apiVersion' | 'files' | 'dockerHost' | 'healthPollSeconds';

export interface WorkspaceChange {
  readonly aspects: ReadonlySet<WorkspaceAspect>;
  readonly state: WorkspaceState;
  readonly previous: WorkspaceState;
}

/**
 * The one source of truth and of change events for the workspace: the cluster folder, its .env,
 * db.env and compose files, the extension's settings and workspace trust. Everything that depends
 * on them (monitor, health poller, compose runner, log tails, status bar) follows its events, so
 * nothing needs a window reload. No vscode import: the extension adapts VS Code to WorkspacePorts.
 */
export class WorkspaceModel {
  private current: WorkspaceState;
  private readonly changes = new Emitter<WorkspaceChange>();
  private readonly watcher: { dispose(): void };
  private timer: NodeJS.Timeout | undefined;
  private reloading: Promise<WorkspaceState> | undefined;
  private again = false;
  private composeFor: { setting: unknown; trusted: boolean } | undefined;

  constructor(private readonly ports: WorkspacePorts, private readonly debounceMs = 100) {
    // A first state at once (activation stays fast); the compose CLI is asked in reload().
    const trusted = ports.isTrusted();
    this.current = this.read(trusted, ports.settings(), trusted ? { kind: 'problem', error: new Error(t('Checking which Docker Compose is installed…')) } : { kind: 'untrusted' }, { composeFiles: false });
    this.watcher = ports.watch(() => this.schedule());
  }

  get state(): WorkspaceState { return this.current; }
  get folder(): ClusterFolder | undefined { return this.current.folder; }

  onDidChange(listener: (change: WorkspaceChange) => void): { dispose(): void } {
    return this.changes.subscribe(listener);
  }

  /**
   * Reads everything again now (changes arriving meanwhile are folded into one more read). With
   * `recheckCompose`, asks the compose CLIs again even if the setting did not change (one may have
   * been installed since).
   */
  reload(options: { recheckCompose?: boolean } = {}): Promise<WorkspaceState> {
    if (options.recheckCompose) this.composeFor = undefined;
    if (this.reloading) {
      this.again = true;
      return this.reloading;
    }
    clearTimeout(this.timer);
    this.reloading = this.doReload().finally(() => {
      this.reloading = undefined;
      if (this.again) {
        this.again = false;
        void this.reload();
      }
    });
    return this.reloading;
  }

  /** The compose CLI to run, or the error that says why there is none (asked again if none was found). */
  async composeCli(): Promise<ComposeCli> {
    let compose = this.current.compose;
    if (compose.kind === 'problem' && !(compose.error instanceof ComposeSettingError)) compose = (await this.reload({ recheckCompose: true })).compose;
    if (compose.kind === 'ready') return compose.cli;
    throw compose.kind === 'untrusted' ? new Error(t('Restricted Mode: this folder is not trusted, so the extension runs no programs in it. Trust the folder (Manage Workspace Trust) to use compose.')) : compose.error;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.watcher.dispose();
    this.changes.dispose();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.reload(), this.debounceMs);
  }

  private async doReload(): Promise<WorkspaceState> {
    const trusted = this.ports.isTrusted();
    const settings = this.ports.settings();
    let compose = this.current.compose;
    if (!this.composeFor || this.composeFor.setting !== settings.composeCommand || this.composeFor.trusted !== trusted) {
      this.composeFor = { setting: settings.composeCommand, trusted };
      compose = trusted ? await this.resolveCompose(settings.composeCommand) : { kind: 'untrusted' };
    }
    const next = this.read(trusted, settings, compose);
    const previous = this.current;
    const aspects = differences(previous, next);
    this.current = next;
    if (aspects.size > 0) this.changes.fire({ aspects, state: next, previous });
    return next;
  }

  private async resolveCompose(setting: unknown): Promise<ComposeState> {
    try {
      return { kind: 'ready', cli: await resolveComposeCli(checkComposeSetting(setting), this.ports.probe) };
    } catch (error) {
      return { kind: 'problem', error: error as Error };
    }
  }

  private read(trusted: boolean, settings: WabaSettings, compose: ComposeState, options?: ReadOptions): WorkspaceState {
    const flavor = compose.kind === 'ready' ? compose.cli.flavor : 'v2';
    return { trusted, settings, compose, folder: findClusterFolder(this.ports.folders(), this.ports.env, flavor, options) };
  }
}

function differences(a: WorkspaceState, b: WorkspaceState): Set<WorkspaceAspect> {
  const aspects = new Set<WorkspaceAspect>();
  if (a.trusted !== b.trusted) aspects.add('trust');
  if (composeKey(a.compose) !== composeKey(b.compose)) aspects.add('compose');
  if (a.folder?.path !== b.folder?.path) aspects.add('folder');
  if (a.folder?.project !== b.folder?.project || a.folder?.projectProblem !== b.folder?.projectProblem) aspects.add('project');
  if (a.folder?.apiVersion !== b.folder?.apiVersion) aspects.add('apiVersion');
  if (folderKey(a.folder) !== folderKey(b.folder)) aspects.add('files');
  if (a.settings.dockerHost !== b.settings.dockerHost) aspects.add('dockerHost');
  if (a.settings.healthPollSeconds !== b.settings.healthPollSeconds) aspects.add('healthPollSeconds');
  return aspects;
}

function composeKey(c: ComposeState): string {
  return c.kind === 'ready' ? `${c.cli.label} ${c.cli.version}` : c.kind === 'problem' ? `problem ${c.error.message}` : c.kind;
}

/** Everything read from the folder's files, for change detection. */
function folderKey(f: ClusterFolder | undefined): string {
  return f ? JSON.stringify([f.dotenv, f.composeFiles, f.dbEngine, f.dbUpgradeFiles, f.compose]) : '';
}
