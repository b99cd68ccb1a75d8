import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { ClusterFolder } from './clusterFolder';
import { ComposeCommand, ComposeVerb, composeArgs } from './composeCommand';

export interface ComposeResult { exitCode: number; lastLines: string[] }

/**
 * Runs one compose action in the cluster folder and streams every output line to `onLine`.
 * Resolves with the exit code; never rejects for a non-zero exit (the caller decides what to say).
 */
export function runCompose(command: ComposeCommand, folder: ClusterFolder, action: ComposeVerb, onLine: (line: string) => void): Promise<ComposeResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command.file, composeArgs(command, folder.composeFiles, action), { cwd: folder.path, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const lastLines: string[] = [];
    const collect = (line: string): void => {
      onLine(line);
      lastLines.push(line);
      if (lastLines.length > 20) lastLines.shift();
    };
    createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', collect);
    createInterface({ input: child.stderr, crlfDelay: Infinity }).on('line', collect);
    child.on('error', (e: NodeJS.ErrnoException) => {
      reject(e.code === 'ENOENT' ? new Error(`"${command.file}" was not found on PATH. Install Docker Compose or change the setting wabaCluster.composeCommand.`) : e);
    });
    child.on('close', (code) => resolve({ exitCode: code ?? 1, lastLines }));
  });
}
