import type { Duplex } from 'node:stream';
import type { ContainerNode } from './containerNode';
import { DockerEndpoint, describeDockerEndpoint } from './dockerEndpoint';
import { EngineHttp, EngineHttpOptions } from './engineHttp';
import { ContainerEvent, DockerEventHub } from './eventHub';
import { t } from '../l10n';
import { LogFrameDecoder } from './logFrames';

export type { ContainerEvent } from './eventHub';

export const COMPOSE_PROJECT_LABEL = 'com.docker.compose.project';
export const COMPOSE_SERVICE_LABEL = 'com.docker.compose.service';

/** The parts of `docker inspect` the extension reads; the rest is kept as it came. */
export interface ContainerInspect {
  Id: string;
  Name: string;
  Config: { Image: string; Env?: string[] | null; Hostname?: string; Labels?: Record<string, string> | null; Cmd?: string[] | null };
  State: { Status: string; ExitCode?: number; StartedAt?: string; FinishedAt?: string };
  NetworkSettings?: { Ports?: Record<string, Array<{ HostIp: string; HostPort: string }> | null> | null };
  [key: string]: unknown;
}

interface ContainerSummary { Id: string; Names: string[]; Image: string; State: string; Status: string; Labels: Record<string, string>; Ports: Array<{ PrivatePort: number; PublicPort?: number; IP?: string }> }

/**
 * The Docker Engine API of one engine, narrowed to what the extension needs. Every call has a
 * time limit; `events` is the engine's one shared container event stream.
 */
export class DockerClient {
  readonly endpointDescription: string;
  /** Why this engine: "context `desktop-linux`", "DOCKER_HOST", "default socket", ... */
  readonly endpointWhy: string | undefined;
  /** The Docker context the engine comes from, if any (the status bar names it). */
  readonly context: string | undefined;
  readonly events: DockerEventHub;
  private readonly http: EngineHttp;

  constructor(readonly endpoint: DockerEndpoint, options: EngineHttpOptions & { why?: string; context?: string } = {}) {
    this.endpointDescription = describeDockerEndpoint(endpoint);
    this.endpointWhy = options.why;
    this.context = options.context;
    this.http = new EngineHttp(endpoint, options);
    this.events = new DockerEventHub(this);
  }

  /** The time limit of one call, in ms. */
  get timeoutMs(): number { return this.http.timeoutMs; }

  async ping(): Promise<void> {
    await this.http.json('GET', '/_ping');
  }

  /**
   * Follows a container's log (stdout and stderr, with timestamps) from the last `tail` lines or
   * from `since`. `onEnd` runs when the container stops or the stream breaks. Returns a stop function.
   */
  async followLogs(containerId: string, from: { tail: number } | { since: string }, onChunk: (chunk: Buffer) => void, onEnd: () => void): Promise<() => void> {
    const stream = await this.http.stream(`/containers/${encodeURIComponent(containerId)}/logs`, { follow: 1, stdout: 1, stderr: 1, timestamps: 1, ...from });
    let stopped = false;
    stream.on('data', onChunk);
    stream.on('end', () => { if (!stopped) onEnd(); });
    stream.on('error', () => { if (!stopped) onEnd(); });
    stream.on('close', () => { if (!stopped && !stream.readableEnded) { stopped = true; onEnd(); } });
    return () => { stopped = true; stream.destroy(); };
  }

  /** Waits until the container stops (at most `timeoutMs`, 0: as long as `signal` allows); its exit code. */
  async waitForExit(containerId: string, options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<number> {
    const result = await this.http.json<{ StatusCode: number }>('POST', `/containers/${encodeURIComponent(containerId)}/wait`, { timeoutMs: options.timeoutMs ?? 30 * 60_000, signal: options.signal });
    return result.StatusCode;
  }

  /** Where the engine keeps images, containers and volumes (`docker info`: Docker Root Dir). */
  async dataRoot(): Promise<string | undefined> {
    return (await this.http.json<{ DockerRootDir?: string }>('GET', '/info')).DockerRootDir;
  }

  async removeContainer(containerId: string): Promise<void> {
    await this.http.json('DELETE', `/containers/${encodeURIComponent(containerId)}`, { query: { force: 1 } });
  }

  /** Stops a container (as `docker stop`: SIGTERM, then SIGKILL after 10 s); it is not removed. */
  async stopContainer(containerId: string): Promise<void> {
    await this.http.json('POST', `/containers/${encodeURIComponent(containerId)}/stop`, { timeoutMs: 30_000 });
  }

  /** `docker inspect` of one container: the Engine API's answer as it is (it holds the environment: secrets). */
  async inspect(containerId: string): Promise<ContainerInspect> {
    return this.http.json<ContainerInspect>('GET', `/containers/${encodeURIComponent(containerId)}/json`);
  }

  /** Sends SIGKILL, like a crash (`docker kill`). */
  async killContainer(containerId: string): Promise<void> {
    await this.http.json('POST', `/containers/${encodeURIComponent(containerId)}/kill`);
  }

  async startContainer(containerId: string): Promise<void> {
    await this.http.json('POST', `/containers/${encodeURIComponent(containerId)}/start`, { timeoutMs: 30_000 });
  }

  /**
   * The log lines of a container from `since` (epoch seconds) until now, with Docker's timestamps,
   * as `docker logs --timestamps --since` prints them (stdout and stderr interleaved as read).
   */
  async logsSince(containerId: string, sinceSeconds: number): Promise<string[]> {
    const tty = await this.hasTty(containerId);
    const stream = await this.http.stream(`/containers/${encodeURIComponent(containerId)}/logs`, { stdout: 1, stderr: 1, timestamps: 1, since: Math.floor(sinceSeconds) });
    const decoder = new LogFrameDecoder();
    const lines: string[] = [];
    let raw = '';
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (tty) raw += chunk.toString('utf8');
      else lines.push(...decoder.push(chunk).map((l) => l.text));
    }
    return tty ? raw.split('\n').filter(Boolean) : [...lines, ...decoder.flush().map((l) => l.text)];
  }

  /**
   * Runs a program in a running container (`docker exec`), without a TTY; `env` entries are
   * `NAME=value` (how a password reaches a client without showing in its command line).
   */
  async exec(containerId: string, cmd: string[], options: { env?: string[]; timeoutMs?: number } = {}): Promise<{ exitCode: number; stdout: string; stderr: string }> {
    const { Id } = await this.http.json<{ Id: string }>('POST', `/containers/${encodeURIComponent(containerId)}/exec`, {
      body: { AttachStdout: true, AttachStderr: true, Tty: false, Cmd: cmd, Env: options.env ?? [] },
    });
    const stream = await this.http.stream(`/exec/${Id}/start`, {}, { method: 'POST', body: { Detach: false, Tty: false } });
    const decoder = new LogFrameDecoder();
    const out: Record<'stdout' | 'stderr', string[]> = { stdout: [], stderr: [] };
    const timeoutMs = options.timeoutMs ?? 15_000;
    const timer = setTimeout(() => stream.destroy(new Error(t('{0} did not finish within {1} s', cmd[0], timeoutMs / 1000))), timeoutMs);
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) for (const line of decoder.push(chunk)) out[line.source].push(line.text);
    } finally {
      clearTimeout(timer);
    }
    for (const line of decoder.flush()) out[line.source].push(line.text);
    const { ExitCode } = await this.http.json<{ ExitCode: number | null }>('GET', `/exec/${Id}/json`);
    return { exitCode: ExitCode ?? -1, stdout: out.stdout.join('\n'), stderr: out.stderr.join('\n') };
  }

  /**
   * Starts a program with a TTY in a running container (`docker exec -it`); the stream is its
   * terminal both ways. `env` entries (`NAME=value`) reach the program only, never a command line.
   */
  async execTty(containerId: string, cmd: string[], options: { env?: string[] } = {}): Promise<{ execId: string; stream: Duplex }> {
    const { Id } = await this.http.json<{ Id: string }>('POST', `/containers/${encodeURIComponent(containerId)}/exec`, {
      body: { AttachStdin: true, AttachStdout: true, AttachStderr: true, Tty: true, Cmd: cmd, Env: options.env ?? [] },
    });
    return { execId: Id, stream: await this.http.upgrade(`/exec/${Id}/start`, { Detach: false, Tty: true }) };
  }

  /** The exit code of an exec that has ended (undefined while it runs). */
  async execExitCode(execId: string): Promise<number | undefined> {
    const { Running, ExitCode } = await this.http.json<{ Running: boolean; ExitCode: number | null }>('GET', `/exec/${encodeURIComponent(execId)}/json`);
    return Running ? undefined : ExitCode ?? undefined;
  }

  async resizeExec(execId: string, cols: number, rows: number): Promise<void> {
    await this.http.json('POST', `/exec/${encodeURIComponent(execId)}/resize`, { query: { h: rows, w: cols } });
  }

  /** Docker's state of a container (running, exited, restarting, ...). */
  async containerState(containerId: string): Promise<string> {
    return (await this.inspect(containerId)).State.Status;
  }

  /** Running containers of any project that publish a host port (for Start Cluster's pre-flight). */
  async containersPublishing(port: number): Promise<Array<{ id: string; name: string; project?: string }>> {
    const containers = await this.http.json<ContainerSummary[]>('GET', '/containers/json', { query: { filters: JSON.stringify({ publish: [String(port)] }) } });
    return containers.map((c) => ({ id: c.Id, name: (c.Names[0] ?? c.Id).replace(/^\//, ''), project: c.Labels[COMPOSE_PROJECT_LABEL] }));
  }

  /** Tags (without the repository) of the local images of one repository. */
  async imageTags(repository: string): Promise<string[]> {
    const images = await this.http.json<Array<{ RepoTags?: string[] | null }>>('GET', '/images/json', { query: { filters: JSON.stringify({ reference: [repository] }) } });
    return images.flatMap((i) => i.RepoTags ?? []).filter((t) => t.startsWith(`${repository}:`)).map((t) => t.slice(repository.length + 1));
  }

  /** Whether a container has a TTY (then its log is raw text, not multiplexed frames). */
  async hasTty(containerId: string): Promise<boolean> {
    const info = await this.http.json<{ Config?: { Tty?: boolean } }>('GET', `/containers/${encodeURIComponent(containerId)}/json`);
    return Boolean(info.Config?.Tty);
  }

  /** Every container (running or not) of one compose project. */
  async listProjectContainers(project: string): Promise<ContainerNode[]> {
    const filters = JSON.stringify({ label: [`${COMPOSE_PROJECT_LABEL}=${project}`] });
    const containers = await this.http.json<ContainerSummary[]>('GET', '/containers/json', { query: { all: 1, filters } });
    return containers.map((c) => {
      const name = (c.Names[0] ?? c.Id).replace(/^\//, '');
      return {
        id: c.Id, name, service: c.Labels[COMPOSE_SERVICE_LABEL] ?? name, state: c.State, status: c.Status, image: c.Image,
        ports: (c.Ports ?? []).map((p) => ({ containerPort: p.PrivatePort, hostIp: p.IP, hostPort: p.PublicPort })),
      };
    });
  }

  /** The engine's container event stream (the hub's source; consumers subscribe to `events`). */
  async openContainerEvents(since: string | undefined, onEvent: (event: ContainerEvent) => void, onEnd: (error?: Error) => void): Promise<() => void> {
    const stream = await this.http.stream('/events', { filters: JSON.stringify({ type: ['container'] }), since });
    let stopped = false;
    let buffered = '';
    const end = (error?: Error): void => { if (!stopped) { stopped = true; onEnd(error); } };
    stream.on('data', (chunk: Buffer) => {
      const lines = (buffered + chunk.toString('utf8')).split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const event = parseContainerEvent(line);
        if (event) onEvent(event);
      }
    });
    stream.on('error', (e: Error) => end(e));
    stream.on('end', () => end());
    stream.on('close', () => end());
    return () => { stopped = true; stream.destroy(); };
  }

  /** Closes the event stream and idle connections. */
  dispose(): void {
    this.events.dispose();
    this.http.dispose();
  }
}

export function parseContainerEvent(line: string): ContainerEvent | undefined {
  try {
    const e = JSON.parse(line) as { Action?: string; id?: string; Actor?: { ID?: string; Attributes?: Record<string, string> } };
    const id = e.Actor?.ID ?? e.id;
    if (!e.Action || !id) return undefined;
    const attributes = e.Actor?.Attributes ?? {};
    // timeNano exceeds a double's precision: take its digits from the text.
    const timeNano = /"timeNano":(\d+)/.exec(line)?.[1];
    return { action: e.Action, id, service: attributes[COMPOSE_SERVICE_LABEL], project: attributes[COMPOSE_PROJECT_LABEL], ...(timeNano ? { timeNano } : {}) };
  } catch {
    return undefined;
  }
}

/** Turns an engine connection error into one sentence a user can act on. */
export function describeDockerError(error: unknown, endpointDescription: string): string {
  const err = error as { code?: string; message?: string; timeoutMs?: number };
  switch (err?.code) {
    case 'ENGINE_TIMEOUT': return t('Docker is not answering at {0} ({1}). The engine may be hung: restart it, or pick another engine (setting wabaCluster.dockerHost, DOCKER_HOST or docker context).', endpointDescription, err.message ?? '');
    case 'ENGINE_CONFIG': return t('Docker engine cannot be used: {0}', err.message ?? '');
    case 'ENOENT': return t('Docker is not reachable at {0}: the socket does not exist. Start the Docker engine (e.g. sudo dockerd) or set DOCKER_HOST.', endpointDescription);
    case 'EACCES': return t('Docker is not reachable at {0}: permission denied. Add your user to the docker group or run VS Code as a user that may use the socket.', endpointDescription);
    case 'ECONNREFUSED': return t('Docker is not reachable at {0}: connection refused. Is the Docker engine running?', endpointDescription);
    default: return t('Docker is not reachable at {0}: {1}', endpointDescription, err?.message ?? String(error));
  }
}
