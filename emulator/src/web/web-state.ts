// What every route handler of the Webapp may use.
import type { NodeConfig } from '../config';
import { readSchemaVersion } from '../db/schema';
import type { Sql } from '../db/sql';
import { ApiError, ErrorCode } from '../logic/envelope';
import { schemaVersionFor } from '../logic/version';
import type { SlidingWindowLimit } from './rate-limit';
import type { WebhookSender } from './webhook-sender';

export interface WebState {
  cfg: NodeConfig;
  sql: Sql;
  jwtKey: string;
  startedMs: number;
  /** The database schema is new enough for this Webapp's version. */
  schemaReady: boolean;
  /** "<METHOD>_<path with _> <success|failure>" -> requests and their total duration. */
  requestCounts: Map<string, { count: number; durationMs: number }>;
  /** Opt-in limits (rate-limit.ts): /v1/health for everyone, failed logins per client address. */
  limits: { health?: SlidingWindowLimit; failedLogins?: SlidingWindowLimit };
  webhooks: WebhookSender;
}

/**
 * Refuses work (1011) while the database schema is older than this Webapp's version. The periodic
 * check may lag right after the DB upgrade job, so a "not ready" answer is re-checked first.
 */
export async function requireCurrentSchema(state: WebState): Promise<void> {
  if (state.schemaReady) return;
  const version = await readSchemaVersion(state.sql);
  state.schemaReady = version !== null && version >= schemaVersionFor(state.cfg.version);
  if (!state.schemaReady) throw new ApiError(ErrorCode.ServiceNotReady, 'The database schema needs the DB upgrade job for this version');
}
