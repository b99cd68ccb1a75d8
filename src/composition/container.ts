// The composition root: constructs every part of the extension and connects them, in the order
// their events must reach each other. No behaviour of its own; that lives in the parts.
import { join } from 'node:path';
import * as vscode from 'vscode';
import { ConnectionStore } from '../api/connectionStore';
import { readPeerCertificate } from '../api/peerCertificate';
import { WabaClient } from '../api/wabaClient';
import { ClusterMonitor } from '../cluster/clusterMonitor';
import { HealthPoller } from '../cluster/healthPoller';
import { registerComposeCommands } from '../commands/composeCommands';
import { registerCreateClusterCommands } from '../commands/createClusterCommand';
import { registerDiagnoseCommands } from '../commands/diagnoseCommands';
import { LogTails, registerLogCommands } from '../commands/logCommands';
import { registerNodeToolCommands } from '../commands/nodeToolCommands';
import { WORKSPACE_CONTEXT_KEY, registerEngineCommands } from '../commands/engineCommands';
import { registerOperateCommands } from '../commands/operateCommands';
import { registerUpgradeCommands } from '../commands/upgradeCommands';
import { connectWithPrompts, registerWebappCommands } from '../commands/webappCommands';
import { ClusterCompose } from '../compose/clusterCompose';
import { readDataRoot } from '../docker/dataRoot';
import { describeDockerError } from '../docker/dockerClient';
import { composeEngineEnv } from '../docker/dockerEndpoint';
import { EngineSwitch } from '../docker/engineSwitch';
import { SshForwards } from '../docker/sshForward';
import { DiagnoseServices } from '../diagnose/diagnoseServices';
import { createOperateServices, type OperateServices } from '../operate/services';
import { ClusterSession } from '../session/clusterSession';
import { monitorLocator, webappRoute } from '../session/webappLocator';
import { testProbe } from '../testing/testHooks';
import { SupportFeed } from '../topology/supportFeed';
import { NodesTreeProvider } from '../views/nodesTree';
import { NodesViewMessage } from '../views/nodesViewMessage';
import { ClusterStatusBar, type DriftSource } from '../views/statusBar';
import { EngineStatusBar } from '../views/engineStatusBar';
import { WalkthroughContext } from '../walkthrough/walkthroughContext';
import { ClusterPanel } from '../webview/clusterPanel';
import { vscodeWorkspacePorts } from '../workspace/vscodeWorkspace';
import { WorkspaceFollower } from '../workspace/workspaceFollower';
import { WindowLocks } from '../workspace/windowLock';
import { WorkspaceModel } from '../workspace/workspaceModel';
import { driftSource, openEngine, upgradePorts } from './adapters';

export class Container implements vscode.Disposable {
  readonly output: vscode.LogOutputChannel;
  /** The one source of change events for the folder, its files, the settings and trust. */
  readonly workspace: WorkspaceModel;
  readonly engine: EngineSwitch;
  readonly monitor: ClusterMonitor;
  readonly health: HealthPoller;
  readonly session: ClusterSession;
  readonly compose: ClusterCompose;
  readonly drift: DriftSource;
  /** Who owns which shard (the nodes' support answers), read after each health answer. */
  readonly support: SupportFeed;
  readonly tree: NodesTreeProvider;
  readonly statusBar: ClusterStatusBar;
  /** The engine in use, by its Docker context or endpoint. */
  readonly engineBar: EngineStatusBar;
  readonly treeView: vscode.TreeView<unknown>;
  readonly tails: LogTails;
  readonly walkthrough: WalkthroughContext;
  readonly operate: OperateServices;
  readonly diagnose: DiagnoseServices;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly context: vscode.ExtensionContext) {
    const own = <T extends vscode.Disposable>(d: T): T => { this.disposables.push(d); return d; };
    this.output = own(vscode.window.createOutputChannel('WABA Cluster', { log: true }));
    const output = this.output;
    const workspace = this.workspace = own(new WorkspaceModel(vscodeWorkspacePorts()));
    // The machine's engine setting, or the Docker context picked for this workspace.
    const pickedContext = () => context.workspaceState.get<string>(WORKSPACE_CONTEXT_KEY);
    const engine = this.engine = own(new EngineSwitch(openEngine(workspace.state.settings.dockerHost, pickedContext())));
    const monitor = this.monitor = own(new ClusterMonitor(engine, workspace.folder?.project, { describeError: describeDockerError }));
    const health = this.health = own(new HealthPoller({ intervalMs: workspace.state.settings.healthPollSeconds * 1000 }));
    // Subscribed before the views, so a health change is stamped before they render it.
    own(health.onDidChange(() => testProbe.emit({ kind: 'health' })));
    // The webapp of a cluster on the loopback of an ssh engine's host is reached through ssh forwards (ended on deactivate).
    const forwards = own(new SshForwards(output));
    const session = this.session = own(new ClusterSession({
      store: new ConnectionStore(context.globalState, context.secrets), locator: monitorLocator(monitor, () => engine.current.endpoint, forwards), health, log: output,
      readCertificate: (address) => readPeerCertificate(address.dial?.host ?? address.host, address.dial?.port ?? address.port),
      openClient: (address, pin) => new WabaClient(address, pin),
    }));
    const connect = () => connectWithPrompts(session);
    const compose = this.compose = new ClusterCompose({ folder: () => workspace.folder, composeCli: () => workspace.composeCli(), engineEnv: () => composeEngineEnv(engine.current.endpoint), dataRoot: () => readDataRoot(engine.current, engine.local) });
    const drift = this.drift = driftSource(workspace, monitor);
    const support = this.support = own(new SupportFeed({ health, fetchSupport: () => session.current?.api.support() }));
    const tree = this.tree = own(new NodesTreeProvider(monitor, health, support));
    this.statusBar = own(new ClusterStatusBar(monitor, health, drift, support, () => session.webappLine));
    this.engineBar = own(new EngineStatusBar(engine, { open: () => workspace.folder !== undefined, onDidChange: (listener) => workspace.onDidChange(listener) }));
    this.treeView = own(vscode.window.createTreeView('wabaCluster.nodes', { treeDataProvider: tree, canSelectMany: true }));
    const tails = this.tails = own(new LogTails(engine, workspace.folder?.project, () => workspace.state.settings.logMaxLines));
    this.walkthrough = own(new WalkthroughContext(monitor, health));

    this.disposables.push(
      ...registerComposeCommands({ workspace, compose, engine, monitor, log: output, afterDataRemoved: () => session.forgetCurrent() }),
      ...registerWebappCommands(session, output),
      ...registerLogCommands({ workspace, compose, monitor, tails, output }),
      ...registerNodeToolCommands({ engine: () => engine.current, monitor, folder: () => workspace.folder, trusted: () => workspace.state.trusted, log: output }),
      ...registerEngineCommands({ workspaceState: context.workspaceState, trusted: () => workspace.state.trusted, current: () => engine.current, reopen: () => engine.switchTo(openEngine(workspace.state.settings.dockerHost, pickedContext())), log: output }),
      ...registerUpgradeCommands({ folder: () => workspace.folder, session, connect, log: output, ...upgradePorts({ workspace, compose, engine, monitor, state: context.workspaceState }) }),
      ...registerCreateClusterCommands({ extensionUri: context.extensionUri, output, engine }),
    );
    // Shared by every window of this VS Code: one webhook inspector and one drill per cluster folder.
    const locks = new WindowLocks({ dir: join(context.globalStorageUri.fsPath, 'locks'), windowOpened: new Date() });
    const operate = this.operate = createOperateServices({ session, engine, monitor, folder: () => workspace.folder?.path, secrets: context.secrets, locks });
    const diagnose = this.diagnose = own(new DiagnoseServices({
      engine, monitor, session, health, support, log: output, locks,
      folder: () => workspace.folder,
      drift: () => drift.current()?.message,
      failoverExpectationSeconds: () => workspace.state.settings.failoverExpectationSeconds,
    }));
    this.disposables.push(...registerDiagnoseCommands({ services: diagnose, showPanel: () => void this.showPanel(), stopContainer: (id) => engine.stopContainer(id), trusted: () => workspace.state.trusted, log: output }));
    own(operate);
    this.disposables.push(
      ...registerOperateCommands({ services: operate, session, connect, showPanel: () => void this.showPanel(), log: output }),
      vscode.commands.registerCommand('wabaCluster.openPanel', () => void this.showPanel()),
    );

    own(new WorkspaceFollower(workspace, {
      switchEngine: (dockerHost) => engine.switchTo(openEngine(dockerHost, pickedContext())),
      setProject: (project) => { monitor.setProject(project); tails.setProject(project); },
      setHasClusterFolder: (has) => void vscode.commands.executeCommand('setContext', 'wabaCluster.hasClusterFolder', has),
      setHealthIntervalMs: (ms) => health.setIntervalMs(ms),
      log: output,
    }));
    own(new NodesViewMessage(this.treeView, { workspace, monitor, drift: () => drift.current()?.message }));
  }

  /** The cluster panel, opened (or revealed) with the parts it shows. */
  showPanel(): ClusterPanel {
    const { context, monitor, session, workspace, operate, diagnose, walkthrough, engine } = this;
    const webapp = () => (monitor.snapshot.kind === 'ready' ? webappRoute(monitor.snapshot.nodes, engine.current.endpoint) : undefined);
    return ClusterPanel.show({ extensionUri: context.extensionUri, monitor, session, connect: () => connectWithPrompts(session), webapp, folder: workspace.folder?.path, operate, diagnose, onCodeRequested: walkthrough.onCodeRequested });
  }

  /**
   * After activation returns (loading nothing on its path): which compose answers (its rules may
   * change the project name), and the cluster watched from the start (the status bar always shows it).
   */
  startAfterActivation(): void {
    const firstRead = setTimeout(() => { void this.workspace.reload(); this.monitor.startWatching(); }, 0);
    this.disposables.push({ dispose: () => clearTimeout(firstRead) });
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
