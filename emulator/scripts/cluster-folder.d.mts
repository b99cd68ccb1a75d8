// Types for cluster-folder.mjs (Node ESM; plans and writes with src/create through tsx).
export interface ClusterFolderOptions {
  /** Folder to write (created if missing). Its name gives the compose project name. */
  dir: string;
  db?: 'mysql' | 'postgres';
  /** WA_API_VERSION, 2.N.M (a leading v is dropped). Default: the last line of emulator/versions.txt. */
  version?: string;
  /** Coreapp containers, 3 (Meta's wacore1–3) to 33; more than 3 adds docker-compose.coreapps.yml. */
  coreapps?: number;
  /** The emulator's images (default) or Meta's (no emulator override). */
  images?: 'emulator' | 'meta';
  /** Overwrite existing files (and remove the cluster files the new choice does not use). */
  force?: boolean;
}
export interface ClusterFolder {
  dir: string;
  db: 'mysql' | 'postgres';
  version: string;
  /** The folder's compose project name (the same under compose v1 and v2). */
  project: string;
  /** `<project>_default`, the cluster's network (the DB upgrade job joins it). */
  network: string;
  files: string[];
}
export function createClusterFolder(opts: ClusterFolderOptions): ClusterFolder;
export function composeProjectName(dir: string): string;
export function knownVersions(): string[];
