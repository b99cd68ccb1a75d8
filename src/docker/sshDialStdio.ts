import { ChildProcessByStdio, spawn } from 'node:child_process';
import { Duplex } from 'node:stream';
import type { Readable, Writable } from 'node:stream';
import { t } from '../l10n';

export interface SshTarget { host: string; port?: number; user?: string }

/**
 * The system ssh's arguments up to the host, as for every connection to an ssh:// engine: batch
 * mode (keys, agent, ~/.ssh/config and known_hosts apply; an unknown host key is refused, never
 * asked), a connect timeout; `options` come before the host.
 */
export function sshArgs(target: SshTarget, connectTimeoutSeconds: number, options: readonly string[] = []): string[] {
  const args = ['-o', 'BatchMode=yes', '-o', `ConnectTimeout=${connectTimeoutSeconds}`, '-T', ...options];
  if (target.user) args.push('-l', target.user);
  if (target.port) args.push('-p', String(target.port));
  args.push('--', target.host);
  return args;
}

/**
 * One connection to a remote engine as the docker CLI makes it for ssh:// hosts: the system's ssh
 * client (so ~/.ssh/config, keys, agent and known_hosts apply) runs `docker system dial-stdio` on
 * the host, and its stdin/stdout carry the HTTP connection.
 */
export class SshDialStdio extends Duplex {
  private readonly child: ChildProcessByStdio<Writable, Readable, Readable>;
  private stderr = '';

  constructor(target: SshTarget, connectTimeoutSeconds: number) {
    super();
    this.child = spawn('ssh', [...sshArgs(target, connectTimeoutSeconds), 'docker', 'system', 'dial-stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.on('data', (chunk: Buffer) => { if (!this.push(chunk)) this.child.stdout.pause(); });
    this.child.stderr.on('data', (chunk: Buffer) => { this.stderr = (this.stderr + chunk.toString('utf8')).slice(-2000); });
    this.child.stdin.on('error', () => undefined); // the exit below says why
    this.child.on('error', (e) => this.destroy(e));
    // The end of the connection, once ssh has exited: a failure carries what ssh said (not "socket hang up").
    this.child.on('close', (code) => {
      if (this.destroyed) return;
      if (code === 0 || code === null) this.push(null);
      else this.destroy(new Error(t('ssh to {0} failed (exit {1}): {2}', target.host, code ?? '', this.stderr.trim().split('\n').at(-1) ?? '')));
    });
  }

  override _read(): void {
    this.child.stdout.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.child.stdin.write(chunk, callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.child.stdin.end(callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (this.child.exitCode === null) this.child.kill();
    callback(error);
  }

  // What http.ClientRequest calls on a net.Socket; a pipe has no such knobs.
  setTimeout(): this { return this; }
  setNoDelay(): this { return this; }
  setKeepAlive(): this { return this; }
  ref(): this { return this; }
  unref(): this { return this; }
}
