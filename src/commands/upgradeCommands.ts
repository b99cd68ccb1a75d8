import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ComposeVerb } from '../compose/composeCommand';
import type { ComposeLineSink, ComposeResult } from '../compose/composeRunner';
import type { ClusterFolder } from '../compose/clusterFolder';
import type { ClusterSession } from '../session/clusterSession';
import { UpgradeWorkflow, type UpgradeContainers, type UpgradeEngine, type UpgradePorts, type UpgradePrompter, type UpgradeProgress } from '../workflows/upgradeWorkflow';
import { testAnswers } from '../testing/testHooks';
import { processLines, registerCommand, type CommandLog } from './runCommand';
import { backupWithPrompts, registerSettingsCommands } from './settingsCommands';
import { noClusterFolder } from '../notReady';

/** What the upgrade and backup commands need; extension.ts wires the real ones. */
export interface UpgradeDeps {
  /** The cluster folder as it is now, or undefined when none is open. */
  folder(): Pick<ClusterFolder, 'path' | 'dbEngine' | 'dbUpgradeFiles'> | undefined;
  /** Runs one compose action in the cluster folder (`files` replace the folder's compose files). */
  compose(action: ComposeVerb, options: { files?: string[]; env?: Record<string, string>; onLine: ComposeLineSink }): Promise<ComposeResult>;
  containers: UpgradeContainers;
  engine: UpgradeEngine;
  /** Where an upgrade of the folder stopped (the workspace's state). */
  resumePoint(folder: string): UpgradePorts['resumePoint'];
  session: ClusterSession;
  /** Connects with prompts (the Connect command's flow); whether it is connected. */
  connect(): Promise<boolean>;
  log: CommandLog;
}

/** Answers for automation (tests); prompts fill the gaps. */
export interface UpgradeOptions { version?: string; confirmed?: boolean; backupPassword?: string; backupFile?: string; resume?: 'continue' | 'discard' }

/** Backing up and restoring the settings, and upgrading the cluster to another WA_API_VERSION as Meta's guide does. */
export function registerUpgradeCommands(deps: UpgradeDeps): vscode.Disposable[] {
  return [
    ...registerSettingsCommands(settingsDeps(deps)),
    registerCommand(deps.log, 'wabaCluster.upgrade', 'Upgrade Cluster', (options?: UpgradeOptions) => upgrade(deps, testAnswers(options) ?? {}), false),
  ];
}

const settingsDeps = (deps: UpgradeDeps) => ({ session: deps.session, connect: deps.connect, log: deps.log, folder: () => deps.folder()?.path });

function requireFolder(deps: UpgradeDeps): string {
  const folder = deps.folder();
  if (!folder) throw new Error(noClusterFolder());
  return folder.path;
}

async function upgrade(deps: UpgradeDeps, options: UpgradeOptions): Promise<boolean> {
  const folder = requireFolder(deps);
  const lines = processLines(deps.log);
  const onLine: ComposeLineSink = (line, stream) => lines[stream](line);
  const workflow = new UpgradeWorkflow({
    folder: {
      readDotenv: () => (existsSync(join(folder, '.env')) ? readFileSync(join(folder, '.env'), 'utf8') : ''),
      writeDotenv: (text) => writeFileSync(join(folder, '.env'), text),
      dbEngine: () => deps.folder()?.dbEngine,
      dbUpgradeFiles: () => deps.folder()?.dbUpgradeFiles ?? [],
    },
    compose: {
      up: ({ files, services, version }) => deps.compose({ verb: 'up', services }, { files, env: version ? { WA_API_VERSION: version } : {}, onLine }),
    },
    containers: deps.containers,
    health: deps.session.health,
    engine: deps.engine,
    resumePoint: deps.resumePoint(folder),
    backUp: () => backupWithPrompts(settingsDeps(deps), { password: options.backupPassword, file: options.backupFile }),
    environment: process.env,
  });
  const progress = lazyProgress(vscode.l10n.t('Upgrading the cluster'), deps.log);
  try {
    const result = await workflow.run(upgradePrompter(options), progress);
    if (result.kind === 'declined') return false;
    const health = {
      confirmed: vscode.l10n.t('every node reports {0}.', result.to),
      notConnected: vscode.l10n.t('connect to the webapp to see the nodes come back.'),
      stoppedWaiting: vscode.l10n.t('the nodes may still be upgrading the schema (uninitialized).'),
    }[result.health];
    deps.log.info(`Upgrade to ${result.to} done: ${health}`);
    void vscode.window.showInformationMessage(vscode.l10n.t('The cluster runs {0}: {1}', result.to, health));
    return true;
  } finally {
    progress.done();
  }
}

function upgradePrompter(options: UpgradeOptions): UpgradePrompter {
  return {
    version: async (from, problem) => options.version ?? vscode.window.showInputBox({
      title: vscode.l10n.t('Upgrade the cluster'), prompt: vscode.l10n.t('New WA_API_VERSION (now {0})', from ?? vscode.l10n.t('unset')), ignoreFocusOut: true, validateInput: problem,
    }),
    confirm: async (plan) => {
      if (options.confirmed) return options.backupPassword ? 'backUpFirst' : 'upgrade';
      const go = vscode.l10n.t('Upgrade to {0}', plan.to), backUp = vscode.l10n.t('Back Up Settings First');
      const path = plan.runDbUpgradeJob ? vscode.l10n.t('DB upgrade job first, the old version serves meanwhile') : vscode.l10n.t("the guide's basic path, with downtime");
      const answer = await vscode.window.showWarningMessage(vscode.l10n.t('Upgrade the cluster from {0} to {1} ({2})?', plan.from ?? '?', plan.to, path), {
        modal: true, detail: `${plan.steps.map((s, i) => `${i + 1}. ${s}`).join('\n')}\n\n${vscode.l10n.t('Meta recommends backing up the settings first and upgrading at quiet hours.')}`,
      }, backUp, go);
      return answer === go ? 'upgrade' : answer === backUp ? 'backUpFirst' : undefined;
    },
    resume: async (point) => {
      if (options.resume ?? options.confirmed) return options.resume ?? 'continue';
      const resume = vscode.l10n.t('Continue'), discard = vscode.l10n.t('Start Over');
      const answer = await vscode.window.showWarningMessage(vscode.l10n.t('The upgrade to {0} stopped before it finished. Continue it?', point.to), {
        modal: true, detail: vscode.l10n.t('It stopped when the Docker engine went away; Continue runs its remaining steps. Start Over asks for the version again.'),
      }, resume, discard);
      return answer === resume ? 'continue' : answer === discard ? 'discard' : undefined;
    },
  };
}

/**
 * A cancellable progress notification that appears with the first step (not while the user
 * answers the questions before it); every step is also logged.
 */
function lazyProgress(title: string, log: CommandLog): UpgradeProgress & { done(): void } {
  const abort = new AbortController();
  let report: ((message: string) => void) | undefined;
  let finish: (() => void) | undefined;
  return {
    signal: abort.signal,
    step(message) {
      log.info(message);
      if (!report) {
        const ended = new Promise<void>((resolve) => { finish = resolve; });
        void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
          token.onCancellationRequested(() => abort.abort());
          report = (m) => progress.report({ message: m });
          return ended;
        });
        // withProgress calls its task at once; until then, the first step is reported from here.
        report ??= () => undefined;
      }
      report(message);
    },
    done: () => finish?.(),
  };
}
