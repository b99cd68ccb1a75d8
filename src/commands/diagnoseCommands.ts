// Diagnose Cluster, the support bundle, the failover drill and the fix "stop a container" as
// commands: VS Code prompts and progress around DiagnoseServices (thin adapters).
import * as vscode from 'vscode';
import { registerCommand, type CommandLog } from './runCommand';
import type { DrillCandidate, DrillPrompter, DrillResult } from '../workflows/failoverDrill';
import type { NodeRow } from '../views/nodeRows';
import { testAnswers } from '../testing/testHooks';
import type { Diagnosis } from '../diagnose/checks';
import { bundleWindows, type DiagnoseServices } from '../diagnose/diagnoseServices';

export interface DiagnoseCommandDeps {
  services: DiagnoseServices;
  /** Opens (or reveals) the cluster panel, where results, topology and timeline show. */
  showPanel(): void;
  stopContainer(id: string): Promise<void>;
  trusted(): boolean;
  log: CommandLog;
}

/** Scripted answers (Test mode only): the drill's target, whether to send messages, whether to restart. */
export interface DrillAnswers { target?: string; messages?: boolean; restart?: boolean }

function requireTrust(deps: DiagnoseCommandDeps): void {
  if (!deps.trusted()) throw new Error(vscode.l10n.t('Restricted Mode: trust this folder (Manage Workspace Trust) to diagnose the cluster; until then the extension runs no programs.'));
}

export function registerDiagnoseCommands(deps: DiagnoseCommandDeps): vscode.Disposable[] {
  const { services, log } = deps;
  return [
    registerCommand(log, 'wabaCluster.diagnose', vscode.l10n.t('Diagnose Cluster'), async (options?: { openPanel?: boolean }): Promise<Diagnosis> => {
      requireTrust(deps);
      if (testAnswers(options)?.openPanel !== false) deps.showPanel();
      const diagnosis = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Diagnosing the cluster') }, () => services.diagnose());
      const { problem, warning } = diagnosis.counts;
      const text = problem + warning === 0
        ? vscode.l10n.t('Diagnose Cluster: every check passed ({0} ok, {1} not checked).', diagnosis.counts.ok, diagnosis.counts.skipped)
        : vscode.l10n.t('Diagnose Cluster: {0} problem(s), {1} warning(s). First: {2}', problem, warning, diagnosis.results[0].title);
      const exportJson = vscode.l10n.t('Export JSON');
      void (problem ? vscode.window.showWarningMessage(text, exportJson) : vscode.window.showInformationMessage(text, exportJson))
        .then((pick) => { if (pick === exportJson) void vscode.commands.executeCommand('wabaCluster.exportDiagnosis'); });
      return diagnosis;
    }),
    registerCommand(log, 'wabaCluster.exportDiagnosis', vscode.l10n.t('Export Diagnosis as JSON'), async (file?: string) => {
      requireTrust(deps);
      const written = await services.exportDiagnosis(testAnswers(file));
      log.info(vscode.l10n.t('Diagnosis written to {0}', written));
      const open = vscode.l10n.t('Open');
      void vscode.window.showInformationMessage(vscode.l10n.t('Diagnosis written to {0}', written), open).then((a) => { if (a === open) void vscode.window.showTextDocument(vscode.Uri.file(written)); });
      return written;
    }),
    registerCommand(log, 'wabaCluster.supportBundle', vscode.l10n.t('Create Support Bundle'), async (windowMinutes?: number) => {
      requireTrust(deps);
      const minutes = testAnswers(windowMinutes) ?? (await vscode.window.showQuickPick(bundleWindows().map((w) => ({ label: w.label, minutes: w.minutes })), {
        title: vscode.l10n.t('Support bundle: logs of which time window?'),
        placeHolder: vscode.l10n.t('Logs, docker inspect (secrets masked), /v1/health, /v1/support, settings and the diagnosis, in one zip'),
      }))?.minutes;
      if (minutes === undefined) return undefined;
      const file = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Creating the support bundle') }, () => services.supportBundle(minutes));
      log.info(vscode.l10n.t('Support bundle written to {0}', file));
      const reveal = vscode.l10n.t('Reveal in Explorer');
      void vscode.window.showInformationMessage(vscode.l10n.t('Support bundle written to {0} (passwords and keys masked).', file), reveal)
        .then((a) => { if (a === reveal) void vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(file)); });
      return file;
    }),
    registerCommand(log, 'wabaCluster.failoverDrill', vscode.l10n.t('Failover Drill'), async (arg?: NodeRow | DrillAnswers): Promise<DrillResult | undefined> => {
      requireTrust(deps);
      const row = arg && 'contextValue' in arg ? arg : undefined;
      const answers = row ? {} : testAnswers(arg as DrillAnswers | undefined) ?? {};
      deps.showPanel();
      return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Failover drill'), cancellable: true }, (progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        return services.runDrill(drillPrompter(answers, row?.label), { step: (message) => { log.info(message); progress.report({ message }); }, signal: abort.signal });
      });
    }),
    registerCommand(log, 'wabaCluster.stopContainer', vscode.l10n.t('Stop Container'), async (target?: { id: string; name: string }, confirmed?: boolean) => {
      requireTrust(deps);
      if (!target) return false;
      const stop = vscode.l10n.t('Stop {0}', target.name);
      const go = testAnswers(confirmed) ?? (await vscode.window.showWarningMessage(vscode.l10n.t('Stop the container {0}?', target.name), {
        modal: true, detail: vscode.l10n.t('It is stopped, not removed. A replica made by --scale also goes with "docker compose up -d --scale <service>=1".'),
      }, stop)) === stop;
      if (!go) return false;
      await deps.stopContainer(target.id);
      log.info(vscode.l10n.t('Stopped {0}', target.name));
      return true;
    }, false),
  ];
}

/** The drill's questions as VS Code dialogs; scripted answers (Test mode) go first. */
function drillPrompter(answers: DrillAnswers, preselected: string | undefined): DrillPrompter {
  return {
    async pickTarget(candidates) {
      const wanted = answers.target ?? preselected;
      if (wanted) {
        const found = candidates.find((c) => c.node === wanted);
        if (!found) throw new Error(vscode.l10n.t('{0} cannot be drilled: pick a connected coreapp that owns a shard, or the primary master ({1}).', wanted, candidates.map((c) => c.node).join(', ')));
        return found;
      }
      const picked = await vscode.window.showQuickPick(candidates.map((c): vscode.QuickPickItem & { c: DrillCandidate } => ({ label: c.node, description: c.description, c })), {
        title: vscode.l10n.t('Failover drill: which node to kill?'), placeHolder: vscode.l10n.t('A connected coreapp (its shard moves to a standby) or the primary master (the other master takes over)'),
      });
      return picked?.c;
    },
    async confirmKill(target, detail, canSend) {
      if (answers.messages !== undefined) return { messages: answers.messages };
      const kill = vscode.l10n.t('Kill {0} and Measure', target.node);
      const withMessages = vscode.l10n.t('Kill, Measure and Send Messages');
      const answer = await vscode.window.showWarningMessage(vscode.l10n.t('Kill {0} to measure the failover?', target.node), {
        modal: true, detail: `${detail}\n\n${vscode.l10n.t('Messages are sent to test recipients throughout (to real numbers on a real cluster): their failures show the failure window.')}`,
      }, kill, ...(canSend ? [withMessages] : []));
      return answer === kill ? { messages: false } : answer === withMessages ? { messages: true } : undefined;
    },
    async offerRestart(target, summary) {
      if (answers.restart !== undefined) return answers.restart;
      const restart = vscode.l10n.t('Restart {0}', target.node);
      return (await vscode.window.showInformationMessage(summary, restart)) === restart;
    },
  };
}
