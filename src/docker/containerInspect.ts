/** What a masked value shows instead of the secret (the same length for every secret: no length leaks). */
export const MASK = '********';

/** Environment names whose values are secrets: WA_DB_PASSWORD and any *_PASSWORD, *_KEY, *_TOKEN, *_SECRET, *_PWD. */
const SECRET_NAME = /(^|_)(PASSWORD|KEY|TOKEN|SECRET|PWD)$/i;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** `NAME=value` entries with the value of every secret name replaced by MASK (an empty value stays empty). */
export function maskEnvironment(entries: readonly string[]): string[] {
  return entries.map((entry) => {
    const eq = entry.indexOf('=');
    if (eq <= 0) return entry;
    const name = entry.slice(0, eq);
    return isSecretName(name) && eq < entry.length - 1 ? `${name}=${MASK}` : entry;
  });
}

/**
 * `docker inspect` of one container as a user may read it in an editor: the Engine API's answer with
 * its environment's secrets masked (Config.Env holds db.env's WA_DB_PASSWORD on every node).
 */
export function maskedInspectText(inspect: unknown): string {
  const copy = structuredClone(inspect) as { Config?: { Env?: unknown } };
  if (Array.isArray(copy?.Config?.Env)) copy.Config.Env = maskEnvironment(copy.Config.Env.map(String));
  return `${JSON.stringify(copy, null, 2)}\n`;
}
