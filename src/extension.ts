import * as vscode from 'vscode';
import { ConnectionStore } from './api/connectionStore';
import { ClusterMonitor } from './cluster/clusterMonitor';
import { HealthPoller, HealthState } from './cluster/healthPoller';
import { readPeerCertificate } from './api/peerCertificate';
import { WabaClient } from './api/wabaClient';
import { registerComposeCommands } from './commands/composeCommands';
import { LogTails, registerLogCommands } from './commands/logCommands';
import { registerUpgradeCommands } from './commands/upgradeCommands';
import { connectWithPrompts, registerWebappCommands } from './commands/webappCommands';
import { findClusterFolder } from './compose/clusterFolder';
import { DockerClient, describeDockerError } from './docker/dockerClient';
import { DockerEndpointError, resolveDockerEndpoint } from './docker/dockerEndpoint';
import { rowsForSnapshot } from './views/nodeRows';
import { NodesTreeProvider } from './views/nodesTree';
import { ClusterStatusBar } from './views/statusBar';
import { ClusterPanel } from './webview/clusterPanel';
import { ClusterSession } from './session/clusterSession';
import { monitorLocator } from './session/webappLocator';
import { parseComposeCommand } from './compose/composeCommand';
import { runCompose } from './compose/composeRunner';
import { composeEnvironment } from './compose/clusterFolder';
import type { HostMessage, PanelMethod, PanelRequests } from './webview/protocol';

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
  const health = new HealthPoller({ intervalMs: Math.max(1, config.get<number>('healthPollSeconds', 5)) * 1000 });
  const connection = new ClusterSession({
    store: new ConnectionStore(context.globalState, context.secrets), locator: monitorLocator(monitor), health, log: output,
    readCertificate: (address) => readPeerCertificate(address.host, address.port),
    openClient: (address, pin) => new WabaClient(address, pin),
  });
  const connect = () => connectWithPrompts(connection);
  const tree = new NodesTreeProvider(monitor, health);
  const treeView = vscode.window.createTreeView('wabaCluster.nodes', { treeDataProvider: tree });
  const tails = folder && new LogTails(docker, folder.project);

  context.subscriptions.push(
    output, monitor, health, connection, tree, treeView,
    new ClusterStatusBar(monitor, health),
    ...registerComposeCommands({ folder, monitor, output, dockerHost: composeDockerHost, afterDataRemoved: () => connection.forgetCurrent() }),
    ...registerWebappCommands(connection, output),
    ...registerLogCommands({ folder, monitor, tails, output, dockerHost: composeDockerHost }),
    ...registerUpgradeCommands({
      folder: () => folder, session: connection, connect, log: output,
      compose: async (action, { files, env, onLine }) => {
        if (!folder) throw new Error('No cluster folder is open.');
        const command = parseComposeCommand(vscode.workspace.getConfiguration('wabaCluster').get<string>('composeCommand', 'docker-compose'));
        const result = await runCompose(command, { path: folder.path, composeFiles: files ?? folder.composeFiles }, action, onLine, { ...composeEnvironment(folder, composeDockerHost), ...env });
        await monitor.refresh();
        return result;
      },
      containers: {
        list: async () => (folder ? docker.listProjectContainers(folder.project) : []),
        waitForExit: (id, options) => docker.waitForExit(id, options),
        remove: (id) => docker.removeContainer(id),
      },
    }),
  );
  if (tails) context.subscriptions.push(tails);
  const showPanel = (): ClusterPanel => ClusterPanel.show({ extensionUri: context.extensionUri, monitor, session: connection, connect, folder: folder?.path });
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
