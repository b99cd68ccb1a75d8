// The disk under Docker's data root (`docker info`: Docker Root Dir) holds every image, container
// layer and volume, the cluster's database and media too. When it is full, compose and the nodes
// fail with "no space left on device"; the messages here say what failed, where the disk is full
// and what to free.
import { statfsSync } from 'node:fs';
import { t } from '../l10n';

const NO_SPACE = /no space left on device|\bENOSPC\b/i;

/** Whether an error text (or compose's output lines) says a disk is full. */
export function saysNoSpace(text: string | readonly string[]): boolean {
  return NO_SPACE.test(typeof text === 'string' ? text : text.join('\n'));
}

export interface DataRoot {
  /** DockerRootDir of the engine, when it answered. */
  dir: string | undefined;
  /** Free bytes on that disk, when the engine runs on this machine. */
  freeBytes?: number;
}

/** Where the engine keeps its data and, for an engine on this machine, how much of that disk is free. */
export async function readDataRoot(engine: { dataRoot(): Promise<string | undefined> }, local: boolean): Promise<DataRoot> {
  const dir = await engine.dataRoot().catch(() => undefined);
  if (!dir || !local) return { dir };
  try {
    const stats = statfsSync(dir);
    return { dir, freeBytes: stats.bavail * stats.bsize };
  } catch {
    return { dir }; // not readable from here
  }
}

/** `failed` ("docker compose up") could not write: which disk, and what to free. */
export function diskFullMessage(failed: string, root: DataRoot): string {
  const dir = root.dir ?? t('(see docker info: Docker Root Dir)');
  const free = root.freeBytes === undefined ? '' : t(', {0} free', formatBytes(root.freeBytes));
  return t("{0} failed: no space left on device. The disk under Docker's data root {1} is full{2}. Free space on it, then try again: `docker system df` shows what Docker keeps there, `docker system prune` removes stopped containers, unused networks, dangling images and the build cache, and `df -h {1}` shows the disk. Keep the volumes: the cluster's database is one of them.", failed, dir, free);
}

/** What a webapp error that says "no space left on device" means for the user. */
export function webappDiskFullAdvice(): string {
  return t("The node could not write: the disk under Docker's data root (docker info: Docker Root Dir) is full. Free space on it (`docker system df`, `docker system prune`; keep the volumes), then try again.");
}

function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return t('{0} KB', Math.floor(bytes / 1024));
  if (bytes < 1024 ** 3) return t('{0} MB', Math.floor(bytes / 1024 ** 2));
  return t('{0} GB', (bytes / 1024 ** 3).toFixed(1));
}
