// A real OpenSSH server on 127.0.0.1 for ssh:// engine tests: throwaway host and user keys, and
// an `ssh` on PATH that uses them (the system's ssh reads ~/.ssh of the passwd home, which a test
// must not touch; a user's ~/.ssh/config does the same for them).
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestSshd {
  /** The address it listens on (127.0.0.1, or the address of the namespace it runs in). */
  readonly host: string;
  readonly port: number;
  /** Put first on PATH: its `ssh` logs in with the throwaway key and knows the host key. */
  readonly binDir: string;
  stop(): Promise<void>;
}

/**
 * Starts sshd; sessions get `sessionEnv` (e.g. DOCKER_HOST of the engine the remote docker CLI
 * should use). `where`: in a network namespace, listening on its address (a remote host of its own,
 * whose loopback is not this machine's), instead of on 127.0.0.1.
 */
export async function startSshd(sessionEnv: Record<string, string>, where: { netns?: string; address?: string } = {}): Promise<TestSshd> {
  const host = where.address ?? '127.0.0.1';
  const dir = mkdtempSync(join(tmpdir(), 'waba-sshd-'));
  const binDir = join(dir, 'bin');
  mkdirSync(binDir);
  let child: ChildProcess | undefined;
  try {
    const keygen = (file: string) => execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'waba-test', '-f', join(dir, file)]);
    keygen('host_key');
    keygen('user_key');
    writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'user_key.pub')));
    // A namespace of the test's own has every port free.
    const port = where.netns ? 2222 : await freePort();
    writeFileSync(join(dir, 'sshd_config'), [
      `Port ${port}`, `ListenAddress ${host}`, `HostKey ${join(dir, 'host_key')}`, `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`, 'StrictModes no', 'UsePAM no', 'PasswordAuthentication no',
      'KbdInteractiveAuthentication no', 'PermitRootLogin prohibit-password',
      `SetEnv ${Object.entries(sessionEnv).map(([k, v]) => `${k}=${v}`).join(' ')}`, '',
    ].join('\n'));
    const hostKey = readFileSync(join(dir, 'host_key.pub'), 'utf8').split(' ').slice(0, 2).join(' ');
    writeFileSync(join(dir, 'known_hosts'), `[${host}]:${port} ${hostKey}\n`);
    writeFileSync(join(dir, 'ssh_config'), [
      `Host ${host}`, `  IdentityFile ${join(dir, 'user_key')}`, '  IdentitiesOnly yes',
      `  UserKnownHostsFile ${join(dir, 'known_hosts')}`, '  StrictHostKeyChecking yes', '',
    ].join('\n'));
    writeFileSync(join(binDir, 'ssh'), `#!/bin/sh\nexec /usr/bin/ssh -F ${join(dir, 'ssh_config')} "$@"\n`);
    chmodSync(join(binDir, 'ssh'), 0o755);

    mkdirSync('/run/sshd', { recursive: true }); // its privilege separation folder (made by the init script otherwise)
    const sshd = ['/usr/sbin/sshd', '-D', '-e', '-f', join(dir, 'sshd_config')];
    const [program, ...args] = where.netns ? ['nsenter', `--net=/var/run/netns/${where.netns}`, ...sshd] : sshd;
    child = spawn(program, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    child.stderr?.on('data', (c: Buffer) => { log += c.toString(); });
    const started = child;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`sshd did not start listening: ${log}`)), 10_000);
      started.once('exit', (code) => { clearTimeout(timer); reject(new Error(`sshd exited (${code}): ${log}`)); });
      started.stderr?.on('data', () => { if (/Server listening/.test(log)) { clearTimeout(timer); resolve(); } });
    });
    return {
      host, port, binDir,
      stop: async () => {
        if (started.exitCode === null) {
          started.kill('SIGTERM');
          await new Promise((r) => started.once('exit', r));
        }
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    child?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}
