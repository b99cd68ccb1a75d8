import * as vscode from 'vscode';
import { registerCommand, type CommandLog } from './runCommand';
import type { ConnectOptions, WebappConnection } from './webappConnection';

/** Connect / disconnect / poll health now. */
export function registerWebappCommands(connection: WebappConnection, log: CommandLog): vscode.Disposable[] {
  return [
    registerCommand(log, 'wabaCluster.connect', 'Connect to Webapp', (options?: ConnectOptions) => connection.connect(options ?? {}), false),
    registerCommand(log, 'wabaCluster.disconnect', 'Disconnect from Webapp', async () => {
      const forget = 'Disconnect and Forget Certificate and Password';
      const answer = await vscode.window.showInformationMessage('Stop polling the webapp?', { modal: true }, 'Disconnect', forget);
      if (answer) await connection.disconnect({ byUser: true, forget: answer === forget });
    }),
    registerCommand(log, 'wabaCluster.checkHealth', 'Check Health', async () => {
      if (!connection.current && !(await connection.connect())) return undefined;
      return connection.health.poll();
    }),
  ];
}
