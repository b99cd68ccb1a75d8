// Multiconnect shard counts (waba-api.md; Meta's Postman collection "Set Shards").

export const SHARD_COUNTS = [1, 2, 4, 8, 16, 32] as const;
export type ShardCount = (typeof SHARD_COUNTS)[number];

export function isShardCount(n: unknown): n is ShardCount {
  return (SHARD_COUNTS as readonly unknown[]).includes(n);
}

/** Meta's maximum: 32 shards, served by 32 coreapps plus a standby. */
export const MAX_COREAPPS = SHARD_COUNTS[SHARD_COUNTS.length - 1] + 1;
