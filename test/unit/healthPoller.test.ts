// The health poller with a fake clock and fake sources of /v1/health: the interval, swapping the
// source, and backing off on Meta's rate limit (1015 / HTTP 429) instead of flashing errors.
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { WabaApiError } from '../../src/api/wabaError';
import { HealthPoller, type HealthState } from '../../src/cluster/healthPoller';
import type { HealthBody } from '../../src/contract';
import { FakeClock, settle } from './fakes/fakeClock';

const body = (version: string, status: 'connected' | 'uninitialized' = 'connected'): HealthBody => ({
  health: { 'master1:aaa': { role: 'primary_master', gateway_status: status }, 'wacore1:bbb': { role: 'coreapp', gateway_status: status } },
  meta: { version, api_status: 'stable' },
});
const rateLimited = (retryAfter?: string) => new WabaApiError(429, [{ code: 1015, title: 'Too many requests' }], '/v1/health', retryAfter);

/** A source of /v1/health whose answers the test scripts; records when it was called. */
class ScriptedSource {
  readonly calls: number[] = [];
  next: Array<() => Promise<HealthBody>> = [];
  constructor(private readonly clock: FakeClock, private readonly otherwise: () => Promise<HealthBody>) {}
  readonly fetch = (): Promise<HealthBody> => {
    this.calls.push(this.clock.now());
    return (this.next.shift() ?? this.otherwise)();
  };
}

describe('HealthPoller', () => {
  let clock: FakeClock;
  let poller: HealthPoller;
  let seen: HealthState[];

  beforeEach(() => {
    clock = new FakeClock();
    poller = new HealthPoller({ intervalMs: 5_000, maxBackoffMs: 60_000, timers: clock });
    seen = [];
    poller.onDidChange((s) => seen.push(s));
  });

  it('polls at once, then every interval, and publishes what health says', async () => {
    const source = new ScriptedSource(clock, async () => body('v2.53.1'));
    const first = await poller.start(source.fetch);
    assert.equal(first.kind, 'ok');
    assert.equal(first.kind === 'ok' && first.version, 'v2.53.1');
    await clock.advance(15_000);
    assert.deepEqual(source.calls, [0, 5_000, 10_000, 15_000]);
    poller.stop();
    await clock.advance(20_000);
    assert.equal(source.calls.length, 4, 'no poll after stop');
    assert.deepEqual(poller.state, { kind: 'signedOut' });
  });

  it('swapping the source polls the new one at once and ignores the old one\'s late answer', async () => {
    let answerOld!: (b: HealthBody) => void;
    const old = new ScriptedSource(clock, () => new Promise<HealthBody>((r) => { answerOld = r; }));
    void poller.start(old.fetch);
    const fresh = new ScriptedSource(clock, async () => body('v2.53.1'));
    const state = await poller.start(fresh.fetch);
    assert.equal(fresh.calls.length, 1, 'the new source is polled at once, not after the old request');
    assert.equal(state.kind === 'ok' && state.version, 'v2.53.1');
    answerOld(body('v2.51.2'));
    await settle();
    assert.equal(poller.state.kind === 'ok' && poller.state.version, 'v2.53.1', 'the old source\'s answer is dropped');
    await clock.advance(5_000);
    assert.equal(old.calls.length, 1, 'the old source is never polled again');
    assert.equal(fresh.calls.length, 2);
  });

  it('backs off on 1015/429: keeps the last health marked, doubles the wait up to the limit, sends nothing meanwhile, then recovers', async () => {
    const source = new ScriptedSource(clock, async () => { throw rateLimited(); });
    source.next.push(async () => body('v2.53.1'));
    await poller.start(source.fetch);
    await clock.advance(5_000); // the first refusal
    const marked = poller.state;
    assert.equal(marked.kind, 'ok', 'the last health stays on screen instead of an error');
    assert.ok(marked.kind === 'ok' && marked.backoff, 'and is marked as waiting');
    assert.match(marked.kind === 'ok' ? marked.backoff!.message : '', /rate-limits \/v1\/health \(1015 Too many requests\): next poll in 10 s/);
    assert.equal(seen.filter((s) => s.kind === 'failed').length, 0, 'no error was published');

    // A manual poll while waiting sends nothing.
    await poller.poll();
    assert.equal(source.calls.length, 2);

    // Refused again and again: waits of 10, 20, 40, 60, 60 s.
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      waits.push(clock.nextInMs!);
      await clock.advance(clock.nextInMs!);
    }
    assert.deepEqual(waits, [10_000, 20_000, 40_000, 60_000, 60_000]);

    // The limit lifts: each success halves the wait back towards the 5 s interval.
    source.next.push(...Array.from({ length: 6 }, () => async () => body('v2.53.1')));
    const after: number[] = [];
    for (let i = 0; i < 5; i++) {
      await clock.advance(clock.nextInMs!);
      after.push(clock.nextInMs!);
    }
    assert.deepEqual(after, [30_000, 15_000, 7_500, 5_000, 5_000]);
    assert.equal(poller.state.kind === 'ok' && poller.state.backoff, undefined, 'the mark is gone once health answers');
  });

  it('waits as long as Retry-After asks when that is longer', async () => {
    const source = new ScriptedSource(clock, async () => body('v2.53.1'));
    source.next.push(async () => { throw rateLimited('45'); });
    await poller.start(source.fetch);
    const state = poller.state;
    assert.equal(state.kind, 'failed', 'rate-limited before any health: a waiting state, not the last health');
    assert.ok(state.kind === 'failed' && state.backoff);
    assert.equal(clock.nextInMs, 45_000);
  });

  it('reports other failures as failures and keeps its interval', async () => {
    const source = new ScriptedSource(clock, async () => body('v2.53.1'));
    source.next.push(async () => { throw new Error('connect ECONNREFUSED 127.0.0.1:9090'); });
    const state = await poller.start(source.fetch);
    assert.equal(state.kind, 'failed');
    assert.equal(state.kind === 'failed' && state.backoff, undefined);
    assert.equal(clock.nextInMs, 5_000);
    await clock.advance(5_000);
    assert.equal(poller.state.kind, 'ok');
  });

  it('says why it stopped', () => {
    poller.stop('The stored password of admin no longer works');
    assert.deepEqual(poller.state, { kind: 'signedOut', reason: 'The stored password of admin no longer works' });
  });
});
