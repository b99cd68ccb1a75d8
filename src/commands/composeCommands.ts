import * as vscode from 'vscode';
import type { ClusterMonitor } from '../cluster/clusterMonitor';
import type { ClusterCompose } from '../compose/clusterCompose';
import type { ComposeVerb } from '../compose/composeCommand';
import { StartClusterWorkflow, StartEngine, StartPrompter } from '../compose/startWorkflow';
import type { NodeRow } from '../views/nodeRows';
import { testAnswers } from '../workspace/testHooks';
import type { WorkspaceModel } from '../workspace/workspaceModel';
import { processLines, registerCommand, type CommandLog } from './runCommand';

interface ComposeCommandDeps {
  workspace: WorkspaceModel;
  compose: ClusterCompose;
  engine: StartEngine;
  monitor: ClusterMonitor;
  log: CommandLog;
  /** After `down -v`: the cluster's certificate and users are gone with its volumes. */
  afterDataRemoved(): Promise<void>;
}

/** Scripted answers to Start Cluster's questions (Test mode only). */
export interface StartAnswers { apiVersion?: string; stopOthers?: boolean }

/** The compose stack and its services, from the palette, the view title and the tree items. */
export function registerComposeCommands(deps: ComposeCommandDeps): vscode.Disposable[] {
  const { compose, monitor, log } = deps;
  const lines = processLines(log);
  const onLine = (line: string, stream: 'stdout' | 'stderr') => lines[stream](line);

  /** Runs one compose action with a progress notification; compose's failure becomes the command's. */
  const run = async (title: string, action: ComposeVerb, sink = onLine): Promise<true> => {
    log.info(`${title} in ${deps.workspace.folder?.path ?? '(no folder)'}`);
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title }, () => compose.run(action, sink));
    await monitor.refresh();
    if (result.exitCode !== 0) throw new Error(`${result.call.command.label} ${action.verb} exited with ${result.exitCode}: ${result.lastLines.at(-1) ?? 'no output'}`);
    return true;
  };

  const start = async (title: string, services: string[] | undefined, answers: StartAnswers | undefined): Promise<boolean> => {
    log.info(`${title} in ${deps.workspace.folder?.path ?? '(no folder)'}`);
    const workflow = new StartClusterWorkflow({
      compose, engine: deps.engine, onLine, prompter: startPrompter(answers),
      reloadWorkspace: async () => { await deps.workspace.reload(); },
    });
    try {
      return await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title }, () => workflow.run(services));
    } finally {
      await monitor.refresh();
    }
  };

  /** The service of a tree row, or one picked from the compose file's services. */
  const serviceOf = async (row: NodeRow | undefined, title: string): Promise<string | undefined> => {
    if (row) return row.label;
    const services: string[] = [];
    await run('Reading the compose services', { verb: 'services' }, (line, stream) => { if (stream === 'stdout' && /^[\w.-]+$/.test(line)) services.push(line); });
    return vscode.window.showQuickPick(services, { title });
  };
  const serviceCommand = (id: string, verb: 'stop' | 'restart', title: string, verbing: string) =>
    registerCommand(log, id, title, async (row?: NodeRow) => {
      const service = await serviceOf(row, title);
      return service ? run(`${verbing} ${service}`, { verb, services: [service] }) : false;
    }, false);

  return [
    registerCommand(log, 'wabaCluster.refresh', 'Refresh', () => monitor.refresh()),
    registerCommand(log, 'wabaCluster.up', 'Start Cluster', (answers?: StartAnswers) => start('Starting the cluster', undefined, testAnswers(answers)), false),
    registerCommand(log, 'wabaCluster.startService', 'Start Service', async (row?: NodeRow) => {
      const service = await serviceOf(row, 'Start which service?');
      return service ? start(`Starting ${service}`, [service], undefined) : false;
    }, false),
    serviceCommand('wabaCluster.stopService', 'stop', 'Stop Service', 'Stopping'),
    serviceCommand('wabaCluster.restartService', 'restart', 'Restart Service', 'Restarting'),
    registerCommand(log, 'wabaCluster.killService', 'Kill Service', async (row?: NodeRow) => {
      const service = await serviceOf(row, 'Kill which service (simulated crash)?');
      if (!service) return false;
      const kill = `Kill ${service}`;
      const answer = await vscode.window.showWarningMessage(`Kill ${service} with SIGKILL, like a crash?`, {
        modal: true, detail: 'Its restart policy does not bring it back after a kill. If it owned a shard, the primary master hands the shard to a standby coreapp after unhealthy_interval.',
      }, kill);
      return answer === kill ? run(`Killing ${service}`, { verb: 'kill', services: [service] }) : false;
    }, false),
    registerCommand(log, 'wabaCluster.uninstall', 'Remove Cluster and Delete Data', async () => {
      const confirm = 'Delete Containers and Data', backUp = 'Back Up Settings, Then Delete';
      const answer = await vscode.window.showWarningMessage('Remove the cluster and delete its volumes?', {
        modal: true, detail: 'down -v deletes the database (registration, shards, settings, users, messages) and the media volume for good. Back up the settings first (POST /v1/settings/backup) if you may need them.',
      }, backUp, confirm);
      // Nothing is deleted unless the backup was written (a declined or failed backup stops here).
      if (answer === backUp && !(await vscode.commands.executeCommand<string | undefined>('wabaCluster.backupSettings'))) return false;
      if (answer !== confirm && answer !== backUp) return false;
      await run('Removing the cluster and its volumes', { verb: 'down', removeVolumes: true });
      await deps.afterDataRemoved();
      return true;
    }, false),
    registerCommand(log, 'wabaCluster.down', 'Stop Cluster', async () => {
      const confirm = 'Stop and Remove Containers';
      const answer = await vscode.window.showWarningMessage(
        'Stop the cluster and remove its containers and network? Volumes (database, media) are kept.', { modal: true }, confirm);
      return answer === confirm ? run('Stopping the cluster', { verb: 'down', removeVolumes: false }) : false;
    }, false),
  ];
}

/** Start Cluster's questions as VS Code dialogs; scripted answers (Test mode) go first. */
function startPrompter(answers: StartAnswers | undefined): StartPrompter {
  return {
    async chooseApiVersion(message, versions) {
      if (answers?.apiVersion) return answers.apiVersion;
      const picked = await vscode.window.showQuickPick(versions.map((v) => ({ label: v, description: 'local images' })), {
        title: 'WA_API_VERSION is not set', placeHolder: `${message} Pick the version to write into .env:`, ignoreFocusOut: true,
      });
      return picked?.label;
    },
    async confirmStop(message, containers) {
      if (answers?.stopOthers !== undefined) return answers.stopOthers;
      const stop = 'Stop Them and Start';
      return (await vscode.window.showWarningMessage(message, { modal: true, detail: `Stop ${containers.join(', ')}? They are stopped, not removed (their data stays).` }, stop)) === stop;
    },
    async showInvalidFiles(message, _lines, location) {
      if (location) {
        const document = await vscode.workspace.openTextDocument(vscode.Uri.file(location.file));
        const position = new vscode.Position(Math.max(0, location.line - 1), Math.max(0, (location.column ?? 1) - 1));
        await vscode.window.showTextDocument(document, { selection: new vscode.Range(position, position) });
      }
      throw new Error(location ? `${message} (${location.file}:${location.line})` : message);
    },
  };
}
