import { execFile } from 'node:child_process';
import { t } from '../l10n';

/** The values `wabaCluster.composeCommand` may have; anything else is refused at run time. */
export const COMPOSE_COMMAND_CHOICES = ['auto', 'docker compose', 'docker-compose'] as const;
export type ComposeCommandSetting = (typeof COMPOSE_COMMAND_CHOICES)[number];

/** Compose v1 (docker-compose 1.x, Python) or v2 (Go; the docker CLI plugin or a standalone binary). */
export type ComposeFlavor = 'v1' | 'v2';

/** A compose CLI that answered, and which rules it follows (by its version, not by its name). */
export interface ComposeCli {
  file: string;
  /** Arguments before the compose options (`compose` for the plugin). */
  prefix: string[];
  /** What a user types: `docker compose` or `docker-compose`. */
  label: string;
  version: string;
  flavor: ComposeFlavor;
}

export class ComposeSettingError extends Error {}

export class ComposeMissingError extends Error {
  constructor(readonly tried: ReadonlyArray<{ label: string; why: string }>) {
    super(t('No Docker Compose found: tried {0}. Install Compose v2 (the docker compose plugin: Docker Desktop and Docker Engine packages ship it; on Debian/Ubuntu e.g. apt install docker-compose-plugin or docker-compose-v2) or v1 (apt install docker-compose), then run the command again; or set wabaCluster.composeCommand.',
      tried.map((c) => `"${c.label}" (${c.why})`).join(t(' and '))));
  }
}

/** Checks the setting's value (it may come from any settings file): one of the choices, or an error. */
export function checkComposeSetting(value: unknown): ComposeCommandSetting {
  const text = typeof value === 'string' ? value.trim().replace(/\s+/g, ' ') : value;
  if (text === undefined || text === '') return 'auto';
  if ((COMPOSE_COMMAND_CHOICES as readonly unknown[]).includes(text)) return text as ComposeCommandSetting;
  throw new ComposeSettingError(t('The setting wabaCluster.composeCommand is {0}; allowed are {1}. Nothing was run.', JSON.stringify(value), COMPOSE_COMMAND_CHOICES.map((c) => `"${c}"`).join(', ')));
}

/** Runs a program briefly (here: `… version --short`): its standard output, or why it did not answer. */
export type Probe = (file: string, args: string[]) => Promise<{ ok: true; stdout: string } | { ok: false; why: string }>;

const CANDIDATES: Record<Exclude<ComposeCommandSetting, 'auto'>, { file: string; prefix: string[] }> = {
  'docker compose': { file: 'docker', prefix: ['compose'] },
  'docker-compose': { file: 'docker-compose', prefix: [] },
};

/**
 * The compose CLI for a setting: `auto` takes `docker compose` when the plugin answers, else
 * `docker-compose`; an explicit choice is used as is. Throws ComposeMissingError naming what was tried.
 */
export async function resolveComposeCli(setting: ComposeCommandSetting, probe: Probe): Promise<ComposeCli> {
  const labels = setting === 'auto' ? (['docker compose', 'docker-compose'] as const) : [setting];
  const tried: Array<{ label: string; why: string }> = [];
  for (const label of labels) {
    const { file, prefix } = CANDIDATES[label];
    const answer = await probe(file, [...prefix, 'version', '--short']);
    const version = answer.ok ? /v?(\d+\.\d+\.\d+\S*)/.exec(answer.stdout)?.[1] : undefined;
    if (version) return { file, prefix, label, version, flavor: Number(version.split('.')[0]) >= 2 ? 'v2' : 'v1' };
    tried.push({ label, why: answer.ok ? t('answered "{0}"', answer.stdout.trim().slice(0, 80)) : answer.why });
  }
  throw new ComposeMissingError(tried);
}

/** The real probe: the program from PATH, at most 15 s, in the given environment. */
export function execProbe(env: NodeJS.ProcessEnv = process.env): Probe {
  return (file, args) => new Promise((resolve) => {
    execFile(file, args, { env, timeout: 15_000, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (!error) return resolve({ ok: true, stdout });
      const code = (error as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? t('{0} is not on PATH', file)
        : error.killed ? t('no answer within 15 s')
        : (stderr || stdout).trim().split('\n')[0] || `exit ${code}`;
      resolve({ ok: false, why });
    });
  });
}
