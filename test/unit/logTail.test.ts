import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ContainerNode } from '../../src/docker/containerNode';
import type { EngineEventListener } from '../../src/docker/eventHub';
import { LogSource, ServiceLogTail } from '../../src/docker/logTail';

/** One opened log stream of the fake engine. */
interface FakeLog { containerId: string; from: { tail: number } | { since: string }; write(text: string): void; end(): void; stopped: boolean }

/** An engine whose logs, container list and event stream the test drives. */
class FakeEngine implements LogSource {
  readonly logs: FakeLog[] = [];
  readonly listeners = new Set<EngineEventListener>();
  running: ContainerNode[] = [];
  down = false;
  readonly events = {
    subscribe: (l: EngineEventListener) => { this.listeners.add(l); return { dispose: () => this.listeners.delete(l) }; },
  };

  async listProjectContainers(): Promise<ContainerNode[]> {
    if (this.down) throw new Error('connect ENOENT /var/run/docker.sock');
    return this.running;
  }

  async hasTty(): Promise<boolean> {
    if (this.down) throw new Error('connect ENOENT /var/run/docker.sock');
    return true; // raw text: the test writes plain lines
  }

  async followLogs(containerId: string, from: FakeLog['from'], onChunk: (c: Buffer) => void, onEnd: () => void): Promise<() => void> {
    if (this.down) throw new Error('connect ENOENT /var/run/docker.sock');
    const log: FakeLog = { containerId, from, stopped: false, write: (t) => onChunk(Buffer.from(t)), end: () => onEnd() };
    this.logs.push(log);
    return () => { log.stopped = true; };
  }

  emit(l: (x: EngineEventListener) => void): void { for (const x of this.listeners) l(x); }
}

const container = (id: string): ContainerNode => ({ id, name: `biz_wacore1_1`, service: 'wacore1', state: 'running', status: 'Up', image: 'img', ports: [] });
const until = async (what: string, check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(check(), what);
};

describe('ServiceLogTail with a fake engine', () => {
  it('resumes after the engine went away, from just after the last line, with one stream only', async () => {
    const engine = new FakeEngine();
    const lines: string[] = [];
    const notices: string[] = [];
    const tail = new ServiceLogTail(engine, 'biz', 'wacore1', { line: (l) => lines.push(l.text), notice: (n) => notices.push(n) }, { tail: 50, retryDelayMs: () => 10 });
    try {
      await tail.start('c1');
      assert.deepEqual(engine.logs[0].from, { tail: 50 });
      engine.logs[0].write('2026-11-28T10:00:00.000000001Z one\n2026-11-28T10:00:00.999999999Z two\n2026-11-28T10:00:01.000000000Z thr');
      engine.down = true;
      engine.logs[0].end(); // dockerd stopped: the cut-off "thr" line was not shown
      engine.emit((l) => l.lost?.(undefined));
      await until('the loss is noticed', () => notices.some((n) => n.startsWith('Lost Docker')));
      engine.running = [container('c1')];
      engine.down = false;
      engine.emit((l) => l.resumed?.()); // the event stream is back, and a retry timer is due too
      await until('a new log stream', () => engine.logs.length >= 2);
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(engine.logs.length, 2, 'one stream, not one per trigger');
      assert.deepEqual(engine.logs[1].from, { since: '1795860001.000000000' }, 'just after "two"');
      engine.logs[1].write('2026-11-28T10:00:01.000000000Z three\n');
      assert.deepEqual(lines, ['one', 'two', 'three']);
      assert.ok(notices.some((n) => /^Docker answers again/.test(n)), notices.join(' | '));
    } finally {
      tail.stop();
    }
  });

  it('follows a re-created container from its tail, and ignores other services and a start while following', async () => {
    const engine = new FakeEngine();
    const lines: string[] = [];
    const tail = new ServiceLogTail(engine, 'biz', 'wacore1', { line: (l) => lines.push(l.text), notice: () => undefined }, { tail: 50, retryDelayMs: () => 10 });
    try {
      await tail.start('c1');
      engine.emit((l) => l.event?.({ action: 'start', id: 'c9', project: 'biz', service: 'wacore1' }));
      engine.emit((l) => l.event?.({ action: 'start', id: 'x', project: 'biz', service: 'master1' }));
      await new Promise((r) => setTimeout(r, 20));
      assert.equal(engine.logs.length, 1, 'still on the stream it follows');
      engine.logs[0].write('2026-11-28T10:00:00.000000001Z old\n');
      engine.logs[0].end(); // compose stopped the old container…
      await until('waits for the service', () => engine.logs.length === 1);
      engine.emit((l) => l.event?.({ action: 'start', id: 'c2', project: 'biz', service: 'wacore1' })); // …and started a new one
      await until('follows the new container', () => engine.logs.length === 2);
      assert.deepEqual([engine.logs[1].containerId, engine.logs[1].from], ['c2', { tail: 50 }]);
      tail.stop();
      assert.equal(engine.logs[1].stopped, true);
      assert.equal(engine.listeners.size, 0, 'unsubscribed from the event hub');
    } finally {
      tail.stop();
    }
  });
});
