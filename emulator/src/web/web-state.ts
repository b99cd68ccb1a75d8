import type { NodeConfig } from '../config';
import type { Sql } from '../db/sql';

/** What every route handler may use. */
export interface WebState {
  cfg: NodeConfig;
  sql: Sql;
  jwtKey: string;
  startedMs: number;
  /** The database schema is new enough for this Webapp's version. */
  schemaReady: boolean;
  requestCounts: Map<string, { count: number; durationMs: number }>;
}
