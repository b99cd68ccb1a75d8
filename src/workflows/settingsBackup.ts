import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WabaSession } from '../api/wabaSession';
import { t } from '../l10n';

/** Why a backup password cannot be used, or undefined. */
export function backupPasswordProblem(password: string): string | undefined {
  return password.length < 8 ? t('The backup password needs at least 8 characters.') : undefined;
}

/**
 * `POST /v1/settings/backup` (the guide's advice before upgrading or removing the cluster): the
 * encrypted blob is written to a new file in `folder`, readable by the user only. Returns the file.
 */
export async function backUpSettings(session: WabaSession, password: string, folder: string, now = new Date()): Promise<string> {
  const problem = backupPasswordProblem(password);
  if (problem) throw new Error(problem);
  const r = await session.authorized((authorization) => session.client.call<{ settings?: { data?: string } }>('POST', '/v1/settings/backup', { authorization, body: { password } }));
  const data = r.body?.settings?.data;
  if (!data) throw new Error(t('The webapp answered the backup without settings.data.'));
  const file = join(folder, `waba-settings-backup-${now.toISOString().replace(/[:.]/g, '-')}.txt`);
  writeFileSync(file, data + '\n', { flag: 'wx', mode: 0o600 });
  return file;
}
