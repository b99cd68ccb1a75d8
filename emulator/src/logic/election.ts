// Master lease election. Times are milliseconds of the database clock, so that
// containers with skewed clocks still agree on who holds the lease.

export interface LeaseRow {
  holder: string | null;
  expiresMs: number;
  epoch: number;
}

export type MasterRole = 'primary_master' | 'secondary_master';

export type LeaseDecision =
  | { kind: 'renew' | 'acquire'; expiresMs: number }
  | { kind: 'wait'; holder: string };

export function liveHolder(row: LeaseRow | null, nowMs: number): string | null {
  if (!row || !row.holder || row.expiresMs <= nowMs) return null;
  return row.holder;
}

export function decideLease(row: LeaseRow | null, me: string, nowMs: number, ttlMs: number): LeaseDecision {
  const holder = liveHolder(row, nowMs);
  if (holder === me) return { kind: 'renew', expiresMs: nowMs + ttlMs };
  if (holder === null) return { kind: 'acquire', expiresMs: nowMs + ttlMs };
  return { kind: 'wait', holder };
}

export function roleFromLease(row: LeaseRow | null, me: string, nowMs: number): MasterRole {
  return liveHolder(row, nowMs) === me ? 'primary_master' : 'secondary_master';
}

/** Three heartbeats: a primary that misses two renewals in a row still keeps the lease. */
export function leaseTtlMs(heartbeatIntervalSec: number): number {
  return Math.max(3000, 3 * heartbeatIntervalSec * 1000);
}
