import type Docker from 'dockerode';
import type { ContainerNode } from '../cluster/containerNode';
import { DockerEndpoint, describeDockerEndpoint } from './dockerEndpoint';

export const COMPOSE_PROJECT_LABEL = 'com.docker.compose.project';
export const COMPOSE_SERVICE_LABEL = 'com.docker.compose.service';

/** The Docker Engine API, narrowed to what the extension needs. */
export class DockerClient {
  private dockerode: Docker | undefined;
  readonly endpointDescription: string;

  constructor(private readonly endpoint: DockerEndpoint) {
    this.endpointDescription = describeDockerEndpoint(endpoint);
  }

  private get docker(): Docker {
    if (!this.dockerode) {
      const DockerCtor = require('./dockerode.js') as typeof Docker;
      const e = this.endpoint;
      this.dockerode = e.kind === 'socket' ? new DockerCtor({ socketPath: e.socketPath }) : new DockerCtor({ host: e.host, port: e.port, protocol: e.protocol });
    }
    return this.dockerode;
  }

  async ping(): Promise<void> {
    await this.docker.ping();
  }

  /**
   * Follows a container's log (stdout and stderr, with timestamps) from the last `tail` lines or
   * from `since`. `onEnd` runs when the container stops or the stream breaks. Returns a stop function.
   */
  async followLogs(containerId: string, from: { tail: number } | { since: string }, onChunk: (chunk: Buffer) => void, onEnd: () => void): Promise<() => void> {
    const options = { follow: true as const, stdout: true, stderr: true, timestamps: true, ...('since' in from ? { since: from.since as unknown as number } : { tail: from.tail }) };
    const stream = (await this.docker.getContainer(containerId).logs(options)) as NodeJS.ReadableStream & { destroy(): void };
    let stopped = false;
    stream.on('data', onChunk);
    stream.on('end', () => { if (!stopped) onEnd(); });
    stream.on('error', () => { if (!stopped) onEnd(); });
    return () => { stopped = true; stream.destroy(); };
  }

  /** Waits until the container stops; its exit code. */
  async waitForExit(containerId: string): Promise<number> {
    const result = (await this.docker.getContainer(containerId).wait()) as { StatusCode: number };
    return result.StatusCode;
  }

  async removeContainer(containerId: string): Promise<void> {
    await this.docker.getContainer(containerId).remove({ force: true });
  }

  /** Whether a container has a TTY (then its log is raw text, not multiplexed frames). */
  async hasTty(containerId: string): Promise<boolean> {
    return Boolean((await this.docker.getContainer(containerId).inspect()).Config.Tty);
  }

  /** Every container (running or not) of one compose project. */
  async listProjectContainers(project: string): Promise<ContainerNode[]> {
    const containers = await this.docker.listContainers({ all: true, filters: { label: [`${COMPOSE_PROJECT_LABEL}=${project}`] } });
    return containers.map((c) => ({
      id: c.Id,
      name: (c.Names[0] ?? c.Id).replace(/^\//, ''),
      service: c.Labels[COMPOSE_SERVICE_LABEL] ?? (c.Names[0] ?? c.Id).replace(/^\//, ''),
      state: c.State,
      status: c.Status,
      image: c.Image,
      ports: c.Ports.map((p) => ({ containerPort: p.PrivatePort, hostIp: p.IP, hostPort: p.PublicPort })),
    }));
  }

  /**
   * Streams container events of one project; `onEvent` runs for each. Returns a stop function.
   * `onEnd` runs when the stream ends or fails (engine restarted, socket gone).
   */
  async watchProjectEvents(project: string, onEvent: (event: ContainerEvent) => void, onEnd: (error?: Error) => void): Promise<() => void> {
    const stream = (await this.docker.getEvents({ filters: { type: ['container'], label: [`${COMPOSE_PROJECT_LABEL}=${project}`] } })) as NodeJS.ReadableStream & { destroy(): void };
    let stopped = false;
    let buffered = '';
    stream.on('data', (chunk: Buffer) => {
      const lines = (buffered + chunk.toString('utf8')).split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const event = parseContainerEvent(line);
        if (event) onEvent(event);
      }
    });
    stream.on('error', (e: Error) => { if (!stopped) onEnd(e); });
    stream.on('end', () => { if (!stopped) onEnd(); });
    return () => { stopped = true; stream.destroy(); };
  }
}

/** A container lifecycle event of the engine's event stream. */
export interface ContainerEvent { action: string; id: string; service?: string }

export function parseContainerEvent(line: string): ContainerEvent | undefined {
  try {
    const e = JSON.parse(line) as { Action?: string; id?: string; Actor?: { ID?: string; Attributes?: Record<string, string> } };
    const id = e.Actor?.ID ?? e.id;
    if (!e.Action || !id) return undefined;
    return { action: e.Action, id, service: e.Actor?.Attributes?.[COMPOSE_SERVICE_LABEL] };
  } catch {
    return undefined;
  }
}

/** Turns an engine connection error into one sentence a user can act on. */
export function describeDockerError(error: unknown, endpointDescription: string): string {
  const err = error as { code?: string; message?: string };
  switch (err?.code) {
    case 'ENOENT': return `Docker is not reachable at ${endpointDescription}: the socket does not exist. Start the Docker engine (e.g. sudo dockerd) or set DOCKER_HOST.`;
    case 'EACCES': return `Docker is not reachable at ${endpointDescription}: permission denied. Add your user to the docker group or run VS Code as a user that may use the socket.`;
    case 'ECONNREFUSED': return `Docker is not reachable at ${endpointDescription}: connection refused. Is the Docker engine running?`;
    default: return `Docker is not reachable at ${endpointDescription}: ${err?.message ?? String(error)}`;
  }
}
