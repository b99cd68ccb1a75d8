import { LogSink, LogSource, LogTailOptions, ServiceLogTail } from './logTail';
import { noClusterFolder } from '../notReady';

/** Where one service's lines go (an output channel in VS Code), owned by the set. */
export interface ServiceLogSink extends LogSink {
  /** Brings it to the front (the user asked for it again). */
  reveal(): void;
  dispose(): void;
}

/**
 * The open log tails of the watched project, one per service, all fed by the engine's one event
 * stream. No vscode: the extension passes sinks that write to output channels.
 */
export class LogTailSet<S extends ServiceLogSink = ServiceLogSink> {
  private readonly tails = new Map<string, { tail: ServiceLogTail; sink: S }>();

  constructor(private readonly docker: LogSource, private project: string | undefined, private readonly openSink: (service: string) => S, private readonly options: LogTailOptions = {}) {}

  /** Follows `service` (its container `containerId`) unless already followed; its sink. Rejects when the log cannot be opened. */
  async show(service: string, containerId: string): Promise<S> {
    if (this.project === undefined) throw new Error(noClusterFolder());
    const existing = this.tails.get(service);
    if (existing) { existing.sink.reveal(); return existing.sink; }
    const sink = this.openSink(service);
    const tail = new ServiceLogTail(this.docker, this.project, service, sink, this.options);
    this.tails.set(service, { tail, sink });
    sink.reveal();
    try {
      await tail.start(containerId);
    } catch (error) {
      tail.stop();
      this.tails.delete(service); // the next request tries again
      sink.dispose();
      throw error;
    }
    return sink;
  }

  /** Services whose log is being followed. */
  get services(): string[] { return [...this.tails.keys()]; }

  /** Another project's tails make no sense: they close when the project changes. */
  setProject(project: string | undefined): void {
    if (project === this.project) return;
    this.project = project;
    this.closeAll();
  }

  dispose(): void {
    this.closeAll();
  }

  private closeAll(): void {
    for (const { tail, sink } of this.tails.values()) { tail.stop(); sink.dispose(); }
    this.tails.clear();
  }
}
