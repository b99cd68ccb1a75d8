/** A container of the cluster's compose project, as the views show it. No vscode, no Docker types. */
export interface ContainerNode {
  id: string;
  name: string;
  service: string;
  /** Docker state: created, running, paused, restarting, removing, exited, dead. */
  state: string;
  /** Docker's human status, e.g. "Up 5 minutes", "Exited (137) 3 seconds ago". */
  status: string;
  image: string;
  /** Published ports: container port -> host address and port. */
  ports: PublishedPort[];
}

export interface PublishedPort { containerPort: number; hostIp?: string; hostPort?: number }

/**
 * The published host ports of the webapp's HTTPS port (443 in the container, "9090:443" in Meta's
 * compose), of running containers, waweb first. Where they are reached from depends on the engine
 * (src/session/webappLocator.ts).
 */
export function webappPorts(nodes: readonly ContainerNode[]): PublishedPort[] {
  const candidates = nodes.filter((n) => n.state === 'running').sort((a, b) => Number(b.service === 'waweb') - Number(a.service === 'waweb'));
  return candidates.flatMap((node) => node.ports.filter((p) => p.containerPort === 443 && p.hostPort));
}

const SERVICE_ORDER = ['db', 'waweb', 'master', 'wacore'];

/** Orders nodes the way the seed lists them: db, waweb, masters, coreapps, then the rest by name. */
export function sortContainerNodes(nodes: readonly ContainerNode[]): ContainerNode[] {
  const rank = (service: string): number => {
    const i = SERVICE_ORDER.findIndex((prefix) => service === prefix || service.startsWith(prefix));
    return i === -1 ? SERVICE_ORDER.length : i;
  };
  return [...nodes].sort((a, b) => rank(a.service) - rank(b.service) || a.service.localeCompare(b.service, 'en', { numeric: true }) || a.name.localeCompare(b.name));
}

/** "3 of 6 running" style summary used by the status bar. */
export function summarizeContainers(nodes: readonly ContainerNode[]): { running: number; total: number } {
  return { running: nodes.filter((n) => n.state === 'running').length, total: nodes.length };
}
