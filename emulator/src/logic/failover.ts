// The primary master's view of a coreapp: may it keep its shard, may it be given one.
// Keeping a shard follows the node's claim in the database (fencing.ts): the coreapp stops serving
// when it cannot renew it, so only a lapsed claim lets the master move the shard. Being given a
// shard also needs a recent answer to the master's heartbeat (the Webapp must reach it too).
import { mayTakeOver, nodeClaimTakerWaitMs } from './fencing';

export interface ClaimRow {
  /** Database time of the node's last renewal. */
  seenMs: number;
  /** Database time until which the node may serve (seen + its span). */
  expiresMs: number;
}

/** The node has certainly stopped serving: its shards and its COREAPP_HOSTNAME may be taken over. */
export function claimLapsed(row: ClaimRow, dbNowMs: number): boolean {
  return mayTakeOver(row.expiresMs, dbNowMs, nodeClaimTakerWaitMs(row.seenMs, row.expiresMs));
}

/** Renewed within its span: fit to be given a shard. */
export function claimFresh(row: ClaimRow, dbNowMs: number): boolean {
  return dbNowMs <= row.expiresMs;
}

/** Answered this master's heartbeat within the last two heartbeat intervals (monotonic ms). */
export function answering(lastOkMs: number | undefined, nowMs: number, heartbeatMs: number): boolean {
  return lastOkMs !== undefined && nowMs - lastOkMs <= 2 * heartbeatMs;
}
