// Launching one extension-host run in a real VS Code: shared by the extension-host tests
// (run-extension-tests.ts) and the benchmark (bench/hostRuns.ts).
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';

const ROOT = path.resolve(__dirname, '..', '..');
const SHIM = path.join(__dirname, 'code-shim.js');

export type VSCodeFlavor = 'server' | 'desktop';

/**
 * The executable for runTests and what kind of VS Code it is:
 *   default            the VS Code server from scripts/setup-vscode-test.sh, driven through code-shim.js
 *   WABA_TEST_VSCODE=desktop        let @vscode/test-electron download desktop VS Code (stable)
 *   WABA_TEST_VSCODE=/path/to/code  use that executable
 */
export async function chooseVSCode(): Promise<{ executable: string; flavor: VSCodeFlavor }> {
  const choice = process.env.WABA_TEST_VSCODE;
  if (!choice || choice === 'server') {
    execFileSync('bash', [path.join(ROOT, 'scripts', 'setup-vscode-test.sh')], { cwd: ROOT, stdio: 'inherit' });
    return { executable: SHIM, flavor: 'server' };
  }
  if (choice === 'desktop') return { executable: await downloadAndUnzipVSCode('stable'), flavor: 'desktop' };
  if (!fs.existsSync(choice)) throw new Error(`WABA_TEST_VSCODE=${choice}: no such file`);
  return { executable: path.resolve(choice), flavor: 'desktop' };
}

/** First line of `<executable> --version` (the shim answers it too), or undefined. */
export function versionOf(executable: string, env: NodeJS.ProcessEnv): string | undefined {
  const r = spawnSync(executable, ['--version'], { env, encoding: 'utf8', timeout: 60_000 });
  const first = r.status === 0 ? r.stdout.split('\n')[0].trim() : '';
  return /^\d+\.\d+\.\d+/.test(first) ? first : undefined;
}

/**
 * Machine-scoped settings of a run (wabaCluster.composeCommand is one: a workspace cannot set it):
 * the VS Code server reads <user-data-dir>/Machine/settings.json (its extension host is "remote", so
 * user settings of machine scope do not count there), desktop VS Code <user-data-dir>/User/settings.json.
 */
export function writeMachineSettings(userDataDir: string, settings: Record<string, unknown>): void {
  for (const file of [path.join(userDataDir, 'Machine', 'settings.json'), path.join(userDataDir, 'User', 'settings.json')]) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(settings, null, 2));
  }
}

export interface HostRun {
  executable: string;
  /** The folder the window opens. */
  folder: string;
  userDataDir: string;
  extensionsDir: string;
  /** Extensions under development (the first is ours, or the probe extension of an installed run). */
  developmentPaths: string[];
  /** The bundled entry VS Code calls run() of inside the extension host. */
  testsEntry: string;
  /** Other installed extensions off (the ones under development still load). */
  disableOtherExtensions: boolean;
  env: Record<string, string | undefined>;
}

/** One window with one extension-host run; rejects when the run's promise rejected or VS Code failed. */
export async function runInExtensionHost(run: HostRun): Promise<void> {
  await runTests({
    vscodeExecutablePath: run.executable,
    extensionDevelopmentPath: run.developmentPaths.length === 1 ? run.developmentPaths[0] : run.developmentPaths,
    extensionTestsPath: run.testsEntry,
    launchArgs: [
      run.folder,
      `--user-data-dir=${run.userDataDir}`,
      `--extensions-dir=${run.extensionsDir}`,
      ...(run.disableOtherExtensions ? ['--disable-extensions'] : []),
    ],
    extensionTestsEnv: {
      // The project name must come from the folder name, as the suites compute it.
      COMPOSE_PROJECT_NAME: undefined,
      COMPOSE_FILE: undefined,
      ...run.env,
    },
  });
}
