// The fencing timing rules (emulator/src/logic/fencing.ts): a holder that cannot renew stops
// acting before anyone can take over, for clocks within the stated bound, and not beyond it.
// Handovers are replayed in real time with the runtime's own functions (HeldClaim, decideLease,
// claimLapsed), each party reading its own simulated clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decideLease, type LeaseRow } from '../../src/logic/election';
import { claimLapsed } from '../../src/logic/failover';
import {
  CLOCK_BOUND, GAP_MS, HeldClaim, marginMs, masterLeaseTiming, nodeClaimTiming, worstCaseGapMs, type ClockBound, type LeaseTiming,
} from '../../src/logic/fencing';

const HOUR = 3_600_000;

/** A clock as a function of real time: offset + rate, and optionally one forward step. */
interface ClockModel {
  offsetMs: number;
  rate: number;
  stepAtMs?: number;
  stepMs?: number;
}

const read = (c: ClockModel, t: number) => c.offsetMs + c.rate * t + (c.stepAtMs !== undefined && t >= c.stepAtMs ? (c.stepMs ?? 0) : 0);

/** First real time in [from, to] at which pred holds (pred is monotone: false, then true). */
function firstTrue(from: number, to: number, pred: (t: number) => boolean): number {
  assert.ok(pred(to), 'predicate never became true');
  let lo = from;
  let hi = to;
  while (hi - lo > 0.01) {
    const mid = (lo + hi) / 2;
    if (pred(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

interface Handover {
  /** Real time the holder stopped acting. */
  stopMs: number;
  /** Real time a taker could first act. */
  takeMs: number;
}

/**
 * The holder notes its clock at real time 0 and renews; the database stamps the renewal
 * `delayMs` later. Then nothing gets through any more. Returns when each side acts.
 */
function replay(kind: 'master' | 'node', timing: LeaseTiming, holder: ClockModel, db: ClockModel, delayMs: number): Handover {
  let now = 0;
  const claim = new HeldClaim(() => read(holder, now));
  const sent = read(holder, 0);
  const stamp = read(db, delayMs);
  claim.renewed(sent, timing.stopAfterMs);
  const horizon = 10 * timing.spanMs + HOUR;
  const stopMs = firstTrue(0, horizon, (t) => {
    now = t;
    return !claim.held();
  });
  const lease: LeaseRow = { holder: 'master1:a', expiresMs: stamp + timing.spanMs, epoch: 7 };
  const row = { seenMs: stamp, expiresMs: stamp + timing.spanMs };
  const takeMs = firstTrue(delayMs, horizon, (t) => (kind === 'master'
    ? decideLease(lease, 'master2:b', read(db, t), timing.spanMs).kind === 'acquire'
    : claimLapsed(row, read(db, t))));
  return { stopMs, takeMs };
}

const timingsUnderTest: [string, 'master' | 'node', LeaseTiming][] = [
  ...[1, 2, 5, 10, 30, 60].map((hb): [string, 'master', LeaseTiming] => [`master lease, heartbeat_interval ${hb} s`, 'master', masterLeaseTiming(hb * 1000)]),
  ...[1, 3, 4, 30, 120, 600].map((u): [string, 'node', LeaseTiming] => [`coreapp claim, unhealthy_interval ${u} s`, 'node', nodeClaimTiming(u * 1000)]),
];

/** Every combination of extreme clocks within the bound. */
function clocksWithin(bound: ClockBound, spanMs: number): { holder: ClockModel; db: ClockModel; delayMs: number }[] {
  const out = [];
  for (const holderRate of [1 - bound.drift, 1, 1 + bound.drift]) {
    for (const dbRate of [1 - bound.drift, 1, 1 + bound.drift]) {
      for (const [holderOffset, dbOffset] of [[0, 0], [HOUR, -HOUR], [-HOUR, HOUR], [-37_000, 0]]) {
        for (const delayMs of [0, 1500]) {
          for (const stepAtMs of [undefined, delayMs + 1, delayMs + spanMs / 2]) {
            out.push({
              holder: { offsetMs: holderOffset, rate: holderRate },
              db: { offsetMs: dbOffset, rate: dbRate, stepAtMs, stepMs: bound.dbStepMs },
              delayMs,
            });
          }
        }
      }
    }
  }
  return out;
}

test('the stated bound: margins are positive and leave at least GAP_MS between holder and taker', () => {
  assert.ok(CLOCK_BOUND.drift > 0 && CLOCK_BOUND.dbStepMs > 0 && GAP_MS > 0);
  for (const [name, , timing] of timingsUnderTest) {
    const gap = worstCaseGapMs(timing);
    assert.ok(gap >= GAP_MS, `${name}: worst-case gap ${gap.toFixed(1)} ms < ${GAP_MS} ms`);
  }
});

for (const [name, kind, timing] of timingsUnderTest) {
  test(`${name}: the cut-off holder stops before a taker can act, for every clock within the bound`, () => {
    let closest = Infinity;
    for (const c of clocksWithin(CLOCK_BOUND, timing.spanMs)) {
      const { stopMs, takeMs } = replay(kind, timing, c.holder, c.db, c.delayMs);
      closest = Math.min(closest, takeMs - stopMs);
      assert.ok(takeMs - stopMs >= GAP_MS - 0.05, `${JSON.stringify(c)}: holder stops at ${stopMs.toFixed(1)}, taker acts at ${takeMs.toFixed(1)}`);
    }
    // The grid holds the proof's worst case (slow holder, fast database stepping right after the
    // renewal) and nothing worse: the replay and the formula agree.
    assert.ok(Math.abs(closest - worstCaseGapMs(timing)) < 1, `closest ${closest} vs worst case ${worstCaseGapMs(timing)}`);
  });
}

test('clocks beyond the bound can break the order (so the bound is what the rule rests on)', () => {
  const timing = masterLeaseTiming(1000);
  const fastDb: ClockModel = { offsetMs: 0, rate: 1 + 4 * CLOCK_BOUND.drift, stepAtMs: 1, stepMs: 4 * CLOCK_BOUND.dbStepMs };
  const slowHolder: ClockModel = { offsetMs: 0, rate: 1 - 4 * CLOCK_BOUND.drift };
  const r = replay('master', timing, slowHolder, fastDb, 0);
  assert.ok(r.takeMs < r.stopMs, `expected an overlap: stop ${r.stopMs}, take ${r.takeMs}`);
  const node = nodeClaimTiming(3000);
  const n = replay('node', node, slowHolder, { offsetMs: 0, rate: 1, stepAtMs: 1, stepMs: marginMs(3000) + 500 }, 0);
  assert.ok(n.takeMs < n.stopMs, `expected an overlap: stop ${n.stopMs}, take ${n.takeMs}`);
});

test('a healthy holder renewing every renewEvery never lapses while the database answers within the slack', () => {
  for (const timing of [masterLeaseTiming(1000), masterLeaseTiming(5000), nodeClaimTiming(3000), nodeClaimTiming(30_000)]) {
    const slackMs = timing.stopAfterMs - timing.renewEveryMs;
    assert.ok(slackMs >= 2000, `renewals need ${slackMs} ms of slack`);
    let now = 0;
    const claim = new HeldClaim(() => now);
    // Renewals are sent every renewEvery and each takes almost the whole slack to come back.
    const pending: { sentMs: number; doneMs: number }[] = [];
    for (let s = 0; s <= 20 * timing.renewEveryMs; s += timing.renewEveryMs) pending.push({ sentMs: s, doneMs: s + slackMs - 1 });
    for (now = 0; now <= 20 * timing.renewEveryMs; now += 10) {
      for (const p of pending.filter((x) => x.doneMs <= now)) claim.renewed(p.sentMs, timing.stopAfterMs);
      pending.splice(0, pending.length, ...pending.filter((x) => x.doneMs > now));
      if (now >= slackMs) assert.ok(claim.held(), `lapsed at ${now} ms`);
    }
  }
});

test('renewal vs expiry vs takeover, step by step on the database clock', () => {
  const timing = masterLeaseTiming(1000);
  let local = 50_000; // master1's monotonic clock: unrelated to the database clock
  const held = new HeldClaim(() => local);
  let row: LeaseRow = { holder: null, expiresMs: 0, epoch: 0 };
  const write = (holder: string, expiresMs: number) => { row = { holder, expiresMs, epoch: row.epoch + 1 }; };

  // master1 acquires at database time 1000; master2 must wait.
  let d = decideLease(row, 'master1:a', 1000, timing.spanMs);
  assert.deepEqual(d, { kind: 'acquire', expiresMs: 1000 + timing.spanMs });
  write('master1:a', d.expiresMs);
  held.renewed(local, timing.stopAfterMs);
  assert.deepEqual(decideLease(row, 'master2:b', 1500, timing.spanMs), { kind: 'wait', holder: 'master1:a' });

  // A renewal one second later moves the expiry; master2 still waits past the first expiry.
  local += 1000;
  d = decideLease(row, 'master1:a', 2000, timing.spanMs);
  assert.deepEqual(d, { kind: 'renew', expiresMs: 2000 + timing.spanMs });
  write('master1:a', d.expiresMs);
  held.renewed(local, timing.stopAfterMs);
  assert.equal(decideLease(row, 'master2:b', 1000 + timing.spanMs + 1, timing.spanMs).kind, 'wait');

  // master1 is cut off: its renewals fail. It stops stopAfter after its last renewal was sent...
  const lastSent = local;
  local = lastSent + timing.stopAfterMs - 1;
  assert.ok(held.held());
  local = lastSent + timing.stopAfterMs;
  assert.ok(!held.held());
  // ...which is before the lease expires in the database, when master2 may take it.
  assert.ok(timing.stopAfterMs < timing.spanMs);
  assert.equal(decideLease(row, 'master2:b', 2000 + timing.spanMs, timing.spanMs).kind, 'wait');
  d = decideLease(row, 'master2:b', 2000 + timing.spanMs + 1, timing.spanMs);
  assert.equal(d.kind, 'acquire');
  write('master2:b', d.expiresMs);

  // A renewal of master1 sent before the cut and answered after it heals extends nothing beyond
  // what the database guaranteed for it.
  local = lastSent + 60_000;
  held.renewed(lastSent, timing.stopAfterMs);
  assert.ok(!held.held());
  // Back on the network, master1 finds master2's live lease and stays secondary.
  assert.deepEqual(decideLease(row, 'master1:a', 2000 + timing.spanMs + 500, timing.spanMs), { kind: 'wait', holder: 'master2:b' });
});

test('a coreapp claim carries its own span: lowering unhealthy_interval never shortens a claim already written', () => {
  const before = nodeClaimTiming(30_000);
  const row = { seenMs: 100_000, expiresMs: 100_000 + before.spanMs };
  // The settings now say 3 s, but the cut-off coreapp wrote (and serves by) 30 s.
  assert.ok(!claimLapsed(row, 100_000 + 3000 + marginMs(3000) + 1));
  assert.ok(!claimLapsed(row, row.expiresMs + marginMs(before.spanMs)));
  assert.ok(claimLapsed(row, row.expiresMs + marginMs(before.spanMs) + 1));
});

test('the holder follows its latest renewal, as the database row does: a shorter span takes effect at once', () => {
  let now = 0;
  const claim = new HeldClaim(() => now);
  claim.renewed(0, nodeClaimTiming(30_000).stopAfterMs); // unhealthy_interval was 30 s
  now = 1000;
  claim.renewed(1000, nodeClaimTiming(3000).stopAfterMs); // then lowered to 3 s: the row now says seen + 3 s
  now = 4000;
  assert.ok(!claim.held(), 'serving on by the older 30 s renewal would outlast what the primary master waits for');
  const row = { seenMs: 1000, expiresMs: 4000 };
  assert.ok(claimLapsed(row, 4000 + marginMs(3000) + 1));
});

test('spans: the master lease is at least 4 s, a claim at least 3 s, and both follow the settings above that', () => {
  assert.equal(masterLeaseTiming(1000).spanMs, 4000);
  assert.equal(masterLeaseTiming(5000).spanMs, 15_000);
  assert.equal(nodeClaimTiming(1000).spanMs, 3000);
  assert.equal(nodeClaimTiming(30_000).spanMs, 30_000);
  assert.equal(nodeClaimTiming(30_000).stopAfterMs, 30_000, 'a coreapp serves for the whole unhealthy_interval');
  assert.equal(masterLeaseTiming(5000).takerWaitMs, 0, 'any master may take an expired lease');
  assert.equal(nodeClaimTiming(3000).takerWaitMs, marginMs(3000), 'the primary master waits unhealthy_interval plus the margin');
});
