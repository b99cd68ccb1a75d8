import * as vscode from 'vscode';
import type { ClusterFolder } from '../compose/clusterFolder';
import { ComposeVerb, parseComposeCommand } from '../compose/composeCommand';
import { runCompose } from '../compose/composeRunner';
import type { ClusterMonitor } from '../cluster/clusterMonitor';

interface ComposeCommandDeps {
  folder: ClusterFolder | undefined;
  monitor: ClusterMonitor;
  output: vscode.LogOutputChannel;
}

/** Start / stop the compose stack from the palette or the view title. */
export function registerComposeCommands({ folder, monitor, output }: ComposeCommandDeps): vscode.Disposable[] {
  const run = async (title: string, action: ComposeVerb): Promise<boolean> => {
    if (!folder) {
      void vscode.window.showErrorMessage('No cluster folder is open: open a folder that contains multiconnect-compose.yml.');
      return false;
    }
    const command = parseComposeCommand(vscode.workspace.getConfiguration('wabaCluster').get<string>('composeCommand', 'docker-compose'));
    output.info(`${title} in ${folder.path}`);
    try {
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title, cancellable: false },
        () => runCompose(command, folder, action, (line) => output.info(line)),
      );
      await monitor.refresh();
      if (result.exitCode !== 0) {
        const pick = await vscode.window.showErrorMessage(`${title} failed (exit ${result.exitCode}): ${result.lastLines.at(-1) ?? 'no output'}`, 'Show Output');
        if (pick) output.show();
        return false;
      }
      return true;
    } catch (error) {
      void vscode.window.showErrorMessage(`${title} failed: ${(error as Error).message}`);
      return false;
    }
  };

  return [
    vscode.commands.registerCommand('wabaCluster.refresh', () => monitor.refresh()),
    vscode.commands.registerCommand('wabaCluster.up', () => run('Starting the cluster', { verb: 'up' })),
    vscode.commands.registerCommand('wabaCluster.down', async () => {
      const confirm = 'Stop and Remove Containers';
      const answer = await vscode.window.showWarningMessage(
        'Stop the cluster and remove its containers and network? Volumes (database, media) are kept.', { modal: true }, confirm);
      return answer === confirm ? run('Stopping the cluster', { verb: 'down', removeVolumes: false }) : false;
    }),
  ];
}
