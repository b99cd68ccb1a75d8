import type { ContainerNode } from './containerNode';
import { EngineApiError } from './engineHttp';
import type { DockerEventHub } from './eventHub';
import { LogFrameDecoder, LogLine, sinceAfter, splitTimestamp } from './logFrames';

export interface LogSink {
  line(line: LogLine): void;
  /** The tail's own remarks (stopped, started again), not lines of the container. */
  notice(text: string): void;
}

/** What a tail needs from the engine; DockerClient implements it. */
export interface LogSource {
  readonly events: Pick<DockerEventHub, 'subscribe'>;
  listProjectContainers(project: string): Promise<ContainerNode[]>;
  hasTty(containerId: string): Promise<boolean>;
  followLogs(containerId: string, from: { tail: number } | { since: string }, onChunk: (chunk: Buffer) => void, onEnd: () => void): Promise<() => void>;
}

export interface LogTailOptions {
  /** Lines of a container's past to show when the tail first attaches to it. */
  tail?: number;
  /** Wait before the n-th consecutive re-check while the engine does not answer. */
  retryDelayMs?(attempt: number): number;
}

/**
 * Follows the log of one compose service and survives its container stopping, restarting or
 * being re-created, and the engine restarting or going away for a while: it waits for the service
 * (or the engine) to come back and resumes after the last line it showed, so no line is lost and
 * none is shown twice.
 */
export class ServiceLogTail {
  private stopLogs: (() => void) | undefined;
  private events: { dispose(): void } | undefined;
  private containerId: string | undefined;
  private lastTimestamp: string | undefined;
  private stopped = false;
  private checking: Promise<void> | undefined;
  private checkAgain: string | 'any' | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private attempt = 0;
  private engineLost = false;

  constructor(private readonly docker: LogSource, private readonly project: string, readonly service: string, private readonly sink: LogSink, private readonly options: LogTailOptions = {}) {}

  /** Starts following `containerId`; rejects when its log cannot be opened. */
  async start(containerId: string): Promise<void> {
    this.events = this.docker.events.subscribe({
      event: (e) => { if (e.project === this.project && e.service === this.service && e.action === 'start') void this.recheck(e.id); },
      lost: () => { if (!this.stopLogs) this.noteEngineLost(); },
      resumed: () => void this.recheck(),
    });
    await this.follow(containerId);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.stopLogs?.();
    this.stopLogs = undefined;
    this.events?.dispose();
  }

  /**
   * Follows the service's running container unless already following: `startedId` when a start
   * event named it, else whatever is running now. Single-flight, so no line is ever streamed twice.
   */
  private recheck(startedId?: string): Promise<void> {
    if (this.stopped || this.stopLogs) return Promise.resolve();
    if (this.checking) {
      // A start event (or the engine's return) during a check: look again once it is done.
      this.checkAgain = startedId ?? this.checkAgain ?? 'any';
      return this.checking;
    }
    this.checking = (async () => {
      try {
        const id = startedId ?? (await this.docker.listProjectContainers(this.project)).find((c) => c.service === this.service && c.state === 'running')?.id;
        if (this.stopped || this.stopLogs) return;
        if (id === undefined) { this.sink.notice(`${this.service} stopped; waiting for it to start again…`); return; }
        if (this.engineLost) this.sink.notice(`Docker answers again: following ${this.service} from its last line`);
        else if (id !== this.containerId) this.sink.notice(`${this.service} started as a new container ${id.slice(0, 12)}`);
        else this.sink.notice(`${this.service} started again`);
        await this.follow(id);
      } catch (error) {
        // The engine answered (e.g. the container is gone already): look again, without crying wolf.
        if (error instanceof EngineApiError) this.sink.notice(`Cannot follow ${this.service}: ${error.message}`);
        else this.noteEngineLost(error as Error);
        this.retryLater();
      }
    })().finally(() => {
      this.checking = undefined;
      const again = this.checkAgain;
      this.checkAgain = undefined;
      if (again !== undefined) void this.recheck(again === 'any' ? undefined : again);
    });
    return this.checking;
  }

  private noteEngineLost(error?: Error): void {
    if (this.engineLost) return;
    this.engineLost = true;
    this.sink.notice(`Lost Docker${error ? ` (${error.message})` : ''}; the log resumes when the engine answers again…`);
  }

  private retryLater(): void {
    if (this.stopped) return;
    const delay = this.options.retryDelayMs?.(this.attempt) ?? Math.min(500 * 2 ** this.attempt, 5_000);
    this.attempt++;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.recheck(), delay);
  }

  /** Opens the container's log after the last line shown (a new container: from its tail). */
  private async follow(containerId: string): Promise<void> {
    if (containerId !== this.containerId) this.lastTimestamp = undefined;
    this.containerId = containerId;
    const decoder = await this.docker.hasTty(containerId) ? undefined : new LogFrameDecoder();
    const from = this.lastTimestamp ? { since: sinceAfter(this.lastTimestamp) } : { tail: this.options.tail ?? 500 };
    const emit = (line: LogLine): void => {
      const { timestamp, text } = splitTimestamp(line.text);
      if (timestamp) this.lastTimestamp = timestamp;
      this.sink.line({ source: line.source, text });
    };
    let rawPartial = '';
    let ended = false;
    let quiet = true;
    const openedAt = Date.now();
    const stopLogs = await this.docker.followLogs(containerId, from, (chunk) => {
      quiet = false;
      if (decoder) { for (const l of decoder.push(chunk)) emit(l); return; }
      const parts = (rawPartial + chunk.toString('utf8')).split('\n');
      rawPartial = parts.pop() ?? '';
      for (const p of parts) emit({ source: 'stdout', text: p.replace(/\r$/, '') });
    }, () => {
      // A line cut off by the stream's end was not shown: the next stream starts at it again.
      ended = true;
      this.stopLogs = undefined;
      // A stream that ends at once with nothing in it, again and again, must not spin: pause first.
      if (quiet && Date.now() - openedAt < 1_000) this.retryLater();
      else void this.recheck();
    });
    if (this.stopped) { stopLogs(); return; } // stop() ran while the log stream was opening
    if (ended) return;
    this.stopLogs = stopLogs;
    this.attempt = 0;
    this.engineLost = false;
  }
}
