import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { WabaSession } from '../api/wabaSession';
import type { ClusterSession } from '../session/clusterSession';
import { backupPasswordProblem, writeBackupFile } from '../settings/backupFile';
import { sessionApi } from '../settings/settingsApi';
import { applyRestore, planRestore, takeBackup, type RestorePlan } from '../settings/settingsRestore';
import { testAnswers } from '../testing/testHooks';
import { registerCommand, type CommandLog } from './runCommand';

/** What Back Up Settings and Restore Settings need; extension.ts wires the real ones. */
export interface SettingsCommandDeps {
  session: ClusterSession;
  /** Connects with prompts (the Connect command's flow); whether it is connected. */
  connect(): Promise<boolean>;
  /** The cluster folder: where the file dialogs open. */
  folder(): string | undefined;
  log: CommandLog;
}

/** Answers for automation (Test mode); prompts fill the gaps. */
export interface BackupAnswers { password?: string; file?: string }
export interface RestoreAnswers { file?: string; password?: string; confirmed?: boolean }

const FILTERS = { 'WABA settings backup': ['wabackup', 'json', 'txt'] };

export function registerSettingsCommands(deps: SettingsCommandDeps): vscode.Disposable[] {
  return [
    registerCommand(deps.log, 'wabaCluster.backupSettings', vscode.l10n.t('Back Up Settings'), (answers?: BackupAnswers) => backupWithPrompts(deps, testAnswers(answers) ?? {})),
    registerCommand(deps.log, 'wabaCluster.restoreSettings', vscode.l10n.t('Restore Settings'), (answers?: RestoreAnswers) => restoreWithPrompts(deps, testAnswers(answers) ?? {}), false),
  ];
}

async function connected(deps: SettingsCommandDeps): Promise<WabaSession | undefined> {
  return deps.session.current ?? ((await deps.connect()) ? deps.session.current : undefined);
}

/**
 * `POST /v1/settings/backup` into a file the user picks (the guide's advice before upgrading or
 * removing the cluster). The file written, or undefined when the user declined a question.
 */
export async function backupWithPrompts(deps: SettingsCommandDeps, answers: BackupAnswers): Promise<string | undefined> {
  const session = await connected(deps);
  if (!session) return undefined;
  const password = answers.password ?? (await vscode.window.showInputBox({
    title: vscode.l10n.t('Back up the settings'), prompt: vscode.l10n.t('Password that encrypts the backup (needed again to restore it; it is not stored)'),
    password: true, ignoreFocusOut: true, validateInput: backupPasswordProblem,
  }));
  if (!password) return undefined;
  const folder = deps.folder();
  const name = `waba-settings-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')}.wabackup`;
  const file = answers.file ?? (await vscode.window.showSaveDialog({
    title: vscode.l10n.t('Save the settings backup'), saveLabel: vscode.l10n.t('Save Backup'), filters: FILTERS,
    ...(folder ? { defaultUri: vscode.Uri.file(join(folder, name)) } : {}),
  }))?.fsPath;
  if (!file) return undefined;
  const backup = await takeBackup(sessionApi(session), password, { webapp: session.client.baseUrl, apiVersion: apiVersionOf(deps) });
  writeBackupFile(file, backup);
  deps.log.info(`Settings backed up to ${file}`);
  void vscode.window.showInformationMessage(vscode.l10n.t('Settings backed up to {0}. Keep the password: restoring needs it.', file));
  return file;
}

/** Restores a backup file after showing what will change; whether it was restored. */
async function restoreWithPrompts(deps: SettingsCommandDeps, answers: RestoreAnswers): Promise<boolean> {
  const session = await connected(deps);
  if (!session) return false;
  const folder = deps.folder();
  const file = answers.file ?? (await vscode.window.showOpenDialog({
    title: vscode.l10n.t('Restore the settings from a backup'), openLabel: vscode.l10n.t('Restore From This File'), filters: FILTERS, canSelectMany: false,
    ...(folder ? { defaultUri: vscode.Uri.file(folder) } : {}),
  }))?.[0]?.fsPath;
  if (!file) return false;
  const text = readFileSync(file, 'utf8');
  const password = answers.password ?? (await vscode.window.showInputBox({
    title: vscode.l10n.t('Restore the settings'), prompt: vscode.l10n.t('Password of the backup {0}', file), password: true, ignoreFocusOut: true,
  }));
  if (!password) return false;
  const api = sessionApi(session);
  const plan = await planRestore(api, text, password);
  if (!answers.confirmed && !(await confirmRestore(file, plan))) return false;
  const changed = await applyRestore(api, plan, password);
  void deps.session.health.poll();
  const summary = changed.length ? changed.join('; ') : vscode.l10n.t('no application setting changed');
  deps.log.info(`Settings restored from ${file}: ${summary}`);
  void vscode.window.showInformationMessage(vscode.l10n.t('Settings restored from {0}: {1}.', file, summary));
  return true;
}

async function confirmRestore(file: string, plan: RestorePlan): Promise<boolean> {
  const restore = vscode.l10n.t('Restore');
  const origin = plan.origin ? vscode.l10n.t('Taken {0} from {1} ({2}).', plan.origin.createdAt, plan.origin.webapp ?? '?', plan.origin.apiVersion ?? '?') : '';
  const what = !plan.previewed
    ? vscode.l10n.t('This file is a bare backup (the webapp\'s data only): what changes cannot be shown before the webapp applies it; the changes are listed afterwards.')
    : plan.changes.length ? `${vscode.l10n.t('Changes:')}\n${plan.changes.map((c) => `• ${c}`).join('\n')}` : vscode.l10n.t('No application setting changes; registration and the rest of the backup are restored as they were.');
  const answer = await vscode.window.showWarningMessage(vscode.l10n.t('Restore the settings from {0}?', file), {
    modal: true,
    detail: `${origin}\n\n${what}\n\n${vscode.l10n.t('Meta: on a cluster that is already running, the restore may stop the application; restart the coreapps (Restart Service) if health shows them stopped afterwards.')}`,
  }, restore);
  return answer === restore;
}

function apiVersionOf(deps: SettingsCommandDeps): string | undefined {
  const health = deps.session.health.state;
  return health.kind === 'ok' ? health.version : undefined;
}
