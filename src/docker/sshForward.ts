import { ChildProcess, spawn } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { t } from '../l10n';
import { type SshTarget, sshArgs } from './sshDialStdio';

/** A port on an ssh host (e.g. its loopback), to be reached from this machine. */
export interface ForwardSpec { ssh: SshTarget; remoteHost: string; remotePort: number }

/** The local end of a forward: where to connect on this machine. */
export interface LocalEnd { host: string; port: number }

interface Log { info(message: string): void; warn(message: string): void }

/**
 * Local port forwards through the system's ssh, with the options of the engine's ssh (batch mode:
 * ~/.ssh/config, keys, agent and known_hosts apply; an unknown host key is refused, never asked):
 * one `ssh -N -L 127.0.0.1:<free port>:<remote host>:<remote port>` per remote port, reused while
 * it runs, ended by close() (the connection ended) and dispose() (the extension deactivates).
 */
export class SshForwards {
  private readonly forwards = new Map<string, Forward>();

  constructor(private readonly log: Log, private readonly connectTimeoutSeconds = 10) {}

  /** The local end of the forward to `spec`; opens one (and waits until it listens) when none runs. */
  reach(spec: ForwardSpec): Promise<LocalEnd> {
    const key = JSON.stringify([spec.ssh.user ?? '', spec.ssh.host, spec.ssh.port ?? 0, spec.remoteHost, spec.remotePort]);
    const running = this.forwards.get(key);
    if (running && !running.ended) return running.ready;
    const forward = new Forward(spec, this.connectTimeoutSeconds, this.log);
    this.forwards.set(key, forward);
    return forward.ready;
  }

  /** Process ids of the forwards that run (for the tests and the log). */
  get pids(): number[] {
    return [...this.forwards.values()].filter((f) => !f.ended && f.pid !== undefined).map((f) => f.pid!);
  }

  /** Ends every forward (kills its ssh). */
  close(): void {
    for (const f of this.forwards.values()) f.end();
    this.forwards.clear();
  }

  dispose(): void { this.close(); }
}

class Forward {
  ended = false;
  readonly ready: Promise<LocalEnd>;
  private child: ChildProcess | undefined;

  constructor(private readonly spec: ForwardSpec, private readonly timeoutSeconds: number, private readonly log: Log) {
    this.ready = this.start();
    this.ready.catch(() => this.end());
  }

  get pid(): number | undefined { return this.child?.pid; }

  end(): void {
    this.ended = true;
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) this.child.kill();
  }

  private async start(): Promise<LocalEnd> {
    const { spec } = this;
    const local = { host: '127.0.0.1', port: await freeLoopbackPort() };
    const remote = `${spec.remoteHost.includes(':') ? `[${spec.remoteHost}]` : spec.remoteHost}:${spec.remotePort}`;
    const what = t('{0} on {1}', remote, spec.ssh.host);
    if (this.ended) throw new Error(t('The forward to {0} was closed.', what));
    const child = spawn('ssh', sshArgs(spec.ssh, this.timeoutSeconds, ['-N', '-o', 'ExitOnForwardFailure=yes', '-L', `127.0.0.1:${local.port}:${remote}`]), { stdio: ['ignore', 'ignore', 'pipe'] });
    this.child = child;
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => { stderr = (stderr + c.toString('utf8')).slice(-2000); });
    const lastLine = () => stderr.trim().split('\n').at(-1) ?? '';
    const exited = new Promise<never>((_, reject) => {
      child.once('error', reject);
      child.once('exit', (code, signal) => {
        const wasEnded = this.ended;
        this.ended = true;
        if (!wasEnded) this.log.warn(`The ssh forward 127.0.0.1:${local.port} → ${remote} on ${spec.ssh.host} ended (${code ?? signal}): ${lastLine()}`);
        reject(new Error(t('ssh to {0} could not forward {1} (exit {2}): {3}', spec.ssh.host, remote, code ?? signal ?? '', lastLine())));
      });
    });
    exited.catch(() => undefined);
    await Promise.race([listening(local, (this.timeoutSeconds + 5) * 1000, what), exited]);
    this.log.info(`Forwarding 127.0.0.1:${local.port} on this machine to ${remote} on ${spec.ssh.host} through ssh (pid ${child.pid}).`);
    return local;
  }
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once something accepts connections at `end` (ssh listens there after it logged in). */
async function listening(end: LocalEnd, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(end.port, end.host, () => { socket.destroy(); resolve(true); });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(t('The ssh forward to {0} did not open within {1} s.', what, Math.round(timeoutMs / 1000)));
    await new Promise((r) => setTimeout(r, 100));
  }
}
