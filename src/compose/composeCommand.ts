/** How to call compose: the v1 `docker-compose` binary or the v2 `docker compose` plugin. */
export interface ComposeCommand {
  file: string;
  /** Arguments that come before the compose verb (`compose` for the plugin). */
  prefix: string[];
}

/** Parses the `wabaCluster.composeCommand` setting ("docker-compose" or "docker compose"). */
export function parseComposeCommand(setting: string): ComposeCommand {
  const words = setting.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return { file: 'docker-compose', prefix: [] };
  return { file: words[0], prefix: words.slice(1) };
}

export type ComposeVerb =
  | { verb: 'up'; services?: string[] }
  | { verb: 'stop'; services?: string[] }
  | { verb: 'down'; removeVolumes: boolean }
  | { verb: 'logs'; services?: string[] }
  | { verb: 'restart' | 'kill'; services: string[] }
  | { verb: 'services' };

/** The argument list for one compose action on the given compose files (as `-f` options, in order). */
export function composeArgs(command: ComposeCommand, files: readonly string[], action: ComposeVerb): string[] {
  const base = [...command.prefix, ...files.flatMap((f) => ['-f', f])];
  switch (action.verb) {
    case 'up': return [...base, 'up', '-d', ...(action.services ?? [])];
    case 'stop': return [...base, 'stop', ...(action.services ?? [])];
    case 'down': return [...base, 'down', ...(action.removeVolumes ? ['-v'] : [])];
    case 'logs': return [...base, 'logs', '--no-color', ...(action.services ?? [])];
    case 'restart': return [...base, 'restart', ...action.services];
    case 'kill': return [...base, 'kill', ...action.services];
    case 'services': return [...base, 'config', '--services'];
  }
}
