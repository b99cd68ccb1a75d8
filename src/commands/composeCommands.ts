import * as vscode from 'vscode';
import { ClusterFolder, composeEnvironment } from '../compose/clusterFolder';
import { ComposeVerb, parseComposeCommand } from '../compose/composeCommand';
import { runCompose } from '../compose/composeRunner';
import type { ClusterMonitor } from '../cluster/clusterMonitor';
import type { NodeRow } from '../views/nodeRows';

interface ComposeCommandDeps {
  folder: ClusterFolder | undefined;
  monitor: ClusterMonitor;
  output: vscode.LogOutputChannel;
  /** The DOCKER_HOST the user set for the extension, if any: compose must use the same engine. */
  dockerHost: string | undefined;
  /** After `down -v`: the cluster's certificate and users are gone with its volumes. */
  afterDataRemoved(): Promise<void>;
}

/** The compose stack and its services, from the palette, the view title and the tree items. */
export function registerComposeCommands({ folder, monitor, output, dockerHost, afterDataRemoved }: ComposeCommandDeps): vscode.Disposable[] {
  const run = async (title: string, action: ComposeVerb, onLine: (line: string) => void = (line) => output.info(line)): Promise<boolean> => {
    if (!folder) {
      void vscode.window.showErrorMessage('No cluster folder is open: open a folder that contains multiconnect-compose.yml.');
      return false;
    }
    const command = parseComposeCommand(vscode.workspace.getConfiguration('wabaCluster').get<string>('composeCommand', 'docker-compose'));
    output.info(`${title} in ${folder.path}`);
    try {
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title, cancellable: false },
        () => runCompose(command, folder, action, onLine, composeEnvironment(folder, dockerHost)),
      );
      await monitor.refresh();
      if (result.exitCode !== 0) {
        output.error(`${title} failed with exit code ${result.exitCode}`);
        // Not awaited: the command reports failure now, the notification stays until dismissed.
        void vscode.window.showErrorMessage(`${title} failed (exit ${result.exitCode}): ${result.lastLines.at(-1) ?? 'no output'}`, 'Show Output')
          .then((pick) => { if (pick) output.show(); });
        return false;
      }
      return true;
    } catch (error) {
      void vscode.window.showErrorMessage(`${title} failed: ${(error as Error).message}`);
      return false;
    }
  };

  /** The service of a tree row, or one picked from the compose file's services. */
  const serviceOf = async (row: NodeRow | undefined, title: string): Promise<string | undefined> => {
    if (row) return row.label;
    const services: string[] = [];
    if (!(await run('Reading the compose services', { verb: 'services' }, (line) => { if (/^[\w.-]+$/.test(line)) services.push(line); }))) return undefined;
    return vscode.window.showQuickPick(services, { title });
  };
  const serviceCommand = (id: string, verb: 'up' | 'stop' | 'restart' | 'kill', title: string) =>
    vscode.commands.registerCommand(id, async (row?: NodeRow) => {
      const service = await serviceOf(row, title);
      return service ? run(`${title} ${service}`, { verb, services: [service] }) : false;
    });

  return [
    vscode.commands.registerCommand('wabaCluster.refresh', () => monitor.refresh()),
    serviceCommand('wabaCluster.startService', 'up', 'Starting'),
    serviceCommand('wabaCluster.stopService', 'stop', 'Stopping'),
    serviceCommand('wabaCluster.restartService', 'restart', 'Restarting'),
    vscode.commands.registerCommand('wabaCluster.killService', async (row?: NodeRow) => {
      const service = await serviceOf(row, 'Kill which service (simulated crash)?');
      if (!service) return false;
      const kill = `Kill ${service}`;
      const answer = await vscode.window.showWarningMessage(`Kill ${service} with SIGKILL, like a crash?`, {
        modal: true, detail: 'Its restart policy does not bring it back after a kill. If it owned a shard, the primary master hands the shard to a standby coreapp after unhealthy_interval.',
      }, kill);
      return answer === kill ? run(`Killing ${service}`, { verb: 'kill', services: [service] }) : false;
    }),
    vscode.commands.registerCommand('wabaCluster.uninstall', async () => {
      const confirm = 'Delete Containers and Data';
      const answer = await vscode.window.showWarningMessage('Remove the cluster and delete its volumes?', {
        modal: true, detail: 'docker-compose down -v deletes the database (registration, shards, settings, users, messages) and the media volume for good. Back up the settings first (POST /v1/settings/backup) if you may need them.',
      }, confirm);
      if (answer !== confirm || !(await run('Removing the cluster and its volumes', { verb: 'down', removeVolumes: true }))) return false;
      await afterDataRemoved();
      return true;
    }),
    vscode.commands.registerCommand('wabaCluster.up', () => run('Starting the cluster', { verb: 'up' })),
    vscode.commands.registerCommand('wabaCluster.down', async () => {
      const confirm = 'Stop and Remove Containers';
      const answer = await vscode.window.showWarningMessage(
        'Stop the cluster and remove its containers and network? Volumes (database, media) are kept.', { modal: true }, confirm);
      return answer === confirm ? run('Stopping the cluster', { verb: 'down', removeVolumes: false }) : false;
    }),
  ];
}
