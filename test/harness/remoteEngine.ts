// A second engine on its own address for the extension-host runs on a remote engine: the
// extension is pointed at it (machine setting wabaCluster.dockerHost) over ssh:// (a real sshd in
// the engine's namespace; the engine publishes on its loopback, dockerd --ip 127.0.0.1, so the
// webapp needs the ssh forward) or tcp:// + TLS (ports published on the namespace address). The
// emulator images are loaded into it; stop() removes the engine with everything made on it.
import { execFileSync } from 'node:child_process';
import { startSecondEngine } from '../support/secondEngine';
import { startSshd } from '../support/sshd';

export type RemoteKind = 'ssh' | 'tcp';

export interface RemoteEngine {
  /** Machine settings of the run. */
  settings: Record<string, string>;
  /** The extension host's environment: the ssh on PATH, the TLS material, and for the suite where the engine is. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

export async function startRemoteEngine(kind: RemoteKind, images: string[]): Promise<RemoteEngine> {
  const engine = await startSecondEngine(kind === 'tcp' ? { tls: true } : { publishIp: '127.0.0.1' });
  let stopSshd: (() => Promise<void>) | undefined;
  try {
    execFileSync('sh', ['-c', 'docker save "$@" | docker -H "$0" load', engine.socketHost, ...images], { stdio: ['ignore', 'ignore', 'inherit'] });
    const forSuite = { WABA_REMOTE: kind, WABA_REMOTE_NETNS: engine.netns, WABA_REMOTE_ADDRESS: engine.address, WABA_REMOTE_SOCKET: engine.socketHost };
    if (kind === 'tcp') {
      return {
        settings: { 'wabaCluster.dockerHost': engine.tlsHost! },
        env: { ...forSuite, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: engine.clientCertDir! },
        stop: () => engine.stop(),
      };
    }
    const sshd = await startSshd({ DOCKER_HOST: engine.socketHost }, { netns: engine.netns, address: engine.address });
    stopSshd = () => sshd.stop();
    return {
      settings: { 'wabaCluster.dockerHost': `ssh://root@${engine.address}:${sshd.port}` },
      env: { ...forSuite, PATH: `${sshd.binDir}:${process.env.PATH}`, WABA_REMOTE_SSH_PORT: String(sshd.port) },
      stop: async () => { await sshd.stop(); await engine.stop(); },
    };
  } catch (error) {
    await stopSshd?.();
    await engine.stop();
    throw error;
  }
}
