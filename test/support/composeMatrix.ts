// The compose CLI of this test process: scripts/test.mjs runs the compose scenarios once per CLI
// (WABA_COMPOSE="docker-compose" for v1, "docker compose" for v2; v2 when unset, as most users have).
import { ClusterCompose } from '../../src/compose/clusterCompose';
import { readClusterFolder } from '../../src/compose/clusterFolder';
import { ComposeCli, checkComposeSetting, execProbe, resolveComposeCli } from '../../src/compose/composeCli';

export const COMPOSE_SETTING = checkComposeSetting(process.env.WABA_COMPOSE || 'docker compose');

let resolved: Promise<ComposeCli> | undefined;

/** The CLI under test; fails when it is not installed (scripts/setup-compose.sh installs both). */
export function matrixCli(): Promise<ComposeCli> {
  resolved ??= resolveComposeCli(COMPOSE_SETTING, execProbe());
  return resolved;
}

/** The extension's compose runner for a folder, on the CLI under test and the default engine. */
export function composeFor(dir: string, cli: ComposeCli, env: Record<string, string | undefined> = {}): ClusterCompose {
  return new ClusterCompose({ folder: () => readClusterFolder(dir, env, cli.flavor), composeCli: async () => cli, engineEnv: () => ({}), dataRoot: async () => ({ dir: undefined }) });
}
