import * as vscode from 'vscode';
import { apiKeyProblem, type ClusterSession } from '../session/clusterSession';
import { answeringFirst, type ConnectAnswers } from '../workflows/sessionPrompter';
import { testAnswers } from '../testing/testHooks';
import { registerCommand, type CommandLog } from './runCommand';
import { vscodeSessionPrompter } from './sessionPrompts';

/** Connects with VS Code prompts for whatever `answers` (automation) leaves open. */
export function connectWithPrompts(session: ClusterSession, answers: ConnectAnswers = {}): Promise<boolean> {
  return session.connect(answeringFirst(answers, vscodeSessionPrompter));
}

/** Connect / disconnect / poll health now / the health API key. */
export function registerWebappCommands(session: ClusterSession, log: CommandLog): vscode.Disposable[] {
  return [
    registerCommand(log, 'wabaCluster.connect', vscode.l10n.t('Connect to Webapp'), (answers?: ConnectAnswers) => connectWithPrompts(session, testAnswers(answers)), false),
    registerCommand(log, 'wabaCluster.disconnect', vscode.l10n.t('Disconnect from Webapp'), async () => {
      const forget = vscode.l10n.t('Disconnect and Forget Certificate and Password');
      const answer = await vscode.window.showInformationMessage(vscode.l10n.t('Stop polling the webapp?'), { modal: true }, vscode.l10n.t('Disconnect'), forget);
      if (answer) await session.disconnect({ byUser: true, forget: answer === forget });
    }),
    registerCommand(log, 'wabaCluster.checkHealth', vscode.l10n.t('Check Health'), async () => {
      if (!session.current && !(await connectWithPrompts(session))) return undefined;
      return session.health.poll();
    }),
    registerCommand(log, 'wabaCluster.setApiKey', vscode.l10n.t('Set Health API Key'), async (key?: string) => {
      const given = testAnswers(key) ?? (await vscode.window.showInputBox({
        title: vscode.l10n.t('Health API key (WA_API_KEY)'), password: true, ignoreFocusOut: true,
        prompt: vscode.l10n.t("The cluster's WA_API_KEY (set on the waweb service). Health is then polled with it; it is kept in VS Code's secret storage only. Empty: forget it."),
        validateInput: (v) => (v === '' ? undefined : apiKeyProblem(v)),
      }));
      if (given === undefined) return false;
      await session.setApiKey(given || undefined);
      log.info(given ? 'Health API key stored (secret storage); health is polled with it.' : 'Health API key forgotten.');
      return true;
    }, false),
  ];
}
