// Writes a planned cluster folder all or nothing: a new folder appears complete (written beside it,
// then renamed into place); in an existing folder, a failure removes what this call wrote.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ALL_FOLDER_FILES, PlannedFile, TemplateReader } from './clusterFolderPlan';
import { t } from '../l10n';

/** The folder already holds files of a cluster folder; nothing was written. */
export class ClusterFolderExistsError extends Error {
  constructor(readonly dir: string, readonly existing: string[]) {
    super(t('{0} already holds {1}: refusing to overwrite existing file(s) of a cluster folder. Nothing was written; open that folder, or choose another name.', dir, existing.join(', ')));
  }
}

export interface WriteOptions {
  /** Overwrite existing files, and remove the cluster files the plan no longer has (for scripts; the extension never does). */
  force?: boolean;
}

export function writeClusterFolder(dir: string, files: readonly PlannedFile[], { force = false }: WriteOptions = {}): string {
  const target = resolve(dir);
  const existing = files.map((f) => f.name).filter((name) => existsSync(join(target, name)));
  if (existing.length && !force) throw new ClusterFolderExistsError(target, existing);
  try {
    if (existsSync(target)) writeInto(target, files, force);
    else writeNew(target, files);
  } catch (error) {
    if (error instanceof ClusterFolderExistsError) throw error;
    throw new Error(t('Cannot write the cluster folder {0}: {1}. Nothing was written; choose a folder you can write to.', target, (error as Error).message));
  }
  if (force) {
    const planned = new Set(files.map((f) => f.name));
    for (const stale of ALL_FOLDER_FILES.filter((name) => !planned.has(name))) rmSync(join(target, stale), { force: true });
  }
  return target;
}

function writeNew(target: string, files: readonly PlannedFile[]): void {
  mkdirSync(dirname(target), { recursive: true });
  const staging = join(dirname(target), `.${basename(target)}.${randomBytes(4).toString('hex')}.partial`);
  try {
    mkdirSync(staging);
    for (const f of files) writeFileSync(join(staging, f.name), f.text);
    renameSync(staging, target);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

function writeInto(target: string, files: readonly PlannedFile[], force: boolean): void {
  const written: string[] = [];
  try {
    for (const f of files) {
      const path = join(target, f.name);
      // 'wx' fails if the file appeared since the check: never overwrite without force.
      writeFileSync(path, f.text, { flag: force ? 'w' : 'wx' });
      written.push(path);
    }
  } catch (error) {
    if (!force) for (const path of written) rmSync(path, { force: true });
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'EEXIST' && e.path) throw new ClusterFolderExistsError(target, [basename(e.path)]);
    throw error;
  }
}

/** Reads templates from a folder laid out like emulator/compose (see TemplateReader). */
export function templatesIn(dir: string): TemplateReader {
  return (path) => readFileSync(join(dir, path), 'utf8');
}
