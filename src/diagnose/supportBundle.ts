// The support bundle: what `wadebug logs` gives Meta's support, plus the HA context. One zip with
// each container's log for a chosen window, `docker inspect` of every container, `ROUTES.health`,
// `ROUTES.support`, the settings and the diagnosis — with every password, key and secret masked.
import { ROUTES } from '../contract';
import type { ContainerInspect } from '../docker/dockerClient';
import { t } from '../l10n';
import type { Diagnosis } from './checks';
import type { ZipEntry } from './zip';

/** Environment variables whose values are secrets (WA_DB_PASSWORD, MYSQL_ROOT_PASSWORD, WA_API_KEY, WA_WEB_JWT_CRYPTO_KEY, …). */
const SECRET_NAME = /PASS|PWD|SECRET|KEY|TOKEN|CREDENTIAL/i;
export const MASK = '********';

/** The secret values of the containers' environments, and any more the caller knows (the login's password). */
export function secretValues(inspects: readonly ContainerInspect[], more: ReadonlyArray<string | undefined> = []): string[] {
  const values = new Set<string>();
  for (const inspect of inspects) {
    for (const entry of inspect.Config.Env ?? []) {
      const i = entry.indexOf('=');
      if (i > 0 && SECRET_NAME.test(entry.slice(0, i)) && entry.length - i - 1 >= 4) values.add(entry.slice(i + 1));
    }
  }
  for (const value of more) if (value && value.length >= 4) values.add(value);
  // Longest first, so a secret that contains another is masked whole.
  return [...values].sort((a, b) => b.length - a.length);
}

/** Replaces every secret value in a text, wherever it appears (logs, arguments, URLs). */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join(MASK);
  // user:password@ in URLs (a webhook URL may carry credentials).
  return out.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@"]+):[^@/\s"]+@/gi, `$1:${MASK}@`);
}

/** `docker inspect` with the values of secret variables masked (names kept, so what is set stays visible). */
export function maskInspect(inspect: ContainerInspect): ContainerInspect {
  const env = (inspect.Config.Env ?? []).map((entry) => {
    const i = entry.indexOf('=');
    return i > 0 && SECRET_NAME.test(entry.slice(0, i)) ? `${entry.slice(0, i)}=${MASK}` : entry;
  });
  return { ...inspect, Config: { ...inspect.Config, Env: env } };
}

export interface BundleInput {
  at: Date;
  windowMinutes: number;
  folder?: string;
  project?: string;
  inspects: readonly ContainerInspect[];
  /** Log lines per container name (Docker's timestamps in front). */
  logs: ReadonlyMap<string, readonly string[]>;
  answers: Record<string, unknown>;
  diagnosis: Diagnosis;
  /** Secrets known to the extension beyond the containers' environments. */
  extraSecrets?: ReadonlyArray<string | undefined>;
}

const json = (value: unknown): string => JSON.stringify(value, null, 2) + '\n';
const fileName = (name: string): string => name.replace(/^\//, '').replace(/[^\w.-]/g, '_');

/** The files of the bundle, every one masked. */
export function bundleEntries(input: BundleInput): ZipEntry[] {
  const secrets = secretValues(input.inspects, input.extraSecrets);
  const mask = (text: string) => maskSecrets(text, secrets);
  const modified = input.at;
  const entries: ZipEntry[] = [];
  const add = (name: string, text: string) => entries.push({ name, data: mask(text), modified });
  const readme = [
    t('WABA Cluster support bundle'),
    t('Made {0} for compose project {1} ({2}).', input.at.toISOString(), input.project ?? '?', input.folder ?? '?'),
    t('logs/: each container\'s log (stdout and stderr, Docker timestamps) of the last {0} minutes.', input.windowMinutes),
    t('inspect/: docker inspect of every container; the values of password, key and secret variables are masked.'),
    t('health.json, support.json, settings.json: GET {0}, {1}, {2}.', ROUTES.health.path, ROUTES.support.path, ROUTES.settings.path),
    t('diagnosis.json: the result of Diagnose Cluster at the same moment.'),
    t('Every known secret (database passwords, keys, the login\'s password) is replaced by {0} in every file.', MASK),
  ];
  add('README.txt', readme.join('\n') + '\n');
  add('diagnosis.json', json(input.diagnosis));
  for (const [name, value] of Object.entries(input.answers)) add(`${name}.json`, json(value));
  for (const inspect of input.inspects) add(`inspect/${fileName(inspect.Name)}.json`, json(maskInspect(inspect)));
  for (const [name, lines] of input.logs) add(`logs/${fileName(name)}.log`, lines.join('\n') + (lines.length ? '\n' : ''));
  return entries;
}
