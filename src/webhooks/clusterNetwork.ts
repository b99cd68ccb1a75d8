// Where the webhook inspector's receiver listens: on the cluster network's gateway address (the
// host's own address on that Docker bridge), taking connections only from the network's containers.
// Pure: no vscode, no Node APIs.
import { t } from '../l10n';

/** One network a container is attached to, as `docker inspect` shows it (NetworkSettings.Networks). */
export interface AttachedNetwork { name: string; ip: string; prefixLength: number; gateway: string }
export interface ContainerNetworks { service: string; networks: AttachedNetwork[] }

export interface ClusterNetwork {
  name: string;
  gateway: string;
  /** e.g. "172.18.0.0/16". */
  cidr: string;
}

export function ipv4(address: string): number | undefined {
  const bare = address.replace(/^::ffff:/i, '');
  const parts = bare.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

function cidrOf(ip: string, prefixLength: number): string | undefined {
  const n = ipv4(ip);
  if (n === undefined || prefixLength < 1 || prefixLength > 32) return undefined;
  const base = prefixLength === 32 ? n : n - (n % 2 ** (32 - prefixLength));
  return `${[24, 16, 8, 0].map((shift) => Math.floor(base / 2 ** shift) % 256).join('.')}/${prefixLength}`;
}

function inCidr(address: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  const n = ipv4(address);
  const b = ipv4(base);
  if (n === undefined || b === undefined) return false;
  const size = 2 ** (32 - Number(bits));
  return n - (n % size) === b;
}

/**
 * A peer the receiver accepts: a container address on the cluster network. Not the gateway (that is
 * the host itself, and anything the host forwards or NATs), not any other address.
 */
export function isClusterPeer(address: string, network: ClusterNetwork): boolean {
  return inCidr(address, network.cidr) && ipv4(address) !== ipv4(network.gateway);
}

/**
 * The IPv4 bridge network every running WhatsApp node is on (Meta's compose puts them all on the
 * project's default network): there the coreapps (and a webapp) can reach the receiver.
 */
export function chooseClusterNetwork(containers: readonly ContainerNetworks[]): ClusterNetwork {
  const nodes = containers.filter((c) => c.service !== 'db');
  if (nodes.length === 0) throw new Error(t('No cluster node is running: start the cluster first (the inspector listens on its network).'));
  const usable = (n: AttachedNetwork) => ipv4(n.ip) !== undefined && ipv4(n.gateway) !== undefined && cidrOf(n.ip, n.prefixLength) !== undefined;
  const names = nodes.map((c) => new Set(c.networks.filter(usable).map((n) => n.name)));
  const shared = [...names[0]].filter((name) => names.every((set) => set.has(name))).sort();
  if (shared.length === 0) {
    throw new Error(t('The cluster\'s nodes share no IPv4 bridge network with a gateway ({0}): the inspector has nowhere to listen that every node reaches.', nodes.map((c) => `${c.service}: ${c.networks.map((n) => n.name).join(', ') || t('none')}`).join('; ')));
  }
  const attached = nodes[0].networks.find((n) => n.name === shared[0])!;
  return { name: attached.name, gateway: attached.gateway, cidr: cidrOf(attached.ip, attached.prefixLength)! };
}
