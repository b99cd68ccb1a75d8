/**
 * The compose project name of a cluster folder, as docker-compose derives it:
 * COMPOSE_PROJECT_NAME from the process environment or the folder's .env, else the folder's
 * basename, lower-cased with everything but [a-z0-9_-] removed.
 */
export function composeProjectName(folderBasename: string, env: Readonly<Record<string, string | undefined>> = {}): string {
  const explicit = env.COMPOSE_PROJECT_NAME?.trim();
  return normalizeProjectName(explicit || folderBasename);
}

export function normalizeProjectName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9_-]/g, '');
}
