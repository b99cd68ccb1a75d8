// Types for cluster-folder.mjs (plain Node ESM, kept dependency-free).
export interface ClusterFolderOptions {
  /** Folder to write (created if missing). Its name gives the compose project name. */
  dir: string;
  db?: 'mysql' | 'postgres';
  /** WA_API_VERSION, 2.N.M (a leading v is dropped). Default: the last line of emulator/versions.txt. */
  version?: string;
  /** Overwrite existing files. */
  force?: boolean;
}
export interface ClusterFolder {
  dir: string;
  db: 'mysql' | 'postgres';
  version: string;
  /** Compose project name docker-compose 1.29 derives from the folder name. */
  project: string;
  /** `<project>_default`, the cluster's network (the DB upgrade job joins it). */
  network: string;
  files: string[];
}
export function createClusterFolder(opts: ClusterFolderOptions): ClusterFolder;
export function composeProjectName(dir: string): string;
export function knownVersions(): string[];
