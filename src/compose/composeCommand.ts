import { t } from '../l10n';

/** How to call compose: the program, what comes before the compose options, and the project. */
export interface ComposeCommand {
  file: string;
  /** Arguments that come before the compose options (`compose` for the plugin). */
  prefix: string[];
  /** Passed as `-p`, so the extension, the tree and a terminal in the folder agree on it. */
  project?: string;
}

/** Parses a fixed command line ("docker-compose" or "docker compose"); the runner resolves `auto`. */
export function parseComposeCommand(setting: string): ComposeCommand {
  const words = setting.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return { file: 'docker-compose', prefix: [] };
  return { file: words[0], prefix: words.slice(1) };
}

export type ComposeVerb =
  /** `forceRecreate`: new containers even when nothing changed (Recreate), volumes kept. */
  | { verb: 'up'; services?: string[]; forceRecreate?: boolean }
  | { verb: 'stop' | 'start'; services?: string[] }
  | { verb: 'down'; removeVolumes: boolean }
  | { verb: 'logs'; services?: string[] }
  | { verb: 'restart'; services?: string[] }
  | { verb: 'kill'; services: string[] }
  | { verb: 'services' }
  | { verb: 'config' };

export class ServiceNameError extends Error {}

/**
 * The argument list for one compose action on the given compose files (as `-f` options, in order).
 * Service names come after `--`, and a name starting with `-` is refused: it could only be an option.
 */
export function composeArgs(command: ComposeCommand, files: readonly string[], action: ComposeVerb): string[] {
  // --ansi never: no colours or line-erasing escapes in the output channel and debug_output.txt (v2 writes them even into a file).
  const base = [...command.prefix, '--ansi', 'never', ...(command.project ? ['-p', command.project] : []), ...files.flatMap((f) => ['-f', f])];
  const services = (names: readonly string[] | undefined): string[] => {
    if (!names?.length) return [];
    const bad = names.find((n) => n.startsWith('-') || n.trim() === '');
    if (bad !== undefined) throw new ServiceNameError(t('"{0}" is not a service name: names starting with "-" are refused.', bad));
    return ['--', ...names];
  };
  switch (action.verb) {
    case 'up': return [...base, 'up', '-d', ...(action.forceRecreate ? ['--force-recreate'] : []), ...services(action.services)];
    case 'stop': return [...base, 'stop', ...services(action.services)];
    case 'start': return [...base, 'start', ...services(action.services)];
    case 'down': return [...base, 'down', ...(action.removeVolumes ? ['-v'] : [])];
    case 'logs': return [...base, 'logs', '--no-color', ...services(action.services)];
    case 'restart': return [...base, 'restart', ...services(action.services)];
    case 'kill': return [...base, 'kill', ...services(action.services)];
    case 'services': return [...base, 'config', '--services'];
    case 'config': return [...base, 'config', '-q'];
  }
}
