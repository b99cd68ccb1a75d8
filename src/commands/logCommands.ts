import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ClusterMonitor } from '../cluster/clusterMonitor';
import type { ClusterCompose } from '../compose/clusterCompose';
import { describeDockerError } from '../docker/dockerClient';
import { stripAnsi } from '../docker/logFrames';
import type { LogSource } from '../docker/logTail';
import { LineBudget } from '../docker/lineBudget';
import { LogTailSet, ServiceLogSink } from '../docker/logTailSet';
import type { NodeRow } from '../views/nodeRows';
import { noClusterFolder } from '../notReady';

/** One output channel per service, fed by a tail that survives restarts of the service and of the engine. */
export class LogTails extends LogTailSet<ChannelSink> implements vscode.Disposable {
  /** `maxLines()`: wabaCluster.logs.maxLines as set now. */
  constructor(docker: LogSource, project: string | undefined, maxLines: () => number) {
    super(docker, project, (service) => openChannelSink(service, maxLines));
  }
}

interface ChannelSink extends ServiceLogSink { readonly channel: vscode.OutputChannel }

function openChannelSink(service: string, maxLines: () => number): ChannelSink {
  const channel = vscode.window.createOutputChannel(`WABA logs: ${service}`);
  const budget = new LineBudget(maxLines);
  const notice = (text: string) => `──── ${new Date().toISOString()} ${text} ────`;
  const append = (line: string): void => {
    const cleared = budget.take();
    if (cleared !== undefined) {
      channel.clear();
      budget.take();
      channel.appendLine(notice(vscode.l10n.t('{0} earlier lines cleared (wabaCluster.logs.maxLines is {1}). "WABA: Collect Logs into debug_output.txt" writes the whole log.', cleared, maxLines())));
    }
    channel.appendLine(line);
  };
  return {
    channel,
    line: ({ text }) => append(stripAnsi(text)),
    notice: (text) => append(notice(text)),
    reveal: () => channel.show(true),
    dispose: () => channel.dispose(),
  };
}

interface LogCommandDeps { workspace: { readonly folder: { path: string } | undefined }; compose: ClusterCompose; monitor: ClusterMonitor; tails: LogTails | undefined; output: vscode.LogOutputChannel }

export function registerLogCommands({ workspace, compose, monitor, tails, output }: LogCommandDeps): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('wabaCluster.tailLogs', async (row?: NodeRow) => {
      const snapshot = await monitor.refresh();
      if (!tails || snapshot.kind !== 'ready') {
        void vscode.window.showErrorMessage(snapshot.kind === 'dockerUnreachable' ? snapshot.message : noClusterFolder());
        return undefined;
      }
      const node = row ? snapshot.nodes.find((n) => n.id === row.id) : await pickNode(snapshot.nodes);
      if (!node) return undefined;
      try {
        await tails.show(node.service, node.id);
      } catch (error) {
        void vscode.window.showErrorMessage(vscode.l10n.t('Cannot follow the log of {0}: {1}', node.service, describeDockerError(error, monitor.engine.endpoint)));
        return undefined;
      }
      return node.service;
    }),
    vscode.commands.registerCommand('wabaCluster.collectLogs', async (service?: string) => {
      const folder = workspace.folder;
      if (!folder) { void vscode.window.showErrorMessage(noClusterFolder()); return undefined; }
      const file = join(folder.path, 'debug_output.txt');
      if (existsSync(file)) {
        const overwrite = vscode.l10n.t('Overwrite');
        if (await vscode.window.showWarningMessage(vscode.l10n.t('{0} exists. Overwrite it with the current logs?', file), { modal: true }, overwrite) !== overwrite) return undefined;
      }
      let result;
      try {
        result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Collecting logs into debug_output.txt') },
          () => compose.run({ verb: 'logs', services: service ? [service] : undefined }, (l) => output.warn(l), { stdoutFile: file }));
      } catch (error) {
        void vscode.window.showErrorMessage(vscode.l10n.t('Collecting logs failed: {0}', (error as Error).message));
        return undefined;
      }
      if (result.exitCode !== 0) {
        void vscode.window.showErrorMessage(vscode.l10n.t('Collecting logs failed (exit {0}): {1}', result.exitCode, result.lastLines.at(-1) ?? ''));
        return undefined;
      }
      const open = vscode.l10n.t('Open');
      void vscode.window.showInformationMessage(vscode.l10n.t('Logs written to {0}', file), open).then((a) => { if (a === open) void vscode.window.showTextDocument(vscode.Uri.file(file)); });
      return file;
    }),
  ];
}

async function pickNode<T extends { service: string; state: string; id: string }>(nodes: T[]): Promise<T | undefined> {
  const picked = await vscode.window.showQuickPick(nodes.map((n) => ({ label: n.service, description: n.state, node: n })), { title: vscode.l10n.t('Tail the log of…') });
  return picked?.node;
}
