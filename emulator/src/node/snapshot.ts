// What a master/coreapp knows about the cluster, re-read from the database every second.
import { readRegistration, readSettings, type Registration } from '../db/account-store';
import { readLease, readShardMap } from '../db/cluster-store';
import { readSchemaVersion } from '../db/schema';
import type { Sql } from '../db/sql';
import { liveHolder, type LeaseRow } from '../logic/election';
import type { Settings } from '../logic/settings';
import type { ShardMap } from '../logic/shards';

export interface ClusterSnapshot {
  nowMs: number;
  dbSchema: number | null;
  registration: Registration;
  settings: Settings;
  shardMap: ShardMap;
  lease: LeaseRow | null;
  primaryMaster: string | null;
}

export async function readSnapshot(sql: Sql): Promise<ClusterSnapshot> {
  const nowMs = await sql.nowMs();
  const [dbSchema, registration, settings, shardMap, lease] = await Promise.all([
    readSchemaVersion(sql), readRegistration(sql), readSettings(sql), readShardMap(sql), readLease(sql),
  ]);
  return { nowMs, dbSchema, registration, settings, shardMap, lease, primaryMaster: liveHolder(lease, nowMs) };
}
