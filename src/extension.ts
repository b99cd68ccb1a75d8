import * as vscode from 'vscode';
import { ClusterMonitor } from './cluster/clusterMonitor';
import { registerComposeCommands } from './commands/composeCommands';
import { findClusterFolder } from './compose/clusterFolder';
import { DockerClient, describeDockerError } from './docker/dockerClient';
import { DockerEndpointError, resolveDockerEndpoint } from './docker/dockerEndpoint';
import { rowsForSnapshot } from './views/nodeRows';
import { NodesTreeProvider } from './views/nodesTree';
import { ClusterStatusBar } from './views/statusBar';

/** What activate() returns: used by the extension-host tests and other extensions. */
export interface WabaClusterApi {
  readonly activationMs: number;
  treeSnapshot(): Promise<Array<{ label: string; description?: string; contextValue?: string }>>;
}

export function activate(context: vscode.ExtensionContext): WabaClusterApi {
  const started = performance.now();
  const output = vscode.window.createOutputChannel('WABA Cluster', { log: true });
  const config = vscode.workspace.getConfiguration('wabaCluster');
  const folder = findClusterFolder((vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath));

  const dockerHost = config.get<string>('dockerHost') || process.env.DOCKER_HOST;
  let endpoint;
  try {
    endpoint = resolveDockerEndpoint(dockerHost);
  } catch (error) {
    if (!(error instanceof DockerEndpointError)) throw error;
    void vscode.window.showErrorMessage(`${error.message} Using the default socket instead.`);
    endpoint = resolveDockerEndpoint(undefined);
  }
  const docker = new DockerClient(endpoint);
  const monitor = new ClusterMonitor(docker, folder?.project, { describeError: describeDockerError });
  const tree = new NodesTreeProvider(monitor);
  const treeView = vscode.window.createTreeView('wabaCluster.nodes', { treeDataProvider: tree, showCollapseAll: false });

  context.subscriptions.push(
    output, monitor, tree, treeView,
    new ClusterStatusBar(monitor),
    treeView.onDidChangeVisibility((e) => (e.visible ? monitor.startWatching() : monitor.stopWatching())),
    ...registerComposeCommands({ folder, monitor, output }),
  );
  void vscode.commands.executeCommand('setContext', 'wabaCluster.hasClusterFolder', folder !== undefined);
  // First read after activation returns, so loading the Docker client is not on the activation path.
  const firstRead = setTimeout(() => (treeView.visible ? monitor.startWatching() : void monitor.refresh()), 0);
  context.subscriptions.push({ dispose: () => clearTimeout(firstRead) });

  const activationMs = performance.now() - started;
  output.info(`Activated in ${activationMs.toFixed(1)} ms; cluster folder: ${folder?.path ?? 'none'}; Docker: ${docker.endpointDescription}`);
  return {
    activationMs,
    treeSnapshot: async () => rowsForSnapshot(await monitor.refresh()).map(({ label, description, contextValue }) => ({ label, description, contextValue })),
  };
}

export function deactivate(): void {
  // Everything is in context.subscriptions.
}
