import { join } from 'node:path';
import * as vscode from 'vscode';
import { ConnectionStore } from './api/connectionStore';
import { readPeerCertificate } from './api/peerCertificate';
import { WabaClient } from './api/wabaClient';
import { ClusterMonitor } from './cluster/clusterMonitor';
import { HealthPoller, HealthState } from './cluster/healthPoller';
import { registerComposeCommands } from './commands/composeCommands';
import { LogTails, registerLogCommands } from './commands/logCommands';
import { registerNodeToolCommands } from './commands/nodeToolCommands';
import { WORKSPACE_CONTEXT_KEY, registerEngineCommands } from './commands/engineCommands';
import { registerOperateCommands } from './commands/operateCommands';
import { registerUpgradeCommands } from './commands/upgradeCommands';
import { connectWithPrompts, registerWebappCommands } from './commands/webappCommands';
import { ClusterCompose } from './compose/clusterCompose';
import { registerCreateClusterCommands } from './commands/createClusterCommand';
import { DockerClient, describeDockerError } from './docker/dockerClient';
import { composeEngineEnv, engineInputsHere, resolveEngine } from './docker/dockerEndpoint';
import { registerDiagnoseCommands } from './commands/diagnoseCommands';
import { DiagnoseServices } from './diagnose/diagnoseServices';
import { useTranslator } from './l10n';
import { createOperateServices } from './operate/services';
import { ClusterSession } from './session/clusterSession';
import { SupportFeed } from './topology/supportFeed';
import { monitorLocator } from './session/webappLocator';
import { rowsForSnapshot } from './views/nodeRows';
import { NodesTreeProvider } from './views/nodesTree';
import { ClusterStatusBar, DriftSource } from './views/statusBar';
import { EngineStatusBar } from './views/engineStatusBar';
import { ClusterPanel } from './webview/clusterPanel';
import type { HostMessage, PanelMethod, PanelRequests, PanelState } from './webview/protocol';
import { EngineSwitch } from './docker/engineSwitch';
import { ProbeEvent, enableTestHooks, testProbe } from './testing/testHooks';
import { versionDrift } from './workspace/versionDrift';
import { WindowLocks } from './workspace/windowLock';
import { readDataRoot } from './docker/dataRoot';
import { vscodeWorkspacePorts } from './workspace/vscodeWorkspace';
import { WorkspaceModel, WorkspaceState } from './workspace/workspaceModel';
import { WalkthroughContext } from './walkthrough/walkthroughContext';

/** What activate() returns in Test mode (the extension-host tests); outside Test mode it is empty. */
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

export function activate(context: vscode.ExtensionContext): WabaClusterApi | Record<string, never> {
  const started = performance.now();
  const testMode = context.extensionMode === vscode.ExtensionMode.Test;
  enableTestHooks(testMode);
  useTranslator(vscode.l10n.t);
  const output = vscode.window.createOutputChannel('WABA Cluster', { log: true });
  // The one source of change events for the folder, its files, the settings and trust.
  const workspace = new WorkspaceModel(vscodeWorkspacePorts());
  // The machine's engine settings, or the Docker context picked for this workspace.
  const engineHere = () => openEngine(workspace.state.settings.dockerHost, context.workspaceState.get<string>(WORKSPACE_CONTEXT_KEY));
  const engine = new EngineSwitch(engineHere());
  const monitor = new ClusterMonitor(engine, workspace.folder?.project, { describeError: describeDockerError });
  const health = new HealthPoller({ intervalMs: workspace.state.settings.healthPollSeconds * 1000 });
  // Subscribed before the views, so a health change is stamped before they render it.
  context.subscriptions.push(health.onDidChange(() => testProbe.emit({ kind: 'health' })));
  const session = new ClusterSession({
    store: new ConnectionStore(context.globalState, context.secrets), locator: monitorLocator(monitor), health, log: output,
    readCertificate: (address) => readPeerCertificate(address.host, address.port),
    openClient: (address, pin) => new WabaClient(address, pin),
  });
  const connect = () => connectWithPrompts(session);
  const compose = new ClusterCompose({ folder: () => workspace.folder, composeCli: () => workspace.composeCli(), engineEnv: () => composeEngineEnv(engine.current.endpoint), dataRoot: () => readDataRoot(engine.current, engine.local) });
  const drift: DriftSource = {
    current: () => (monitor.snapshot.kind === 'ready' ? versionDrift(workspace.folder, monitor.snapshot.nodes) : undefined),
    onDidChange: (listener) => workspace.onDidChange(listener),
  };
  // Who owns which shard (/v1/support), read after each health answer.
  const support = new SupportFeed({
    health,
    fetchSupport: () => {
      const current = session.current;
      return current?.authorized((authorization) => current.client.call('GET', '/v1/support', { authorization })).then((r) => r.body);
    },
  });
  const tree = new NodesTreeProvider(monitor, health, support);
  const statusBar = new ClusterStatusBar(monitor, health, drift, support);
  const engineBar = new EngineStatusBar(engine, { open: () => workspace.folder !== undefined, onDidChange: (listener) => workspace.onDidChange(listener) });
  const treeView = vscode.window.createTreeView('wabaCluster.nodes', { treeDataProvider: tree, canSelectMany: true });
  const tails = new LogTails(engine, workspace.folder?.project, () => workspace.state.settings.logMaxLines);
  const walkthrough = new WalkthroughContext(monitor, health);

  context.subscriptions.push(
    output, workspace, engine, monitor, health, session, support, tree, treeView, statusBar, engineBar, tails,
    ...registerEngineCommands({ workspaceState: context.workspaceState, trusted: () => workspace.state.trusted, current: () => engine.current, reopen: () => engine.switchTo(engineHere()), log: output }),
    ...registerComposeCommands({ workspace, compose, engine, monitor, log: output, afterDataRemoved: () => session.forgetCurrent() }),
    ...registerWebappCommands(session, output),
    ...registerLogCommands({ workspace, compose, monitor, tails, output }),
    ...registerNodeToolCommands({ engine: () => engine.current, monitor, folder: () => workspace.folder, trusted: () => workspace.state.trusted, log: output }),
    ...registerUpgradeCommands({
      folder: () => workspace.folder, session, connect, log: output,
      compose: async (action, { files, env, onLine }) => {
        const result = await compose.run(action, onLine, { files, env });
        await monitor.refresh();
        return result;
      },
      containers: {
        list: async () => (workspace.folder ? engine.listProjectContainers(workspace.folder.project) : []),
        waitForExit: (id, options) => engine.waitForExit(id, options),
        remove: (id) => engine.removeContainer(id),
      },
    }),
    walkthrough, ...registerCreateClusterCommands({ extensionUri: context.extensionUri, output, engine }),
  );
  // Shared by every window of this VS Code: one webhook inspector and one drill per cluster folder.
  const locks = new WindowLocks({ dir: join(context.globalStorageUri.fsPath, 'locks'), windowOpened: new Date() });
  const operate = createOperateServices({ session, engine, monitor, folder: () => workspace.folder?.path, secrets: context.secrets, locks });
  const diagnose = new DiagnoseServices({
    engine, monitor, session, health, support, log: output, locks,
    folder: () => workspace.folder,
    drift: () => drift.current()?.message,
    failoverExpectationSeconds: () => vscode.workspace.getConfiguration('wabaCluster').get<number>('failoverExpectationSeconds', 35),
  });
  const showPanel = (): ClusterPanel => ClusterPanel.show({ extensionUri: context.extensionUri, monitor, session, connect, folder: workspace.folder?.path, operate, diagnose, onCodeRequested: walkthrough.onCodeRequested });
  context.subscriptions.push(diagnose, ...registerDiagnoseCommands({ services: diagnose, showPanel: () => void showPanel(), stopContainer: (id) => engine.stopContainer(id), trusted: () => workspace.state.trusted, log: output }));
  // The inspector puts the cluster's webhook URL back before the session closes.
  beforeDeactivate = () => operate.inspector.stopIfRunning();
  context.subscriptions.push(operate, ...registerOperateCommands({ services: operate, session, connect, showPanel: () => void showPanel(), log: output }));
  context.subscriptions.push(vscode.commands.registerCommand('wabaCluster.openPanel', () => void showPanel()));

  /** What the view says above the nodes: Restricted Mode, a version the nodes do not run, a project name compose refuses. */
  const showViewMessage = (): void => {
    const state = workspace.state;
    treeView.message = !state.trusted
      ? vscode.l10n.t('Restricted Mode: containers are shown read-only. Trust this folder (Manage Workspace Trust) to start, stop or connect; until then the extension runs no programs.')
      : state.folder?.projectProblem ?? drift.current()?.message;
  };
  const follow = (state: WorkspaceState, aspects: ReadonlySet<string>): void => {
    if (aspects.has('dockerHost')) engine.switchTo(engineHere());
    if (aspects.has('folder') || aspects.has('project')) {
      monitor.setProject(state.folder?.project);
      tails.setProject(state.folder?.project);
      void vscode.commands.executeCommand('setContext', 'wabaCluster.hasClusterFolder', state.folder !== undefined);
    }
    if (aspects.has('healthPollSeconds')) health.setIntervalMs(state.settings.healthPollSeconds * 1000);
    if (aspects.has('compose') && state.compose.kind === 'problem') output.warn(state.compose.error.message);
    output.info(`Workspace changed (${[...aspects].join(', ')}): folder ${state.folder?.path ?? 'none'}, project ${state.folder?.project ?? '-'}, compose ${describeCompose(state)}, WA_API_VERSION ${state.folder?.apiVersion ?? 'unset'}`);
    showViewMessage();
  };
  context.subscriptions.push(
    workspace.onDidChange(({ state, aspects }) => follow(state, aspects)),
    monitor.onDidChange(showViewMessage),
  );
  void vscode.commands.executeCommand('setContext', 'wabaCluster.hasClusterFolder', workspace.folder !== undefined);
  showViewMessage();
  // After activation returns (loading nothing on its path): which compose answers (its rules may
  // change the project name), and the cluster watched from the start (the status bar always shows it).
  const firstRead = setTimeout(() => { void workspace.reload(); monitor.startWatching(); }, 0);
  context.subscriptions.push({ dispose: () => clearTimeout(firstRead) });

  const activationMs = performance.now() - started;
  output.info(`Activated in ${activationMs.toFixed(1)} ms; cluster folder: ${workspace.folder?.path ?? 'none'}; Docker: ${engine.endpointDescription} (${engine.endpointWhy ?? ''})${workspace.state.trusted ? '' : '; Restricted Mode'}`);
  if (!testMode) return {};
  return {
    activationMs,
    treeSnapshot: async () => rowsForSnapshot(await monitor.refresh(), health.state.kind === 'ok' ? health.state.nodes : [], support.shards)
      .map(({ id, label, description, contextValue }) => ({ id, label, description, contextValue })),
    health: () => health.state,
    panelRequest: (method, params) => showPanel().handle(0, method, params),
    panelState: () => showPanel().state(),
    visible: () => ({ nodesView: treeView.visible, viewMessage: treeView.message, statusBar: statusBar.shown, engineBar: engineBar.shown }),
    workspace: () => {
      const s = workspace.state;
      return { folder: s.folder?.path, project: s.folder?.project, compose: describeCompose(s), trusted: s.trusted, apiVersion: s.folder?.apiVersion };
    },
    probe: (listener) => testProbe.subscribe(listener),
  };
}

/** The Docker context picked for this workspace, else the setting, else as the docker CLI resolves it (DOCKER_HOST, context, sockets). */
function openEngine(dockerHostSetting: string, workspaceContext: string | undefined): DockerClient {
  const { endpoint, why, context } = resolveEngine(engineInputsHere(dockerHostSetting || undefined, process.env, workspaceContext));
  return new DockerClient(endpoint, { why, context });
}

/** For the log and the test API (English, like every log line). */
function describeCompose(state: WorkspaceState): string {
  const c = state.compose;
  return c.kind === 'ready' ? `${c.cli.label} ${c.cli.version} (${c.cli.flavor})` : c.kind === 'untrusted' ? 'not run (Restricted Mode)' : `none (${c.error.message})`; // l10n-ignore: log line
}

/** Work that must finish while the session still runs (VS Code awaits deactivate before disposing). */
let beforeDeactivate: (() => Promise<unknown>) | undefined;

export function deactivate(): Promise<unknown> | undefined {
  // Everything else is in context.subscriptions.
  return beforeDeactivate?.();
}
