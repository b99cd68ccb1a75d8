import { StringDecoder } from 'node:string_decoder';
import type { Duplex } from 'node:stream';
import type { EngineEventListener } from '../docker/eventHub';
import { t } from '../l10n';

/** What a node's terminal needs from the engine (the one the tree shows). */
export interface NodeTerminalEngine {
  execTty(containerId: string, cmd: string[], options?: { env?: string[] }): Promise<{ execId: string; stream: Duplex }>;
  execExitCode(execId: string): Promise<number | undefined>;
  resizeExec(execId: string, cols: number, rows: number): Promise<void>;
  containerState(containerId: string): Promise<string | undefined>;
  readonly events: { subscribe(listener: EngineEventListener): { dispose(): void } };
}

/** Where the terminal shows its text (VS Code's Pseudoterminal events). */
export interface TerminalScreen {
  write(text: string): void;
  close(exitCode?: number): void;
}

export interface NodeTerminalSpec {
  containerId: string;
  /** The node's service name, as the tree shows it. */
  node: string;
  cmd: string[];
  /** `NAME=value` entries for the program only: they travel in the Engine API call, never on a command line. */
  env?: string[];
}

/** Docker's events for a container that is being stopped, killed or restarted under the terminal. */
const STOPPING = new Set(['kill', 'stop', 'die', 'oom']);

/**
 * One program with a TTY in a node (`docker exec -it`), shown on a terminal screen: keys go in,
 * the program's output comes out. When the program ends the screen says why: the node stopped
 * (the terminal stays, with that line), the program failed (its exit code), or it closes.
 */
export class NodeTerminal {
  private execId: string | undefined;
  private stream: Duplex | undefined;
  private size: { cols: number; rows: number } | undefined;
  private nodeStopping = false;
  /** running: keys go to the program; ended: the last line is shown, a key closes; closed: nothing more is shown. */
  private phase: 'running' | 'ended' | 'closed' = 'running';
  private readonly watch: { dispose(): void };

  constructor(private readonly engine: NodeTerminalEngine, private readonly spec: NodeTerminalSpec, private readonly screen: TerminalScreen, private readonly settleMs = 500) {
    this.watch = engine.events.subscribe({
      event: (e) => { if (e.id === spec.containerId && STOPPING.has(e.action)) this.nodeStopping = true; },
    });
  }

  async open(size?: { cols: number; rows: number }): Promise<void> {
    this.size = size ?? this.size;
    try {
      const { execId, stream } = await this.engine.execTty(this.spec.containerId, this.spec.cmd, { env: this.spec.env });
      this.execId = execId;
      this.stream = stream;
    } catch (error) {
      this.finish(t('Cannot start {0} in {1}: {2}', this.spec.cmd[0], this.spec.node, (error as Error).message));
      return;
    }
    const decoder = new StringDecoder('utf8');
    this.stream.on('data', (chunk: Buffer) => this.screen.write(decoder.write(chunk)));
    this.stream.on('error', () => undefined); // the close below says what happened
    let over = false;
    const ended = (): void => {
      if (over) return;
      over = true;
      const rest = decoder.end();
      if (rest) this.screen.write(rest);
      void this.programEnded();
    };
    // The engine closes the connection when the program ends (a socket may report only one of the two).
    this.stream.on('end', ended);
    this.stream.on('close', ended);
    if (this.size) this.resize(this.size.cols, this.size.rows);
  }

  /** Keys typed into the terminal; after the program has ended, any key closes it. */
  input(data: string): void {
    if (this.phase === 'ended') { this.dispose(); this.screen.close(); return; }
    this.stream?.write(data);
  }

  resize(cols: number, rows: number): void {
    this.size = { cols, rows };
    if (this.execId) void this.engine.resizeExec(this.execId, cols, rows).catch(() => undefined);
  }

  /** The user closed the terminal: the program gets a hang-up (its TTY closes). */
  dispose(): void {
    this.phase = 'closed';
    this.watch.dispose();
    this.stream?.destroy();
  }

  private async programEnded(): Promise<void> {
    if (this.phase !== 'running') return;
    const exitCode = this.execId ? await this.engine.execExitCode(this.execId).catch(() => undefined) : undefined;
    if (exitCode === 0 && !this.nodeStopping) { this.dispose(); this.screen.close(0); return; }
    // Docker announces a stop before the program dies, but its state may say "running" for a moment longer.
    if (!this.nodeStopping) await new Promise((r) => setTimeout(r, this.settleMs));
    const state = await this.engine.containerState(this.spec.containerId).catch(() => undefined);
    if (this.phase !== 'running') return;
    if (this.nodeStopping || state !== 'running') {
      this.finish(t('{0} stopped under the terminal: {1} ended with it. Open a new terminal once the node runs again.', this.spec.node, this.spec.cmd[0]));
    } else {
      this.finish(t('{0} exited with code {1}.', this.spec.cmd[0], exitCode ?? '?'));
    }
  }

  /** The last line, and the terminal waits for a key to close (as VS Code's own terminals do). */
  private finish(line: string): void {
    if (this.phase !== 'running') return;
    this.phase = 'ended';
    this.watch.dispose();
    this.screen.write(`\r\n\x1b[1m${line}\x1b[0m\r\n${t('Press any key to close the terminal.')}\r\n`);
  }
}

/**
 * The shell to open in a node: bash when the image has it, else sh; undefined when it has neither.
 * `run` runs a program without a TTY and gives its exit code (127/126 when there is no such program).
 */
export async function chooseShell(run: (cmd: string[]) => Promise<number>): Promise<string | undefined> {
  for (const shell of ['bash', 'sh']) {
    if ((await run([shell, '-c', 'exit 0']).catch(() => -1)) === 0) return shell;
  }
  return undefined;
}
