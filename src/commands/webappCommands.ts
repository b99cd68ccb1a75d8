import * as vscode from 'vscode';
import type { ConnectOptions, WebappConnection } from './webappConnection';

/** Connect / disconnect / poll health now. */
export function registerWebappCommands(connection: WebappConnection): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('wabaCluster.connect', (options?: ConnectOptions) => connection.connect(options ?? {})),
    vscode.commands.registerCommand('wabaCluster.disconnect', async () => {
      const forget = 'Disconnect and Forget Certificate and Password';
      const answer = await vscode.window.showInformationMessage('Stop polling the webapp?', { modal: true }, 'Disconnect', forget);
      if (answer) await connection.disconnect({ byUser: true, forget: answer === forget });
    }),
    vscode.commands.registerCommand('wabaCluster.checkHealth', async () => {
      if (!connection.current && !(await connection.connect())) return undefined;
      return connection.health.poll();
    }),
  ];
}
