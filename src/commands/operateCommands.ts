import * as vscode from 'vscode';
import { checkTestMessage, type TestMessageForm, type TestMessageResult } from '../messages/testMessage';
import type { OperateServices } from '../operate/services';
import type { ClusterSession } from '../session/clusterSession';
import type { InspectorView } from '../webhooks/webhookInspector';
import { testAnswers } from '../testing/testHooks';
import { registerCommand, type CommandLog } from './runCommand';

export interface OperateCommandDeps {
  services: OperateServices;
  session: ClusterSession;
  /** Connects with prompts (the Connect command's flow); whether it is connected. */
  connect(): Promise<boolean>;
  /** Opens the cluster panel (where the inspector shows its callbacks). */
  showPanel(): void;
  log: CommandLog;
}

/** Send a test message, and the webhook inspector, from the command palette. */
export function registerOperateCommands(deps: OperateCommandDeps): vscode.Disposable[] {
  const connected = async () => deps.session.current !== undefined || (await deps.connect());
  return [
    registerCommand(deps.log, 'wabaCluster.sendTestMessage', vscode.l10n.t('Send Test Message'), async (answers?: Partial<TestMessageForm>) => {
      if (!(await connected())) return undefined;
      const form = await testMessageForm(testAnswers(answers) ?? {});
      if (!form) return undefined;
      const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Sending a test message to {0}', form.to) }, () => deps.services.messages.send(form));
      deps.log.info(`Test message ${result.id} to ${result.to}: ${describeRoute(result)}`);
      void vscode.window.showInformationMessage(vscode.l10n.t('Message {0} sent: {1}', result.id, describeRoute(result)));
      return result;
    }),
    registerCommand(deps.log, 'wabaCluster.startWebhookInspector', vscode.l10n.t('Start Webhook Inspector'), async (): Promise<InspectorView | undefined> => {
      if (!(await connected())) return undefined;
      const view = await deps.services.inspector.start();
      deps.log.info(`Webhook inspector listening at ${view.url} on ${view.network}; webhooks.url was ${view.previousUrl}`);
      deps.showPanel();
      return view;
    }),
    registerCommand(deps.log, 'wabaCluster.stopWebhookInspector', vscode.l10n.t('Stop Webhook Inspector'), async (): Promise<InspectorView> => {
      const view = await deps.services.inspector.stop();
      if (view.message) {
        deps.log.info(view.message);
        void vscode.window.showInformationMessage(view.message);
      }
      return view;
    }),
  ];
}

/** "shard 1 · wacore2 (/v1/stats/app: …; …)", or what is not known. */
export function describeRoute(r: TestMessageResult): string {
  const where = r.coreapp ? `shard ${r.shard ?? '?'} · ${r.coreapp}` : 'shard and coreapp not known';
  return `${where}${r.evidence.length ? ` (${r.evidence.join('; ')})` : ''}${r.note ? `. ${r.note}` : ''}`;
}

async function testMessageForm(answers: Partial<TestMessageForm>): Promise<TestMessageForm | undefined> {
  const problem = (field: 'to' | 'text') => (value: string) => {
    const checked = checkTestMessage({ to: field === 'to' ? value : '16315551234', text: field === 'text' ? value : 'x' });
    return checked.ok ? undefined : checked.errors[field];
  };
  const to = answers.to ?? (await vscode.window.showInputBox({
    title: vscode.l10n.t('Send a test message'), prompt: vscode.l10n.t('Recipient: phone number with country code'), placeHolder: '16315551234', ignoreFocusOut: true, validateInput: problem('to'),
  }));
  if (!to) return undefined;
  const text = answers.text ?? (await vscode.window.showInputBox({
    title: vscode.l10n.t('Send a test message'), prompt: vscode.l10n.t('Text'), value: vscode.l10n.t('Test message from VS Code'), ignoreFocusOut: true, validateInput: problem('text'),
  }));
  if (!text) return undefined;
  const checked = checkTestMessage({ to, text });
  if (!checked.ok) throw new Error(Object.values(checked.errors).join(' '));
  return checked.value;
}
