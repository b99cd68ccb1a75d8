// The settings backup file the extension writes: Meta's encrypted blob (`ROUTES.backup`,
// what `ROUTES.restore` takes back) plus a preview of the application settings of that
// moment, sealed with the same password (scrypt + AES-256-GCM), so a restore can show what will change
// before anything is sent, and a wrong password is caught here. Without the password the file tells
// nothing but when and from where it was taken. A bare blob (a curl backup) is read too, without preview.
import { ROUTES } from '../contract';
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { t } from '../l10n';

export const BACKUP_FORMAT = 'waba-cluster-settings-backup';

interface Sealed { salt: string; iv: string; tag: string; ciphertext: string }

export interface BackupFile {
  format: typeof BACKUP_FORMAT;
  version: 1;
  createdAt: string;
  /** The webapp it came from and the version it ran (not secret). */
  webapp?: string;
  apiVersion?: string;
  /** Meta's encrypted backup, as the webapp answered it. */
  data: string;
  /** `{ application }` of `ROUTES.settings` at backup time, sealed with the backup password. */
  preview: Sealed;
}

export type ReadBackup =
  | { kind: 'extension'; file: BackupFile }
  | { kind: 'bare'; data: string };

/** Why a backup password cannot be used, or undefined. */
export function backupPasswordProblem(password: string): string | undefined {
  return password.length < 8 ? t('The backup password needs at least 8 characters.') : undefined;
}

function keyOf(password: string, salt: Buffer): Buffer {
  return scryptSync(password, salt, 32, { N: 16384, r: 8, p: 1 });
}

function seal(value: unknown, password: string): Sealed {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(password, salt), iv);
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return { salt: salt.toString('base64'), iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), ciphertext: ciphertext.toString('base64') };
}

/** The sealed value; throws when the password does not open it (or the file was altered). */
function unseal(sealed: Sealed, password: string): unknown {
  const decipher = createDecipheriv('aes-256-gcm', keyOf(password, Buffer.from(sealed.salt, 'base64')), Buffer.from(sealed.iv, 'base64'));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  try {
    return JSON.parse(Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]).toString('utf8'));
  } catch {
    throw new Error(t('The password does not open this backup (or the file was changed since it was written). Nothing was sent to the webapp.'));
  }
}

export function createBackupFile(o: { data: string; application: unknown; password: string; webapp?: string; apiVersion?: string; now?: Date }): BackupFile {
  return {
    format: BACKUP_FORMAT, version: 1, createdAt: (o.now ?? new Date()).toISOString(),
    ...(o.webapp ? { webapp: o.webapp } : {}), ...(o.apiVersion ? { apiVersion: o.apiVersion } : {}),
    data: o.data, preview: seal({ application: o.application }, o.password),
  };
}

export function backupFileText(file: BackupFile): string {
  return `${JSON.stringify(file, null, 2)}\n`;
}

const BLOB = /^[A-Za-z0-9+/=_\-.:\r\n]+$/;

/** A backup file's text: the extension's format, or a bare blob as the webapp answered it. */
export function readBackupText(text: string): ReadBackup {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    let parsed: Partial<BackupFile>;
    try { parsed = JSON.parse(trimmed) as Partial<BackupFile>; } catch { throw new Error(t('The file looks like JSON but cannot be read: it is not a settings backup.')); }
    if (parsed.format !== BACKUP_FORMAT || typeof parsed.data !== 'string' || !parsed.preview) {
      throw new Error(t('The file is JSON but not a settings backup of this extension (no "{0}" with data and preview).', BACKUP_FORMAT));
    }
    return { kind: 'extension', file: parsed as BackupFile };
  }
  if (!trimmed || !BLOB.test(trimmed)) throw new Error(t('The file is not a settings backup: expected the extension\'s backup file or the "data" text of POST {0}.', ROUTES.backup.path));
  return { kind: 'bare', data: trimmed.replace(/\s+/g, '') };
}

/** The application settings a backup holds; throws (naming the problem) for a wrong password. */
export function openPreview(file: BackupFile, password: string): unknown {
  const value = unseal(file.preview, password) as { application?: unknown };
  return value?.application;
}

/** Writes the file readable by its owner only, whole or not at all (a temporary file renamed over it). */
export function writeBackupFile(path: string, file: BackupFile): void {
  const temporary = `${path}.${randomBytes(4).toString('hex')}.partial`;
  try {
    writeFileSync(temporary, backupFileText(file), { mode: 0o600, flag: 'wx' });
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new Error(t('Cannot write the backup to {0}: {1}', path, (error as Error).message));
  }
}
