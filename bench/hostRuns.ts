// Runs the benchmark's scenarios inside a real VS Code extension host (the harness of the
// extension-host tests: the VS Code server in headless Chromium), with the production bundle of the
// extension (or, for the activation floor, an empty extension) under development, and returns what
// the scenarios measured. One extension per window: the web workbench loads only the last one given.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chooseVSCode, runInExtensionHost, versionOf, writeMachineSettings } from '../test/harness/extensionHost';
import { throwawayHomeEnv } from '../test/support/throwawayHome';
import type { HostBenchOptions, HostBenchResults } from './host/protocol';

const ROOT = resolve(__dirname, '..');
const ENTRY = join(ROOT, 'dist-bench', 'host', 'index.js');
const EMPTY_EXTENSION = join(__dirname, 'fixtures', 'empty-extension');

export interface HostRunSpec {
  name: string;
  folder: string;
  options: HostBenchOptions;
  /** Machine settings of the window (the compose CLI, the health poll interval). */
  settings?: Record<string, unknown>;
  /** The extension under development in the window (default ours). */
  extension?: 'ours' | 'empty';
}

export class ExtensionHostLauncher {
  private runs = 0;

  private constructor(private readonly executable: string, private readonly tmp: string, private readonly homeEnv: Record<string, string>, readonly vscodeVersion: string) {}

  static async prepare(): Promise<ExtensionHostLauncher> {
    if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: node esbuild.mjs --only=bench`);
    const { executable } = await chooseVSCode();
    const tmp = mkdtempSync(join(tmpdir(), 'waba-bench-host-'));
    const homeEnv = throwawayHomeEnv(tmp);
    return new ExtensionHostLauncher(executable, tmp, homeEnv, versionOf(executable, { ...process.env, ...homeEnv }) ?? 'unknown');
  }

  async run(spec: HostRunSpec): Promise<HostBenchResults> {
    const dir = join(this.tmp, `run${++this.runs}`);
    mkdirSync(dir);
    const userDataDir = join(dir, 'user-data');
    const resultFile = join(dir, 'result.json');
    const options: HostBenchOptions = spec.options.logTail ? { ...spec.options, logTail: { ...spec.options.logTail, logsRoot: userDataDir } } : spec.options;
    writeMachineSettings(userDataDir, spec.settings ?? {});
    const started = Date.now();
    try {
      await runInExtensionHost({
        executable: this.executable, folder: spec.folder, userDataDir, extensionsDir: join(dir, 'extensions'),
        developmentPaths: [spec.extension === 'empty' ? EMPTY_EXTENSION : ROOT], testsEntry: ENTRY, disableOtherExtensions: true,
        env: {
          ...this.homeEnv,
          WABA_BENCH_OPTIONS: JSON.stringify(options), WABA_BENCH_RESULT_FILE: resultFile,
          ...(typeof spec.settings?.['wabaCluster.composeCommand'] === 'string' ? { WABA_COMPOSE: spec.settings['wabaCluster.composeCommand'] as string } : {}),
        },
      });
    } catch (error) {
      if (!existsSync(resultFile)) throw new Error(`extension-host run "${spec.name}" failed without results: ${(error as Error).message}`);
    } finally {
      console.log(`[bench] extension-host run "${spec.name}" took ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
    const results = JSON.parse(readFileSync(resultFile, 'utf8')) as HostBenchResults;
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    for (const [scenario, error] of Object.entries(results.errors)) console.log(`[bench] ${spec.name}: ${scenario} failed in the extension host: ${error.split('\n')[0]}`);
    return results;
  }

  dispose(): void {
    rmSync(this.tmp, { recursive: true, force: true, maxRetries: 3 });
  }
}
