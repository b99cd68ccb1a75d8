import * as vscode from 'vscode';
import { apiKeyProblem, type ClusterSession } from '../session/clusterSession';
import { answeringFirst, type ConnectAnswers } from '../session/sessionPrompter';
import { testAnswers } from '../workspace/testHooks';
import { registerCommand, type CommandLog } from './runCommand';
import { vscodeSessionPrompter } from './sessionPrompts';

/** Connects with VS Code prompts for whatever `answers` (automation) leaves open. */
export function connectWithPrompts(session: ClusterSession, answers: ConnectAnswers = {}): Promise<boolean> {
  return session.connect(answeringFirst(answers, vscodeSessionPrompter));
}

/** Connect / disconnect / poll health now / the health API key. */
export function registerWebappCommands(session: ClusterSession, log: CommandLog): vscode.Disposable[] {
  return [
    registerCommand(log, 'wabaCluster.connect', 'Connect to Webapp', (answers?: ConnectAnswers) => connectWithPrompts(session, testAnswers(answers)), false),
    registerCommand(log, 'wabaCluster.disconnect', 'Disconnect from Webapp', async () => {
      const forget = 'Disconnect and Forget Certificate and Password';
      const answer = await vscode.window.showInformationMessage('Stop polling the webapp?', { modal: true }, 'Disconnect', forget);
      if (answer) await session.disconnect({ byUser: true, forget: answer === forget });
    }),
    registerCommand(log, 'wabaCluster.checkHealth', 'Check Health', async () => {
      if (!session.current && !(await connectWithPrompts(session))) return undefined;
      return session.health.poll();
    }),
    registerCommand(log, 'wabaCluster.setApiKey', 'Set Health API Key', async (key?: string) => {
      const given = testAnswers(key) ?? (await vscode.window.showInputBox({
        title: 'Health API key (WA_API_KEY)', password: true, ignoreFocusOut: true,
        prompt: "The cluster's WA_API_KEY (set on the waweb service). Health is then polled with it; it is kept in VS Code's secret storage only. Empty: forget it.",
        validateInput: (v) => (v === '' ? undefined : apiKeyProblem(v)),
      }));
      if (given === undefined) return false;
      await session.setApiKey(given || undefined);
      log.info(given ? 'Health API key stored (secret storage); health is polled with it.' : 'Health API key forgotten.');
      return true;
    }, false),
  ];
}
