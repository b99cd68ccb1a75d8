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
