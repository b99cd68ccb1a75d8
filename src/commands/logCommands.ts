import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ClusterMonitor } from '../cluster/clusterMonitor';
import { ClusterFolder, composeEnvironment } from '../compose/clusterFolder';
import { parseComposeCommand } from '../compose/composeCommand';
import { runComposeToFile } from '../compose/composeRunner';
import type { DockerClient } from '../docker/dockerClient';
import { stripAnsi } from '../docker/logFrames';
import { ServiceLogTail } from '../docker/logTail';
import type { NodeRow } from '../views/nodeRows';

/** One output channel per service, fed by a tail that survives restarts. */
export class LogTails implements vscode.Disposable {
  private readonly tails = new Map<string, { tail: ServiceLogTail; channel: vscode.OutputChannel }>();

  constructor(private readonly docker: DockerClient, private readonly project: string) {}

  async show(service: string, containerId: string): Promise<vscode.OutputChannel> {
    const existing = this.tails.get(service);
    if (existing) { existing.channel.show(true); return existing.channel; }
    const channel = vscode.window.createOutputChannel(`WABA logs: ${service}`);
    const tail = new ServiceLogTail(this.docker, this.project, service, {
      line: ({ text }) => channel.appendLine(stripAnsi(text)),
      notice: (text) => channel.appendLine(`──── ${new Date().toISOString()} ${text} ────`),
    });
    this.tails.set(service, { tail, channel });
    channel.show(true);
    try {
      await tail.start(containerId);
    } catch (error) {
      channel.appendLine(`Cannot follow the log of ${service}: ${(error as Error).message}`);
      tail.stop();
      this.tails.delete(service); // the next Tail Logs tries again
      channel.dispose();
    }
    return channel;
  }

  /** Services whose log is being followed. */
  get services(): string[] { return [...this.tails.keys()]; }

  dispose(): void {
    for (const { tail, channel } of this.tails.values()) { tail.stop(); channel.dispose(); }
    this.tails.clear();
  }
}

interface LogCommandDeps { folder: ClusterFolder | undefined; monitor: ClusterMonitor; tails: LogTails | undefined; output: vscode.LogOutputChannel; dockerHost: string | undefined }

export function registerLogCommands({ folder, monitor, tails, output, dockerHost }: LogCommandDeps): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('wabaCluster.tailLogs', async (row?: NodeRow) => {
      const snapshot = await monitor.refresh();
      if (!tails || snapshot.kind !== 'ready') {
        void vscode.window.showErrorMessage(snapshot.kind === 'dockerUnreachable' ? snapshot.message : 'No cluster folder is open.');
        return undefined;
      }
      const node = row ? snapshot.nodes.find((n) => n.id === row.id) : await pickNode(snapshot.nodes);
      if (!node) return undefined;
      await tails.show(node.service, node.id);
      return node.service;
    }),
    vscode.commands.registerCommand('wabaCluster.collectLogs', async (service?: string) => {
      if (!folder) { void vscode.window.showErrorMessage('No cluster folder is open.'); return undefined; }
      const file = join(folder.path, 'debug_output.txt');
      if (existsSync(file)) {
        const overwrite = 'Overwrite';
        if (await vscode.window.showWarningMessage(`${file} exists. Overwrite it with the current logs?`, { modal: true }, overwrite) !== overwrite) return undefined;
      }
      const command = parseComposeCommand(vscode.workspace.getConfiguration('wabaCluster').get<string>('composeCommand', 'docker-compose'));
      let result;
      try {
        result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Collecting logs into debug_output.txt' },
          () => runComposeToFile(command, folder, { verb: 'logs', services: service ? [service] : undefined }, file, (l) => output.warn(l), composeEnvironment(folder, dockerHost)));
      } catch (error) {
        void vscode.window.showErrorMessage(`Collecting logs failed: ${(error as Error).message}`);
        return undefined;
      }
      if (result.exitCode !== 0) {
        void vscode.window.showErrorMessage(`Collecting logs failed (exit ${result.exitCode}): ${result.lastLines.at(-1) ?? ''}`);
        return undefined;
      }
      const open = 'Open';
      void vscode.window.showInformationMessage(`Logs written to ${file}`, open).then((a) => { if (a === open) void vscode.window.showTextDocument(vscode.Uri.file(file)); });
      return file;
    }),
  ];
}

async function pickNode<T extends { service: string; state: string; id: string }>(nodes: T[]): Promise<T | undefined> {
  const picked = await vscode.window.showQuickPick(nodes.map((n) => ({ label: n.service, description: n.state, node: n })), { title: 'Tail the log of…' });
  return picked?.node;
}
