import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { ClusterFolder } from './clusterFolder';
import { ComposeCommand, ComposeVerb, composeArgs } from './composeCommand';
import { t } from '../l10n';

export interface ComposeResult { exitCode: number; lastLines: string[] }

/** One output line of compose; `stream` says where it came from (stderr lines are logged as warnings). */
export type ComposeLineSink = (line: string, stream: 'stdout' | 'stderr') => void;

/** A started compose process: its two output streams, how it ends. */
export interface ComposeProcess {
  readonly stdout: Readable;
  readonly stderr: Readable;
  kill(): void;
  on(event: 'error', listener: (error: NodeJS.ErrnoException) => void): unknown;
  on(event: 'close', listener: (code: number | null) => void): unknown;
}

/** What running compose needs from the machine; the real ones unless a test passes fakes. */
export interface ComposePorts {
  /** Starts `file args` in `cwd`, with `env` over the extension host's environment. */
  spawn(file: string, args: string[], options: { cwd: string; env: Record<string, string> }): ComposeProcess;
  createFile(path: string): Writable;
}

export const machineComposePorts: ComposePorts = {
  spawn: (file, args, { cwd, env }) => spawn(file, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] }),
  createFile: (path) => createWriteStream(path),
};

/**
 * Runs one compose action in the cluster folder and streams every output line to `onLine`.
 * Resolves with the exit code; never rejects for a non-zero exit (the caller decides what to say).
 */
export function runCompose(command: ComposeCommand, folder: Pick<ClusterFolder, 'path' | 'composeFiles'>, action: ComposeVerb, onLine: ComposeLineSink, env: Record<string, string> = {}, ports = machineComposePorts): Promise<ComposeResult> {
  return spawnCompose(ports, command, folder, action, onLine, undefined, env);
}

/**
 * Runs a compose action with its standard output written to `file` (as in
 * `docker-compose logs > debug_output.txt`); standard error lines go to `onLine`.
 */
export function runComposeToFile(command: ComposeCommand, folder: Pick<ClusterFolder, 'path' | 'composeFiles'>, action: ComposeVerb, file: string, onLine: ComposeLineSink, env: Record<string, string> = {}, ports = machineComposePorts): Promise<ComposeResult> {
  return spawnCompose(ports, command, folder, action, onLine, file, env);
}

function spawnCompose(ports: ComposePorts, command: ComposeCommand, folder: Pick<ClusterFolder, 'path' | 'composeFiles'>, action: ComposeVerb, onLine: ComposeLineSink, stdoutFile?: string, env: Record<string, string> = {}): Promise<ComposeResult> {
  return new Promise((resolve, reject) => {
    const child = ports.spawn(command.file, composeArgs(command, folder.composeFiles, action), { cwd: folder.path, env });
    const lastLines: string[] = [];
    const follow = (stream: Readable, name: 'stdout' | 'stderr'): void => {
      createInterface({ input: stream, crlfDelay: Infinity }).on('line', (raw) => {
        const line = plain(raw);
        onLine(line, name);
        lastLines.push(line);
        if (lastLines.length > 20) lastLines.shift();
      });
    };
    const file = stdoutFile ? ports.createFile(stdoutFile) : undefined;
    file?.on('error', (e) => { child.kill(); reject(new Error(t('Cannot write {0}: {1}', stdoutFile!, e.message))); });
    // Line by line, without terminal escapes: compose v2 writes an erase-line escape before every log line even into a file.
    if (file) createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', (raw) => file.write(`${plain(raw)}\n`));
    else follow(child.stdout, 'stdout');
    follow(child.stderr, 'stderr');
    child.on('error', (e) => {
      file?.destroy();
      reject(e.code === 'ENOENT' ? new Error(t('"{0}" was not found on PATH. Install Docker Compose or change the setting wabaCluster.composeCommand.', command.file)) : e);
    });
    child.on('close', (code) => {
      const done = (): void => resolve({ exitCode: code ?? 1, lastLines });
      if (file) file.end(done);
      else done();
    });
  });
}

/** A line of compose output without terminal escapes (colours, erase-line) or a trailing carriage return. */
function plain(line: string): string {
  return line.replace(/\x1B\[[0-9;?]*[ -/]*[@-~]/g, '').replace(/\r+$/, '');
}
