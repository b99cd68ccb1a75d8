import type { ClusterFolder } from './clusterFolder';
import type { ComposeCli } from './composeCli';
import type { ComposeCommand, ComposeVerb } from './composeCommand';
import { ComposeLineSink, ComposeResult, runCompose, runComposeToFile } from './composeRunner';
import { diskFullMessage, saysNoSpace, type DataRoot } from '../docker/dataRoot';
import { noClusterFolder } from '../notReady';

/** Where the runner reads everything at the moment of a call (the workspace model and the engine). */
export interface ClusterComposeContext {
  folder(): ClusterFolder | undefined;
  /** The compose CLI to use, or a clear error (none installed, setting refused, Restricted Mode). */
  composeCli(): Promise<ComposeCli>;
  /** The environment that points compose at the engine the extension watches; throws for an invalid engine. */
  engineEnv(): Record<string, string>;
  /** Where that engine keeps its data (read only when compose says a disk is full). */
  dataRoot(): Promise<DataRoot>;
}

export class NoClusterFolderError extends Error {
  constructor() { super(noClusterFolder()); }
}

export interface ComposeCall {
  command: ComposeCommand & { label: string };
  folder: ClusterFolder;
  env: Record<string, string>;
}

export interface RunOptions {
  /** Other compose files than the cluster's (the DB upgrade job's). */
  files?: readonly string[];
  /** Extra variables for this call only (the job's WA_API_VERSION before .env says it). */
  env?: Record<string, string>;
  /** Standard output into this file (as in `compose logs > debug_output.txt`). */
  stdoutFile?: string;
}

/**
 * Runs compose for the cluster folder as it is now: the CLI of the setting, `-p` with the project
 * name by that CLI's rules, the engine the extension watches. Nothing is cached across calls except
 * what the workspace model keeps current.
 */
export class ClusterCompose {
  constructor(private readonly context: ClusterComposeContext) {}

  /** Everything one call needs, or an Error that says what is wrong and what to do. */
  async prepare(): Promise<ComposeCall> {
    const folder = this.context.folder();
    if (!folder) throw new NoClusterFolderError();
    const cli = await this.context.composeCli();
    const current = this.context.folder() ?? folder; // the CLI's rules may have changed the project name
    if (current.projectProblem) throw new Error(current.projectProblem);
    return { command: { file: cli.file, prefix: cli.prefix, project: current.project, label: cli.label }, folder: current, env: this.context.engineEnv() };
  }

  async run(action: ComposeVerb, onLine: ComposeLineSink, options: RunOptions = {}): Promise<ComposeResult & { call: ComposeCall }> {
    const call = await this.prepare();
    const target = { ...call.folder, composeFiles: [...(options.files ?? call.folder.composeFiles)] };
    const env = { ...call.env, ...options.env };
    const result = options.stdoutFile
      ? await runComposeToFile(call.command, target, action, options.stdoutFile, onLine, env)
      : await runCompose(call.command, target, action, onLine, env);
    return { ...result, call };
  }

  /**
   * What a failed call means when compose's output says "no space left on device": which call
   * failed, the disk under the engine's data root, and what to free; undefined for other failures.
   */
  async diskFull(result: ComposeResult & { call: ComposeCall }, action: ComposeVerb): Promise<string | undefined> {
    if (result.exitCode === 0 || !saysNoSpace(result.lastLines)) return undefined;
    return diskFullMessage(`${result.call.command.label} ${action.verb}`, await this.context.dataRoot());
  }
}
