// Backup and restore of the settings without VS Code: the backup reads the settings for the preview
// and asks the webapp for its blob; a restore opens the file, shows what will change against the
// settings now, and only then sends the blob back.
import type { WebappApi } from '../api/webappApi';
import { backupPasswordProblem, createBackupFile, openPreview, readBackupText, type BackupFile } from './backupFile';
import { describeChange, diffSettings } from './settingsForm';

/** `ROUTES.backup` with a preview of the application settings of this moment. */
export async function takeBackup(api: WebappApi, password: string, origin: { webapp?: string; apiVersion?: string } = {}): Promise<BackupFile> {
  const problem = backupPasswordProblem(password);
  if (problem) throw new Error(problem);
  const application = await api.settings();
  const data = await api.backup(password);
  return createBackupFile({ data, application, password, ...origin });
}

export interface RestorePlan {
  /** "unhealthy_interval 3 s → 30 s" for each field the restore changes; empty when none. */
  changes: string[];
  /** false for a bare blob: the change cannot be known before the webapp applies it. */
  previewed: boolean;
  /** When and from where the backup was taken (extension files only). */
  origin?: { createdAt: string; webapp?: string; apiVersion?: string };
  data: string;
}

/** What restoring `text` with `password` will change; throws for a wrong password before anything is sent. */
export async function planRestore(api: WebappApi, text: string, password: string): Promise<RestorePlan> {
  const backup = readBackupText(text);
  if (backup.kind === 'bare') return { changes: [], previewed: false, data: backup.data };
  const wanted = openPreview(backup.file, password);
  const current = await api.settings();
  const { createdAt, webapp, apiVersion } = backup.file;
  return { changes: diffSettings(current, wanted).map(describeChange), previewed: true, origin: { createdAt, webapp, apiVersion }, data: backup.file.data };
}

/** Sends the blob back; returns what changed, read back from the webapp. */
export async function applyRestore(api: WebappApi, plan: RestorePlan, password: string): Promise<string[]> {
  const before = await api.settings();
  await api.restore(plan.data, password);
  return diffSettings(before, await api.settings()).map(describeChange);
}
