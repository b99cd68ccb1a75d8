import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClusterCompose } from '../compose/clusterCompose';
import type { ComposeFileLocation } from '../compose/composeErrors';
import type { ComposeLineSink } from '../compose/composeRunner';
import { setDotenvValue } from '../compose/dotenv';
import { PreflightEngine, PreflightProblem, composeFilesProblem, preflightUp } from '../compose/preflight';
import { API_VERSION_VARIABLE } from '../compose/composeFiles';
import { t } from '../l10n';

/** The questions Start Cluster may ask; VS Code dialogs in the extension, scripted answers in tests. */
export interface StartPrompter {
  /** WA_API_VERSION is unset: the version to write into .env (from the local images), or undefined to stop. */
  chooseApiVersion(message: string, versions: readonly string[]): Promise<string | undefined>;
  /** Another cluster's containers hold the ports: whether to stop them (they are not removed). */
  confirmStop(message: string, containers: readonly string[]): Promise<boolean>;
  /** Compose refused the files: say so with compose's own lines, and open the file at `location`. */
  showInvalidFiles(message: string, lines: readonly string[], location: ComposeFileLocation | undefined): Promise<void>;
}

export interface StartEngine extends PreflightEngine {
  stopContainer(id: string): Promise<void>;
}

export interface StartDeps {
  compose: ClusterCompose;
  engine: StartEngine;
  prompter: StartPrompter;
  /** Reads the workspace again now (after .env was written), so the next call sees it. */
  reloadWorkspace(): Promise<void>;
  onLine: ComposeLineSink;
}

/** Thrown for a problem the user has to solve outside the workflow; the message says how. */
export class StartRefused extends Error {}

/**
 * Start Cluster (`up -d`, or one service): checks first (preflight.ts), fixes what the user agrees
 * to fix (WA_API_VERSION into .env, another cluster stopped), then runs compose; when compose fails
 * on the files, shows its error at the file and line. Resolves true when compose succeeded, false
 * when the user declined or the files are invalid; throws StartRefused or compose's failure.
 */
export class StartClusterWorkflow {
  constructor(private readonly deps: StartDeps) {}

  async run(services?: string[]): Promise<boolean> {
    // Each fix is followed by a fresh check; a problem that survives its fix is reported, not looped on.
    const fixed = new Set<PreflightProblem['kind']>();
    for (;;) {
      const problem = await preflightUp(this.deps.compose, this.deps.engine);
      if (!problem) break;
      if (fixed.has(problem.kind) || !(await this.fix(problem))) return false;
      fixed.add(problem.kind);
    }
    const result = await this.deps.compose.run({ verb: 'up', services }, this.deps.onLine);
    if (result.exitCode === 0) return true;
    const diskFull = await this.deps.compose.diskFull(result, { verb: 'up', services });
    if (diskFull) throw new Error(diskFull);
    // When the files are the cause, compose's own words about them, with the file and line.
    const invalid = await composeFilesProblem(this.deps.compose);
    if (invalid) return this.fix(invalid);
    throw new Error(t('{0} up failed (exit {1}): {2}', result.call.command.label, result.exitCode, result.lastLines.at(-1) ?? t('no output')));
  }

  /** Whether the problem was fixed; throws StartRefused when only the user can fix it. */
  private async fix(problem: PreflightProblem): Promise<boolean> {
    switch (problem.kind) {
      case 'apiVersionMissing': {
        if (problem.versions.length === 0) throw new StartRefused(problem.message);
        const version = await this.deps.prompter.chooseApiVersion(problem.message, problem.versions);
        if (!version) return false;
        const { folder } = await this.deps.compose.prepare();
        const file = join(folder.path, '.env');
        writeFileSync(file, setDotenvValue(existsSync(file) ? readFileSync(file, 'utf8') : '', API_VERSION_VARIABLE, version));
        await this.deps.reloadWorkspace();
        return true;
      }
      case 'composeFileInvalid':
        await this.deps.prompter.showInvalidFiles(problem.message, problem.lines, problem.location);
        return false;
      case 'portsTaken': {
        if (problem.processPorts.length || problem.containers.length === 0) throw new StartRefused(problem.message);
        if (!(await this.deps.prompter.confirmStop(problem.message, problem.containers.map((c) => c.name)))) return false;
        for (const id of new Set(problem.containers.map((c) => c.id))) await this.deps.engine.stopContainer(id);
        return true;
      }
    }
  }
}
