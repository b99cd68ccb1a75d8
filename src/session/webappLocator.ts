import type { WabaAddress } from '../api/wabaClient';
import type { ClusterMonitor } from '../cluster/clusterMonitor';
import { type ContainerNode, webappPorts } from '../docker/containerNode';
import { type DockerEndpoint, describeDockerEndpoint, isLocalEndpoint } from '../docker/dockerEndpoint';
import type { LocalEnd, SshForwards } from '../docker/sshForward';
import { t } from '../l10n';

/** Where the cluster's webapp is reachable, and when that changes (containers started, stopped, re-created). */
export interface WebappLocator {
  /** The address now; reads the containers when they were not read yet. */
  locate(): Promise<WabaAddress | undefined>;
  onDidChange(listener: (address: WabaAddress | undefined) => void): { dispose(): void };
  /** Where to connect for `address` now: itself, or the local end of the ssh forward it needs (opened now). */
  reach?(address: WabaAddress): Promise<LocalEnd>;
  /** Ends what reach() opened: no connection uses it any more. */
  release?(): void;
}

const EVERYWHERE = new Set(['', '0.0.0.0', '::']);
const isLoopback = (ip: string): boolean => /^127\./.test(ip) || ip === '::1' || ip === 'localhost';

/**
 * Where the webapp's published HTTPS port (443 in the container, "9090:443" in Meta's compose) is
 * reached from this machine, following the host the engine runs on: a port bound to every address
 * is on the engine's host (loopback for a local engine), one bound to an address is on that
 * address, and one bound to the loopback of a remote host is reached through the engine's ssh (a
 * local forward) — or, over tcp://, not at all (`problem` says what to do). The address is the
 * webapp as the user sees it (pins and passwords are kept per host:port), never a forward's port.
 */
export function webappRoute(nodes: readonly ContainerNode[], endpoint: DockerEndpoint): WabaAddress | undefined {
  const local = isLocalEndpoint(endpoint);
  // On a remote host, a binding other machines can reach beats one on its loopback.
  const [published] = webappPorts(nodes).sort((a, b) => (local ? 0 : Number(isLoopback(a.hostIp ?? '')) - Number(isLoopback(b.hostIp ?? ''))));
  if (!published?.hostPort) return undefined;
  const ip = published.hostIp ?? '';
  const port = published.hostPort;
  if (local || (endpoint.kind !== 'tcp' && endpoint.kind !== 'ssh')) return { host: EVERYWHERE.has(ip) ? '127.0.0.1' : ip, port };
  const engineHost = endpoint.host;
  if (EVERYWHERE.has(ip)) return { host: engineHost, port };
  if (!isLoopback(ip)) return { host: ip, port };
  if (endpoint.kind === 'ssh') {
    const { host, port: sshPort, user } = endpoint;
    return { host: engineHost, port, forward: { ssh: { host, ...(sshPort ? { port: sshPort } : {}), ...(user ? { user } : {}) }, remoteHost: ip, remotePort: port } };
  }
  return {
    host: engineHost, port,
    problem: t('The webapp is not reachable from here: the host of engine {1} publishes it on its loopback only ({0}), and over tcp:// there is no ssh to forward it through. Publish the port on the host\'s address (a ports entry without 127.0.0.1, on a dockerd without --ip 127.0.0.1), or use the engine over ssh:// (setting wabaCluster.dockerHost or a docker context): the extension then forwards the port through ssh.', `${ip}:${port}`, describeDockerEndpoint(endpoint)),
  };
}

/** How the address is reached, for tooltips and the log; undefined when it is reached directly. */
export function describeRoute(address: WabaAddress, local?: LocalEnd): string | undefined {
  if (!address.forward) return undefined;
  const { ssh, remoteHost, remotePort } = address.forward;
  const via = `ssh://${ssh.user ? `${ssh.user}@` : ''}${ssh.host}${ssh.port ? `:${ssh.port}` : ''}`;
  return local
    ? t('through a forward over ssh ({0}: {1} on that host, {2} on this machine)', via, `${remoteHost}:${remotePort}`, `${local.host}:${local.port}`)
    : t('through a forward over ssh ({0}: {1} on that host)', via, `${remoteHost}:${remotePort}`);
}

/**
 * The webapp as the cluster monitor sees it on `engine()` (the container that publishes port
 * 443), reached through `forwards` when it is on the loopback of an ssh host.
 */
export function monitorLocator(
  monitor: Pick<ClusterMonitor, 'snapshot' | 'refresh' | 'onDidChange'>, engine: () => DockerEndpoint, forwards?: Pick<SshForwards, 'reach' | 'close'>,
): WebappLocator {
  return {
    locate: async () => {
      const snapshot = monitor.snapshot.kind === 'ready' ? monitor.snapshot : await monitor.refresh();
      return snapshot.kind === 'ready' ? webappRoute(snapshot.nodes, engine()) : undefined;
    },
    onDidChange: (listener) => monitor.onDidChange((s) => listener(s.kind === 'ready' ? webappRoute(s.nodes, engine()) : undefined)),
    reach: async (address) => (address.forward && forwards ? forwards.reach(address.forward) : { host: address.host, port: address.port }),
    release: () => forwards?.close(),
  };
}

export function sameAddress(a: WabaAddress | undefined, b: WabaAddress | undefined): boolean {
  return a !== undefined && b !== undefined && a.host === b.host && a.port === b.port;
}
