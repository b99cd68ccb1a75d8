// Fencing: time-limited claims kept in the database, and the timing rule that keeps a cut-off
// holder from acting at the same time as whoever takes over from it. Two claims use it:
//   * the master lease (master_lease): who is primary_master;
//   * each node's claim (nodes.expires_ms): its COREAPP_HOSTNAME and, for a coreapp, its shards.
//
// One protocol for both:
//   holder  notes its own monotonic time s, then writes expires = D + span, D being the database
//           clock when the write executes (never earlier than s). It acts (is primary / serves its
//           shards) only while its monotonic clock reads < s + stopAfter.
//   taker   (another master; the primary master reassigning a shard or a COREAPP_HOSTNAME) acts only
//           once the database clock reads > expires + takerWait.
//
// INVARIANT: the holder stops acting at least GAP of real time before any taker can act.
//
// BOUND (what is assumed of the clocks): the database clock (NOW() / clock_timestamp()) and every
// container's monotonic clock run within ρ = DRIFT of real time, and the database clock steps
// forward by at most J = DB_STEP_MS within one span. Offsets between the clocks (skew, any size)
// play no role: no node ever compares a time it read on its own clock with a time written by
// another; a holder measures elapsed time on its own clock, a taker compares two database times.
//
// PROOF. The holder stops at real time <= s + stopAfter/(1 − ρ). For a taker to act, the database
// clock must advance from D (read at real time >= s) by more than span + takerWait, of which a step
// covers at most J; that takes real time >= (span + takerWait − J)/(1 + ρ). So the invariant holds iff
//     gap = (span + takerWait − J)/(1 + ρ) − stopAfter/(1 − ρ) >= GAP,
// and margin(span) = ⌈(2ρ·span + J + GAP)/(1 − ρ)⌉ satisfies it whether the margin is taken off the
// holder (stopAfter = span − margin, takerWait = 0: the master lease, so that any master may take an
// expired lease) or added for the taker (stopAfter = span, takerWait = margin: a node's claim, so that
// a coreapp serves for the whole unhealthy_interval and the primary master waits unhealthy_interval
// plus the margin). worstCaseGapMs() computes the left side; the unit tests check it over the whole
// range of settings and replay handovers with skewed, drifting and stepping clocks.

export interface ClockBound {
  /** Largest rate error of any clock involved, as a fraction (0.01 = 1 % = 10 000 ppm). */
  drift: number;
  /** Largest forward step of the database clock within one span, ms. */
  dbStepMs: number;
}

/**
 * ρ = 1 %: twenty times the 500 ppm an NTP daemon may slew a clock, far beyond any quartz error.
 * J = 250 ms: a forward NTP step of the database host's clock (steps are normally avoided by slewing).
 */
export const CLOCK_BOUND: ClockBound = { drift: 0.01, dbStepMs: 250 };

/**
 * Real time between the holder stopping and a taker starting, at the least: a /v1/health sample
 * (the Webapp asks every node at once) that straddles the handover still shows one holder.
 */
export const GAP_MS = 250;

export interface LeaseTiming {
  /** expires = database time of the write + span. */
  spanMs: number;
  /** The holder acts until its monotonic time of sending + stopAfter. */
  stopAfterMs: number;
  /** A taker acts once the database clock is past expires + takerWait. */
  takerWaitMs: number;
  /** The holder renews this often. */
  renewEveryMs: number;
}

export function marginMs(spanMs: number, bound: ClockBound = CLOCK_BOUND): number {
  return Math.ceil((2 * bound.drift * spanMs + bound.dbStepMs + GAP_MS) / (1 - bound.drift));
}

/** The least real time from the holder stopping to a taker starting, for clocks within the bound. */
export function worstCaseGapMs(t: LeaseTiming, bound: ClockBound = CLOCK_BOUND): number {
  return (t.spanMs + t.takerWaitMs - bound.dbStepMs) / (1 + bound.drift) - t.stopAfterMs / (1 - bound.drift);
}

/** Masters renew (and secondaries look for an expired lease) once a second. */
export const ELECTION_MS = 1000;
/** Nodes renew their claim, and re-read the shard map, once a second. */
export const CLAIM_RENEW_MS = 1000;

/**
 * Master lease: three heartbeat intervals, at least 4 s, so that a primary survives two missed
 * renewals plus a slow database; the margin is taken off the holder, so any master may take the
 * lease as soon as the database says it expired.
 */
export function masterLeaseTiming(heartbeatMs: number, bound: ClockBound = CLOCK_BOUND): LeaseTiming {
  const spanMs = Math.max(4000, 3 * heartbeatMs);
  return { spanMs, stopAfterMs: spanMs - marginMs(spanMs, bound), takerWaitMs: 0, renewEveryMs: ELECTION_MS };
}

/**
 * A node's claim: a coreapp serves its shards for unhealthy_interval after its last database
 * heartbeat; the primary master reassigns them only after unhealthy_interval plus the margin.
 * Below three renewals per interval a healthy node would flap, so the span is at least 3 s.
 */
export function nodeClaimTiming(unhealthyMs: number, bound: ClockBound = CLOCK_BOUND): LeaseTiming {
  const spanMs = Math.max(3 * CLAIM_RENEW_MS, unhealthyMs);
  return { spanMs, stopAfterMs: spanMs, takerWaitMs: marginMs(spanMs, bound), renewEveryMs: CLAIM_RENEW_MS };
}

/** The taker side of a node's claim: its span travels with it (expires − seen), whatever the settings say now. */
export function nodeClaimTakerWaitMs(seenMs: number, expiresMs: number, bound: ClockBound = CLOCK_BOUND): number {
  return marginMs(Math.max(0, expiresMs - seenMs), bound);
}

/** Taker side: the database clock says the holder has stopped. */
export function mayTakeOver(expiresMs: number, dbNowMs: number, takerWaitMs: number): boolean {
  return dbNowMs > expiresMs + takerWaitMs;
}

/**
 * Holder side: the claim as this process sees it on its own monotonic clock. renewed() is called
 * with the time noted *before* the renewal was sent, so a renewal that took long (or was stuck in
 * a partition and went through after it healed) never extends the claim beyond what the database
 * guarantees. The latest renewal replaces the earlier ones, as its row does in the database: a
 * shorter span (settings changed) takes effect at once. Renewals are sent one at a time.
 */
export class HeldClaim {
  private until = -Infinity;

  constructor(private readonly now: () => number) {}

  renewed(sentAtMs: number, stopAfterMs: number): void {
    this.until = sentAtMs + stopAfterMs;
  }

  /** Someone else holds it, or we gave it up. */
  drop(): void {
    this.until = -Infinity;
  }

  held(): boolean {
    return this.now() < this.until;
  }

  /** ms until the holder must stop (<= 0: stopped). */
  remainingMs(): number {
    return this.until - this.now();
  }
}

/** The monotonic clock of this process (never steps, unlike Date.now()). */
export const monotonicMs = (): number => performance.now();
