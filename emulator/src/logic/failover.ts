// Heartbeat bookkeeping of the primary master: which coreapps answer, which are late,
// which have missed heartbeats for unhealthy_interval and must lose their shard.

export type Liveness = 'answering' | 'late' | 'unhealthy';

export interface HeartbeatRecord {
  /** Last time the node answered a heartbeat (undefined: never answered this master). */
  lastOkMs?: number;
  /** When this master started watching the node; the grace period counts from here. */
  watchedSinceMs: number;
}

export function liveness(rec: HeartbeatRecord, nowMs: number, heartbeatMs: number, unhealthyMs: number): Liveness {
  if (rec.lastOkMs !== undefined && nowMs - rec.lastOkMs <= 2 * heartbeatMs) return 'answering';
  const reference = rec.lastOkMs ?? rec.watchedSinceMs;
  return nowMs - reference > unhealthyMs ? 'unhealthy' : 'late';
}
