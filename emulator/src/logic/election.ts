// Master lease election. Expiry times are milliseconds of the database clock, so every master
// and the Webapp judge the lease by one clock; how long the holder may act after a renewal is
// measured on its own monotonic clock (fencing.ts).
import { mayTakeOver } from './fencing';

export interface LeaseRow {
  holder: string | null;
  expiresMs: number;
  epoch: number;
}

export type MasterRole = 'primary_master' | 'secondary_master';

export type LeaseDecision =
  | { kind: 'renew' | 'acquire'; expiresMs: number }
  | { kind: 'wait'; holder: string };

/** The master the database says holds the lease (null: nobody, or it expired). */
export function liveHolder(row: LeaseRow | null, nowMs: number): string | null {
  if (!row || !row.holder || mayTakeOver(row.expiresMs, nowMs, 0)) return null;
  return row.holder;
}

export function decideLease(row: LeaseRow | null, me: string, nowMs: number, spanMs: number): LeaseDecision {
  const holder = liveHolder(row, nowMs);
  if (holder === me) return { kind: 'renew', expiresMs: nowMs + spanMs };
  if (holder === null) return { kind: 'acquire', expiresMs: nowMs + spanMs };
  return { kind: 'wait', holder };
}
