import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { ClusterMonitor, ClusterSnapshot } from '../../src/cluster/clusterMonitor';
import type { ContainerNode } from '../../src/docker/containerNode';
import { ContainerEvent, ContainerEventStream, DockerEventHub } from '../../src/docker/eventHub';

/** The engine's event stream, driven by the test: each open is recorded with its `since`. */
class FakeEventStream implements ContainerEventStream {
  readonly opens: Array<{ since: string | undefined; emit(e: ContainerEvent): void; end(error?: Error): void; stopped: boolean }> = [];
  failNextOpens = 0;

  async openContainerEvents(since: string | undefined, onEvent: (e: ContainerEvent) => void, onEnd: (error?: Error) => void): Promise<() => void> {
    if (this.failNextOpens > 0) { this.failNextOpens--; throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }); }
    const open = { since, emit: onEvent, end: onEnd, stopped: false };
    this.opens.push(open);
    return () => { open.stopped = true; };
  }

  get last() { return this.opens.at(-1)!; }
}

/** Containers per project, as the engine would list them; counts the list calls. */
class FakeContainers {
  readonly projects = new Map<string, ContainerNode[]>();
  readonly calls: string[] = [];
  failWith: Error | undefined;
  readonly endpointDescription = 'unix:///fake.sock';
  readonly endpointWhy = 'context `fake`';
  constructor(readonly events: DockerEventHub) {}

  async listProjectContainers(project: string): Promise<ContainerNode[]> {
    this.calls.push(project);
    if (this.failWith) throw this.failWith;
    return this.projects.get(project) ?? [];
  }
}

const node = (service: string, state = 'running'): ContainerNode => ({ id: `id-${service}`, name: `biz_${service}_1`, service, state, status: state, image: 'img', ports: [] });
const event = (project: string, action: string, timeNano: string): ContainerEvent => ({ action, id: 'x', project, service: 'wacore1', timeNano });

describe('ClusterMonitor with fakes of the engine', () => {
  let stream: FakeEventStream;
  let engine: FakeContainers;
  let monitor: ClusterMonitor;
  const seen: ClusterSnapshot[] = [];
  /** Lets the fakes' promises settle (mocked timers do not run them). */
  const settle = async () => { for (let i = 0; i < 10; i++) await Promise.resolve(); };

  beforeEach(() => {
    mock.timers.enable({ apis: ['setTimeout', 'setInterval'] });
    stream = new FakeEventStream();
    engine = new FakeContainers(new DockerEventHub(stream, { retryDelayMs: () => 1_000 }));
    engine.projects.set('biz', [node('wacore1'), node('master1')]);
    monitor = new ClusterMonitor(engine, 'biz', { describeError: (e, at) => `Docker is not reachable at ${at}: ${(e as Error).message}`, debounceMs: 300, pollMs: 30_000 });
    seen.length = 0;
    monitor.onDidChange((s) => seen.push(s));
  });

  afterEach(() => {
    monitor.dispose();
    mock.timers.reset();
  });

  it('publishes the project, sorted, with the engine and why it was chosen', async () => {
    monitor.startWatching();
    await settle();
    assert.deepEqual(monitor.snapshot, { kind: 'ready', project: 'biz', nodes: [node('master1'), node('wacore1')], engine: { endpoint: 'unix:///fake.sock', why: 'context `fake`' } });
  });

  it('reads at the first event of its project, once more after a burst, and ignores other projects', async () => {
    monitor.startWatching();
    await settle();
    const before = engine.calls.length;
    stream.last.emit(event('biz', 'start', '1000'));
    await settle();
    assert.equal(engine.calls.length, before + 1, 'the first event is read at once, not after a delay');
    for (let i = 1; i < 20; i++) stream.last.emit(event('biz', 'start', String(1_000 + i)));
    stream.last.emit(event('other', 'die', '2000'));
    mock.timers.tick(299);
    await settle();
    assert.equal(engine.calls.length, before + 1, 'the rest of the burst waits for the window to end');
    mock.timers.tick(1);
    await settle();
    assert.equal(engine.calls.length, before + 2, 'one more read for the whole burst');
    mock.timers.tick(1_000);
    await settle();
    assert.equal(engine.calls.length, before + 2, 'nothing more without events');
    for (let i = 0; i < 5; i++) stream.last.emit(event('other', 'start', String(3_000 + i)));
    mock.timers.tick(1_000);
    await settle();
    assert.equal(engine.calls.length, before + 2, "another project's events cause no read");
  });

  it("shows a known container's new state as its event arrives, before any read, then Docker's own status", async () => {
    monitor.startWatching();
    await settle();
    engine.projects.set('biz', [node('master1'), { ...node('wacore1', 'exited'), status: 'Exited (137) 1 second ago' }]);
    const reads = engine.calls.length;
    stream.last.emit({ ...event('biz', 'die', '1000'), id: 'id-wacore1' });
    const shown = monitor.snapshot.kind === 'ready' ? monitor.snapshot.nodes.find((n) => n.service === 'wacore1') : undefined;
    assert.equal(engine.calls.length, reads + 1, 'a read is under way');
    assert.deepEqual([shown?.state, shown?.status], ['exited', 'Exited'], 'shown synchronously, from the event');
    await settle();
    const read = monitor.snapshot.kind === 'ready' ? monitor.snapshot.nodes.find((n) => n.service === 'wacore1') : undefined;
    assert.equal(read?.status, 'Exited (137) 1 second ago');
    stream.last.emit({ ...event('biz', 'destroy', '1001'), id: 'id-wacore1' });
    assert.deepEqual(monitor.snapshot.kind === 'ready' && monitor.snapshot.nodes.map((n) => n.service), ['master1'], 'a removed container leaves at once');
  });

  it('reads after no event that leaves the listing as it was (a kill before its die, a healthcheck exec): a repaint then would delay the next in VS Code', async () => {
    monitor.startWatching();
    await settle();
    const reads = engine.calls.length;
    for (const action of ['kill', 'exec_create: sh -c true', 'exec_start: sh -c true', 'exec_die', 'attach', 'resize']) stream.last.emit({ ...event('biz', action, '1000'), id: 'id-wacore1' });
    mock.timers.tick(1_000);
    await settle();
    assert.equal(engine.calls.length, reads, 'no read');
    stream.last.emit({ ...event('biz', 'health_status: unhealthy', '1001'), id: 'id-wacore1' });
    await settle();
    assert.equal(engine.calls.length, reads + 1, 'a health status shows in the listing: read');
  });

  it("keeps a state an event announced while Docker's listing still shows the old one, reads again after the window, then shows Docker's own words", async () => {
    monitor.startWatching();
    await settle();
    const reads = engine.calls.length;
    const wacore1 = () => (monitor.snapshot.kind === 'ready' ? monitor.snapshot.nodes.find((n) => n.service === 'wacore1') : undefined);
    const states: string[] = [];
    monitor.onDidChange(() => states.push(wacore1()?.state ?? '-'));
    stream.last.emit({ ...event('biz', 'die', '1000'), id: 'id-wacore1' }); // the listing still says running
    await settle();
    assert.equal(engine.calls.length, reads + 1);
    assert.equal(wacore1()?.state, 'exited', 'a listing that lags the event does not put the row back to running');
    engine.projects.set('biz', [node('master1'), { ...node('wacore1', 'exited'), status: 'Exited (137) 1 second ago' }]);
    mock.timers.tick(300);
    await settle();
    assert.equal(engine.calls.length, reads + 2, 'read again when the window ends');
    assert.equal(wacore1()?.status, 'Exited (137) 1 second ago');
    assert.ok(!states.includes('running'), `the row never flipped back: ${states.join(' → ')}`);
  });

  it('a listing with a state newer than the event (restarting after die) wins at once', async () => {
    monitor.startWatching();
    await settle();
    engine.projects.set('biz', [node('master1'), { ...node('wacore1', 'restarting'), status: 'Restarting (1) Less than a second ago' }]);
    stream.last.emit({ ...event('biz', 'die', '1000'), id: 'id-wacore1' });
    await settle();
    const wacore1 = monitor.snapshot.kind === 'ready' ? monitor.snapshot.nodes.find((n) => n.service === 'wacore1') : undefined;
    assert.deepEqual([wacore1?.state, wacore1?.status], ['restarting', 'Restarting (1) Less than a second ago']);
  });

  it('polls as a backstop for what the event stream missed', async () => {
    monitor.startWatching();
    await settle();
    engine.projects.set('biz', [node('master1'), node('wacore1', 'exited')]);
    mock.timers.tick(29_999);
    await settle();
    assert.equal(monitor.snapshot.kind === 'ready' && monitor.snapshot.nodes[1].state, 'running');
    mock.timers.tick(1);
    await settle();
    assert.equal(monitor.snapshot.kind === 'ready' && monitor.snapshot.nodes[1].state, 'exited');
  });

  it('after the stream ends (engine restarted), reopens it from just after the last event and refreshes', async () => {
    monitor.startWatching();
    await settle();
    assert.equal(stream.opens.length, 1);
    assert.equal(stream.last.since, undefined);
    stream.last.emit(event('biz', 'start', '1700000000123456789'));
    stream.last.end(new Error('socket hang up'));
    stream.failNextOpens = 1; // the engine is still coming up at the first retry
    engine.failWith = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    mock.timers.tick(300);
    await settle();
    assert.equal(monitor.snapshot.kind, 'dockerUnreachable', 'the lost stream is shown at once, not at the next poll');
    mock.timers.tick(1_000); // first retry: refused
    await settle();
    assert.equal(stream.opens.length, 1);
    engine.failWith = undefined;
    const calls = engine.calls.length;
    mock.timers.tick(1_000); // second retry: open again (and the second-by-second re-read while it was away)
    await settle();
    assert.equal(stream.opens.length, 2);
    assert.equal(stream.last.since, '1700000000.123456790', 'resumes after the last event, none missed or repeated');
    assert.ok(engine.calls.length > calls, 'reads once the stream is back');
    assert.equal(monitor.snapshot.kind, 'ready');
  });

  it('an engine shutting down still lists at the loss: it re-reads while the stream is away, so the tree shows the engine gone, and stops once it is back', async () => {
    const kind = () => monitor.snapshot.kind; // read anew each time (asserts narrow a property read)
    monitor.startWatching();
    await settle();
    stream.last.end(new Error('socket hang up'));
    stream.failNextOpens = 3;
    mock.timers.tick(300); // the read at the loss: the engine still answers
    await settle();
    assert.equal(kind(), 'ready');
    engine.failWith = Object.assign(new Error('connect ENOENT'), { code: 'ENOENT' }); // now it is down
    mock.timers.tick(1_000);
    await settle();
    assert.equal(kind(), 'dockerUnreachable', 'shown within a second, without an event or the 30 s poll');
    engine.failWith = undefined;
    const advance = async (ms: number) => { for (let t = 0; t < ms; t += 100) { mock.timers.tick(100); await settle(); } };
    await advance(3_300); // the hub's retries: refused three times, then open, then the refresh after the return
    assert.equal(stream.opens.length, 2, 'the stream is open again');
    assert.equal(kind(), 'ready');
    const calls = engine.calls.length;
    await advance(10_000);
    assert.equal(engine.calls.length, calls, 'no re-reads once the stream is back (only the 30 s backstop)');
  });

  it('a refresh asked for during a read gets a read of its own after it, unless that read found the engine gone', async () => {
    monitor.startWatching(); // its first read is under way
    const calls = engine.calls.length;
    await Promise.all([monitor.refresh(), monitor.refresh()]);
    assert.equal(engine.calls.length, calls + 1, 'both callers share one more read');
    engine.failWith = Object.assign(new Error('no answer within 5 s'), { code: 'ETIMEDOUT' });
    void monitor.refresh();
    const during = engine.calls.length;
    const answer = await monitor.refresh();
    assert.equal(answer.kind, 'dockerUnreachable');
    assert.equal(engine.calls.length, during, 'the failed read is the answer: no second wait');
  });

  it('follows a project change, drops answers for the old project, and stops on none', async () => {
    engine.projects.set('biz2', [node('db')]);
    monitor.startWatching();
    monitor.setProject('biz2'); // while the first read of "biz" is in flight
    await settle();
    assert.equal(seen[0].kind, 'loading');
    assert.deepEqual([...new Set(seen.slice(1).map((s) => s.kind === 'ready' && s.project))], ['biz2'], 'the answer for "biz" is never shown');
    assert.deepEqual(monitor.snapshot.kind === 'ready' && [monitor.snapshot.project, monitor.snapshot.nodes.map((n) => n.service)], ['biz2', ['db']]);
    const calls = engine.calls.length;
    stream.last.emit(event('biz', 'die', '5'));
    mock.timers.tick(1_000);
    await settle();
    assert.equal(engine.calls.length, calls, 'events of the old project cause no refresh');
    stream.last.emit(event('biz2', 'die', '6'));
    mock.timers.tick(300);
    await settle();
    assert.equal(engine.calls.length, calls + 1);
    monitor.setProject(undefined);
    assert.equal(monitor.snapshot.kind, 'noClusterFolder');
    assert.equal((await monitor.refresh()).kind, 'noClusterFolder');
  });

  it('shares one event stream between the monitor and other subscribers, and closes it with the last one', async () => {
    monitor.startWatching();
    const tail = engine.events.subscribe({});
    await settle();
    assert.equal(stream.opens.length, 1);
    monitor.stopWatching();
    assert.equal(stream.last.stopped, false, 'still in use by the tail');
    tail.dispose();
    assert.equal(stream.last.stopped, true);
  });
});
