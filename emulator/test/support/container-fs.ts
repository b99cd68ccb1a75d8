// What a container's file system shows from outside, the way WADebug looks at it: `docker diff`
// (the engine's changes endpoint) and files read through Docker's archive API (`docker cp … -`).
import { execFile } from 'node:child_process';
import { basename } from 'node:path';
import { promisify } from 'node:util';
import { exec } from './compose-cluster';

const run = promisify(execFile);

export interface Change { kind: 'A' | 'C' | 'D'; path: string }

export async function dockerDiff(container: string): Promise<Change[]> {
  const out = await exec('docker', ['diff', container]);
  return out.split('\n').filter(Boolean).map((l) => ({ kind: l[0] as Change['kind'], path: l.slice(2) }));
}

/** The regular file named like `path` in a tar stream (ustar/PAX, as the engine writes it). */
export function fileFromTar(tar: Buffer, name: string): Buffer | undefined {
  for (let at = 0; at + 512 <= tar.length;) {
    const header = tar.subarray(at, at + 512);
    if (header.every((b) => b === 0)) return undefined;
    const entryName = header.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(header.subarray(124, 136).toString('ascii').replace(/\0.*$/s, '').trim() || '0', 8);
    const type = String.fromCharCode(header[156] || 48);
    if ((type === '0') && basename(entryName) === name) return tar.subarray(at + 512, at + 512 + size);
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return undefined;
}

/** A file of a (running or stopped) container, read through the archive API. */
export async function readContainerFile(container: string, path: string): Promise<string> {
  const { stdout } = await run('docker', ['cp', `${container}:${path}`, '-'], { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 });
  const file = fileFromTar(stdout, basename(path));
  if (!file) throw new Error(`${path} is not a file in the archive of ${container}`);
  return file.toString('utf8');
}
