import type { ContainerEvent, DockerClient } from './dockerClient';
import { LogFrameDecoder, LogLine, sinceAfter, splitTimestamp } from './logFrames';

export interface LogSink {
  line(line: LogLine): void;
  /** The tail's own remarks (stopped, started again), not lines of the container. */
  notice(text: string): void;
}

/**
 * Follows the log of one compose service and survives its container stopping, restarting or
 * being re-created: it waits for the next start of the service and resumes after the last line
 * it showed (or from the tail of a new container).
 */
export class ServiceLogTail {
  private stopLogs: (() => void) | undefined;
  private stopEvents: (() => void) | undefined;
  private containerId: string | undefined;
  private lastTimestamp: string | undefined;
  private stopped = false;
  private attaching = false;

  constructor(private readonly docker: DockerClient, private readonly project: string, readonly service: string, private readonly sink: LogSink, private readonly tail = 500) {}

  async start(containerId: string): Promise<void> {
    const stopEvents = await this.docker.watchProjectEvents(this.project, (e) => this.onEvent(e), () => {
      if (!this.stopped) this.sink.notice(`Docker's event stream ended: ${this.service} will not be re-attached after a restart.`);
    });
    // stop() may have run while the stream was opening.
    if (this.stopped) { stopEvents(); return; }
    this.stopEvents = stopEvents;
    await this.follow(containerId);
  }

  stop(): void {
    this.stopped = true;
    this.stopLogs?.();
    this.stopEvents?.();
  }

  private onEvent(event: ContainerEvent): void {
    if (event.service === this.service && event.action === 'start') this.attach(event.id);
  }

  /** Follows `containerId` unless already following; a new container starts from its tail. */
  private attach(containerId: string): void {
    if (this.stopped || this.stopLogs || this.attaching) return;
    const recreated = containerId !== this.containerId;
    this.sink.notice(`${this.service} started${recreated ? ` as a new container ${containerId.slice(0, 12)}` : ' again'}`);
    if (recreated) this.lastTimestamp = undefined;
    void this.follow(containerId).catch((e: Error) => this.sink.notice(`Cannot follow ${this.service}: ${e.message}`));
  }

  /** After a stream ended: the container may already be running again (restart's start event came first). */
  private async reattachIfRunning(): Promise<void> {
    const running = (await this.docker.listProjectContainers(this.project)).find((c) => c.service === this.service && c.state === 'running');
    if (running) this.attach(running.id);
    else this.sink.notice(`${this.service} stopped; waiting for it to start again…`);
  }

  private async follow(containerId: string): Promise<void> {
    this.attaching = true;
    this.containerId = containerId;
    try {
      await this.followFrom(containerId);
    } finally {
      this.attaching = false;
    }
  }

  private async followFrom(containerId: string): Promise<void> {
    const decoder = await this.docker.hasTty(containerId) ? undefined : new LogFrameDecoder();
    const from = this.lastTimestamp ? { since: sinceAfter(this.lastTimestamp) } : { tail: this.tail };
    const emit = (line: LogLine): void => {
      const { timestamp, text } = splitTimestamp(line.text);
      if (timestamp) this.lastTimestamp = timestamp;
      this.sink.line({ source: line.source, text });
    };
    let rawPartial = '';
    let ended = false;
    const stopLogs = await this.docker.followLogs(containerId, from, (chunk) => {
      if (decoder) { for (const l of decoder.push(chunk)) emit(l); return; }
      const parts = (rawPartial + chunk.toString('utf8')).split('\n');
      rawPartial = parts.pop() ?? '';
      for (const p of parts) emit({ source: 'stdout', text: p.replace(/\r$/, '') });
    }, () => {
      ended = true;
      for (const l of decoder?.flush() ?? []) emit(l);
      this.stopLogs = undefined;
      if (!this.stopped) void this.reattachIfRunning().catch((e: Error) => this.sink.notice(`Cannot follow ${this.service}: ${e.message}`));
    });
    if (this.stopped) stopLogs(); // stop() ran while the log stream was opening
    else if (!ended) this.stopLogs = stopLogs;
  }
}
