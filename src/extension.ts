import * as vscode from 'vscode';
import { ConnectionStore } from './api/connectionStore';
import { ClusterMonitor } from './cluster/clusterMonitor';
import { HealthPoller, HealthState } from './cluster/healthPoller';
import { registerComposeCommands } from './commands/composeCommands';
import { LogTails, registerLogCommands } from './commands/logCommands';
import { registerUpgradeCommands } from './commands/upgradeCommands';
import { registerWebappCommands } from './commands/webappCommands';
import { WebappConnection } from './commands/webappConnection';
import { findClusterFolder } from './compose/clusterFolder';
import { registerCreateClusterCommands } from './create/createClusterCommand';
import { DockerClient, describeDockerError } from './docker/dockerClient';
import { DockerEndpointError, resolveDockerEndpoint } from './docker/dockerEndpoint';
import { rowsForSnapshot } from './views/nodeRows';
import { NodesTreeProvider } from './views/nodesTree';
import { ClusterStatusBar } from './views/statusBar';
import { ClusterPanel } from './webview/clusterPanel';
import type { HostMessage, PanelMethod, PanelRequests } from './webview/protocol';
import { WalkthroughContext } from './walkthrough/walkthroughContext';

/** What activate() returns: used by the extension-host tests and other extensions. */
export interface WabaClusterApi {
  readonly activationMs: number;
  treeSnapshot(): Promise<Array<{ id: string; label: string; description?: string; contextValue?: string }>>;
  health(): HealthState;
  /** Sends one request to the cluster panel's host side, as the webview does (opens the panel). */
  panelRequest<M extends PanelMethod>(method: M, params: PanelRequests[M]['params']): Promise<HostMessage>;
}

export function activate(context: vscode.ExtensionContext): WabaClusterApi {
  const started = performance.now();
  const output = vscode.window.createOutputChannel('WABA Cluster', { log: true });
  const config = vscode.workspace.getConfiguration('wabaCluster');
  const folder = findClusterFolder((vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath));

  const dockerHostSetting = config.get<string>('dockerHost') || undefined;
  const docker = new DockerClient(dockerEndpoint(dockerHostSetting ?? process.env.DOCKER_HOST));
  const composeDockerHost = dockerHostSetting && docker.endpointDescription;
  const monitor = new ClusterMonitor(docker, folder?.project, { describeError: describeDockerError });
  const health = new HealthPoller(Math.max(1, config.get<number>('healthPollSeconds', 5)) * 1000);
  const connection = new WebappConnection(new ConnectionStore(context.globalState, context.secrets), monitor, health, output);
  const tree = new NodesTreeProvider(monitor, health);
  const treeView = vscode.window.createTreeView('wabaCluster.nodes', { treeDataProvider: tree });
  const tails = folder && new LogTails(docker, folder.project);
  const walkthrough = new WalkthroughContext(monitor, health);

  context.subscriptions.push(
    output, monitor, health, connection, tree, treeView,
    new ClusterStatusBar(monitor, health),
    ...registerComposeCommands({ folder, monitor, output, dockerHost: composeDockerHost, afterDataRemoved: () => connection.forgetCurrent() }),
    ...registerWebappCommands(connection),
    ...registerLogCommands({ folder, monitor, tails, output, dockerHost: composeDockerHost }),
    ...registerUpgradeCommands({ folder, docker, monitor, connection, output, dockerHost: composeDockerHost }),
    walkthrough, ...registerCreateClusterCommands({ extensionUri: context.extensionUri, output, dockerHost: composeDockerHost }),
  );
  if (tails) context.subscriptions.push(tails);
  const showPanel = (): ClusterPanel => ClusterPanel.show({ extensionUri: context.extensionUri, monitor, connection, folder: folder?.path, onCodeRequested: walkthrough.onCodeRequested });
  context.subscriptions.push(vscode.commands.registerCommand('wabaCluster.openPanel', () => void showPanel()));
  void vscode.commands.executeCommand('setContext', 'wabaCluster.hasClusterFolder', folder !== undefined);
  // The status bar is always visible, so the cluster is watched (Docker events + a slow backstop poll)
  // from the start; after activation returns, so loading the Docker client is not on the activation path.
  const firstRead = setTimeout(() => monitor.startWatching(), 0);
  context.subscriptions.push({ dispose: () => clearTimeout(firstRead) });

  const activationMs = performance.now() - started;
  output.info(`Activated in ${activationMs.toFixed(1)} ms; cluster folder: ${folder?.path ?? 'none'}; Docker: ${docker.endpointDescription}`);
  return {
    activationMs,
    treeSnapshot: async () => rowsForSnapshot(await monitor.refresh(), health.state.kind === 'ok' ? health.state.nodes : [])
      .map(({ id, label, description, contextValue }) => ({ id, label, description, contextValue })),
    health: () => health.state,
    panelRequest: (method, params) => showPanel().handle(0, method, params),
  };
}

function dockerEndpoint(dockerHost: string | undefined) {
  try {
    return resolveDockerEndpoint(dockerHost);
  } catch (error) {
    if (!(error instanceof DockerEndpointError)) throw error;
    void vscode.window.showErrorMessage(`${error.message} Using the default socket instead.`);
    return resolveDockerEndpoint(undefined);
  }
}

export function deactivate(): void {
  // Everything is in context.subscriptions.
}
