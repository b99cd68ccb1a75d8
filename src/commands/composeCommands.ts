import { resolve } from 'node:path';
import { ROUTES } from '../contract';
import * as vscode from 'vscode';
import type { ClusterMonitor } from '../cluster/clusterMonitor';
import type { ClusterCompose } from '../compose/clusterCompose';
import type { ComposeVerb } from '../compose/composeCommand';
import { StartClusterWorkflow, StartEngine, StartPrompter } from '../workflows/startWorkflow';
import type { NodeRow } from '../views/nodeRows';
import { testAnswers } from '../testing/testHooks';
import type { WorkspaceModel } from '../workspace/workspaceModel';
import { processLines, registerCommand, type CommandLog } from './runCommand';
import type { BackupAnswers } from './settingsCommands';

/** Remove Cluster and Delete Data's answers, given as arguments in Test mode only. */
export interface UninstallAnswers { choice: 'backUp' | 'delete'; backup?: BackupAnswers }

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
    // Not awaited: Docker's events have already changed the rows; this read only confirms them.
    void monitor.refresh();
    if (result.exitCode !== 0) throw new Error((await compose.diskFull(result, action)) ?? vscode.l10n.t('{0} {1} exited with {2}: {3}', result.call.command.label, action.verb, result.exitCode, result.lastLines.at(-1) ?? vscode.l10n.t('no output')));
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
      void monitor.refresh();
    }
  };

  /**
   * The services of the rows a command was given: every selected row when the clicked one is part
   * of a multi-selection (VS Code passes the clicked row, then the selection), else the one row;
   * without a row (the palette) one picked from the compose file's services.
   */
  const servicesOf = async (row: NodeRow | undefined, selected: readonly NodeRow[] | undefined, title: string): Promise<string[]> => {
    if (row) return [...new Set((selected?.some((r) => r.id === row.id) ? selected : [row]).map((r) => r.label))];
    const services: string[] = [];
    await run(vscode.l10n.t('Reading the compose services'), { verb: 'services' }, (line, stream) => { if (stream === 'stdout' && /^[\w.-]+$/.test(line)) services.push(line); });
    const picked = await vscode.window.showQuickPick(services, { title });
    return picked ? [picked] : [];
  };
  const serviceCommand = (id: string, verb: 'stop' | 'restart', title: string, progress: (services: string) => string) =>
    registerCommand(log, id, title, async (row?: NodeRow, selected?: NodeRow[]) => {
      const services = await servicesOf(row, selected, title);
      return services.length ? run(progress(services.join(', ')), { verb, services }) : false;
    }, false);
  /** The whole project, nothing removed (compose stop/start/restart): containers, network and volumes stay. */
  const projectCommand = (id: string, verb: 'stop' | 'start' | 'restart', title: string, progress: string) =>
    registerCommand(log, id, title, () => run(progress, { verb }), false);

  // The compose files of the cluster folder, for the explorer's and editor's Start/Stop Cluster (`resourcePath in …`).
  const showComposeFiles = (): void => {
    const folder = deps.workspace.folder;
    void vscode.commands.executeCommand('setContext', 'wabaCluster.composeFiles', folder ? folder.composeFiles.map((f) => resolve(folder.path, f)) : []);
  };
  showComposeFiles();

  return [
    deps.workspace.onDidChange(showComposeFiles),
    registerCommand(log, 'wabaCluster.refresh', vscode.l10n.t('Refresh'), () => monitor.refresh()),
    registerCommand(log, 'wabaCluster.up', vscode.l10n.t('Start Cluster'), (answers?: StartAnswers) => start(vscode.l10n.t('Starting the cluster'), undefined, testAnswers(answers)), false),
    registerCommand(log, 'wabaCluster.startService', vscode.l10n.t('Start Service'), async (row?: NodeRow, selected?: NodeRow[]) => {
      const services = await servicesOf(row, selected, vscode.l10n.t('Start which service?'));
      return services.length ? start(vscode.l10n.t('Starting {0}', services.join(', ')), services, undefined) : false;
    }, false),
    serviceCommand('wabaCluster.stopService', 'stop', vscode.l10n.t('Stop Service'), (services) => vscode.l10n.t('Stopping {0}', services)),
    serviceCommand('wabaCluster.restartService', 'restart', vscode.l10n.t('Restart Service'), (services) => vscode.l10n.t('Restarting {0}', services)),
    registerCommand(log, 'wabaCluster.killService', vscode.l10n.t('Kill Service'), async (row?: NodeRow, selected?: NodeRow[]) => {
      const services = await servicesOf(row, selected, vscode.l10n.t('Kill which service (simulated crash)?'));
      if (!services.length) return false;
      const names = services.join(', ');
      const kill = vscode.l10n.t('Kill {0}', names);
      const answer = await vscode.window.showWarningMessage(vscode.l10n.t('Kill {0} with SIGKILL, like a crash?', names), {
        modal: true, detail: vscode.l10n.t('Its restart policy does not bring it back after a kill. If it owned a shard, the primary master hands the shard to a standby coreapp after unhealthy_interval.'),
      }, kill);
      return answer === kill ? run(vscode.l10n.t('Killing {0}', names), { verb: 'kill', services }) : false;
    }, false),
    registerCommand(log, 'wabaCluster.recreateService', vscode.l10n.t('Recreate'), async (row?: NodeRow, selected?: NodeRow[]) => {
      const services = await servicesOf(row, selected, vscode.l10n.t('Recreate which service?'));
      return services.length ? run(vscode.l10n.t('Recreating {0}', services.join(', ')), { verb: 'up', forceRecreate: true, services }) : false;
    }, false),
    projectCommand('wabaCluster.stopProject', 'stop', vscode.l10n.t('Stop All Nodes'), vscode.l10n.t('Stopping every node (containers and volumes are kept)')),
    projectCommand('wabaCluster.startProject', 'start', vscode.l10n.t('Start All Nodes'), vscode.l10n.t('Starting every stopped node')),
    projectCommand('wabaCluster.restartProject', 'restart', vscode.l10n.t('Restart All Nodes'), vscode.l10n.t('Restarting every node')),
    registerCommand(log, 'wabaCluster.uninstall', vscode.l10n.t('Remove Cluster and Delete Data'), async (given?: UninstallAnswers) => {
      const confirm = vscode.l10n.t('Delete Containers and Data'), backUp = vscode.l10n.t('Back Up Settings, Then Delete');
      const scripted = testAnswers(given);
      const answer = scripted ? (scripted.choice === 'backUp' ? backUp : confirm) : await vscode.window.showWarningMessage(vscode.l10n.t('Remove the cluster and delete its volumes?'), {
        modal: true, detail: vscode.l10n.t('down -v deletes the database (registration, shards, settings, users, messages) and the media volume for good. Back up the settings first (POST {0}) if you may need them.', ROUTES.backup.path),
      }, backUp, confirm);
      // Nothing is deleted unless the backup was written (a declined or failed backup stops here).
      if (answer === backUp && !(await vscode.commands.executeCommand<string | undefined>('wabaCluster.backupSettings', scripted?.backup))) return false;
      if (answer !== confirm && answer !== backUp) return false;
      await run(vscode.l10n.t('Removing the cluster and its volumes'), { verb: 'down', removeVolumes: true });
      await deps.afterDataRemoved();
      return true;
    }, false),
    registerCommand(log, 'wabaCluster.down', vscode.l10n.t('Stop Cluster'), async () => {
      const confirm = vscode.l10n.t('Stop and Remove Containers');
      const answer = await vscode.window.showWarningMessage(
        vscode.l10n.t('Stop the cluster and remove its containers and network? Volumes (database, media) are kept.'), { modal: true }, confirm);
      return answer === confirm ? run(vscode.l10n.t('Stopping the cluster'), { verb: 'down', removeVolumes: false }) : false;
    }, false),
  ];
}

/** Start Cluster's questions as VS Code dialogs; scripted answers (Test mode) go first. */
function startPrompter(answers: StartAnswers | undefined): StartPrompter {
  return {
    async chooseApiVersion(message, versions) {
      if (answers?.apiVersion) return answers.apiVersion;
      const picked = await vscode.window.showQuickPick(versions.map((v) => ({ label: v, description: vscode.l10n.t('local images') })), {
        title: vscode.l10n.t('WA_API_VERSION is not set'), placeHolder: vscode.l10n.t('{0} Pick the version to write into .env:', message), ignoreFocusOut: true,
      });
      return picked?.label;
    },
    async confirmStop(message, containers) {
      if (answers?.stopOthers !== undefined) return answers.stopOthers;
      const stop = vscode.l10n.t('Stop Them and Start');
      return (await vscode.window.showWarningMessage(message, { modal: true, detail: vscode.l10n.t('Stop {0}? They are stopped, not removed (their data stays).', containers.join(', ')) }, stop)) === stop;
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
