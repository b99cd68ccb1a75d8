// The Webapp node: HTTPS REST API on 443 with a self-signed certificate kept in the DB.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { NodeConfig } from '../config';
import { createSelfSignedCert, type CertAndKey } from '../crypto/self-signed-cert';
import { readRegistration } from '../db/account-store';
import { sharedSecret } from '../db/auth-store';
import { untilDatabaseAnswers } from '../db/connect';
import { readShardMap } from '../db/cluster-store';
import { initializeIfEmpty, readSchemaVersion } from '../db/schema';
import type { Sql } from '../db/sql';
import { ApiError, ErrorCode } from '../logic/envelope';
import { schemaVersionFor } from '../logic/version';
import { log } from '../log';
import { parseJsonBody, readTextBody } from '../net/json-body';
import { resolveCaller } from './auth';
import { ROUTES, routeKey, type Route, type RouteAccess } from '../../../src/contract';
import { admit, send, sendError, type Handler, type Handlers, type RequestContext } from './http';
import { lighttpdError } from './lighttpd-log';
import { limitFromEnv } from './rate-limit';
import { certificateRoutes } from './routes/certificates';
import { clusterRoutes } from './routes/cluster';
import { EMULATOR_ROUTES, emulatorOnlyRoutes } from './routes/emulator-only';
import { masterOpRoutes } from './routes/master-ops';
import { messageRoutes } from './routes/messages';
import { statsRoutes } from './routes/stats';
import { userRoutes } from './routes/users';
import type { WebState } from './web-state';
import { WebhookSender } from './webhook-sender';

const HTTPS_PORT = Number(process.env.WA_EMULATOR_WEB_PORT ?? 443);
const SCHEMA_CHECK_MS = 2000;

async function tlsIdentity(cfg: NodeConfig, sql: Sql): Promise<CertAndKey> {
  const stored = await sharedSecret(sql, 'webapp_tls', () =>
    JSON.stringify(createSelfSignedCert(cfg.hostname, ['localhost', cfg.hostname], ['127.0.0.1'])));
  return JSON.parse(stored) as CertAndKey;
}

/** Names the shards no coreapp owns (more shards than running coreapps), once per change. */
function shardOwnershipWatch(sql: Sql): () => Promise<void> {
  let last = '';
  return async () => {
    const reg = await readRegistration(sql);
    const map = await readShardMap(sql);
    const unowned = reg.registered ? Array.from({ length: reg.shards }, (_, s) => s).filter((s) => !map.has(s)) : [];
    const now = unowned.join(',');
    if (now === last) return;
    last = now;
    if (unowned.length) log.warn(`shards ${unowned.join(', ')} of ${reg.shards} have no coreapp: messages to their recipients fail with 1014 until ${unowned.length} more coreapp${unowned.length === 1 ? '' : 's'} run (Meta recommends shards + 1 coreapps)`);
    else if (reg.registered) log.info(`every shard of ${reg.shards} has a coreapp`);
  };
}

function context(req: RequestContext['req'], rawBody: string, query: URLSearchParams, caller: RequestContext['caller']): RequestContext {
  let parsed: { value: unknown } | undefined;
  return {
    req, rawBody, query, caller,
    get body() {
      parsed ??= { value: parseJsonBody(rawBody) };
      return parsed.value;
    },
  };
}

type RouteTable = Record<string, Pick<Route<unknown, unknown>, 'method' | 'path' | 'access'>>;

/** "GET /v1/health" -> who may call it and its handler, for every route of the tables. */
function dispatchTable(tables: Array<[RouteTable, Record<string, Handler>]>): Map<string, { access: RouteAccess; handle: Handler }> {
  const out = new Map<string, { access: RouteAccess; handle: Handler }>();
  for (const [table, handlers] of tables) {
    for (const [name, r] of Object.entries(table)) out.set(routeKey(r), { access: r.access, handle: handlers[name] });
  }
  return out;
}

export async function startWebapp(cfg: NodeConfig, sql: Sql): Promise<Server> {
  const limits = { health: limitFromEnv('WA_EMULATOR_HEALTH_RATE_LIMIT'), failedLogins: limitFromEnv('WA_EMULATOR_LOGIN_RATE_LIMIT') };
  const target = schemaVersionFor(cfg.version);
  const dbSchema = await untilDatabaseAnswers('initializing the schema', () => initializeIfEmpty(sql, target));
  const jwtKey = cfg.jwtKey ?? (await untilDatabaseAnswers('reading the token key', () => sharedSecret(sql, 'jwt_key', () => randomBytes(32).toString('hex'))));
  const { certPem, keyPem } = await untilDatabaseAnswers('reading the TLS certificate', () => tlsIdentity(cfg, sql));
  const state: WebState = {
    cfg, sql, startedMs: Date.now(), schemaReady: dbSchema >= target, requestCounts: new Map(), limits, jwtKey,
    webhooks: new WebhookSender(sql),
  };
  if (!state.schemaReady) log.warn(`database schema ${dbSchema} is older than v${cfg.version} needs (${target}); run the DB upgrade job`);
  for (const [name, limit] of Object.entries(limits)) if (limit) log.info(`rate limit on: ${name} ${limit.limit} per ${limit.windowMs / 1000} s (1015, HTTP 429 beyond)`);
  const watchShards = shardOwnershipWatch(sql);
  setInterval(() => {
    readSchemaVersion(sql).then((v) => { state.schemaReady = v !== null && v >= target; }, () => undefined);
    watchShards().catch(() => undefined);
  }, SCHEMA_CHECK_MS).unref();
  state.webhooks.start();

  // Every route of the contract has a handler (the type says so); the dispatch is keyed by the table.
  const handlers: Handlers = {
    ...userRoutes(state), ...clusterRoutes(state), ...masterOpRoutes(state), ...messageRoutes(state),
    ...statsRoutes(state), ...certificateRoutes(state),
  };
  const routes = dispatchTable([[ROUTES, handlers], [EMULATOR_ROUTES, emulatorOnlyRoutes(state)]]);
  const server = createServer({ cert: certPem, key: keyPem }, async (req, res) => {
    const started = Date.now();
    const url = new URL(req.url ?? '/', 'https://webapp');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const route = routes.get(`${req.method} ${path}`);
    try {
      if (!route) throw new ApiError(ErrorCode.NotFound, `Unknown path or method: ${req.method} ${path}`);
      const rawBody = await readTextBody(req);
      let caller: ReturnType<typeof resolveCaller> | undefined;
      const ctx = context(req, rawBody, url.searchParams, () => (caller ??= resolveCaller(req, sql, state.jwtKey, cfg.apiKey)));
      await admit(ctx, route.access);
      const reply = await route.handle(ctx);
      send(res, cfg.version, reply);
    } catch (e) {
      if (!(e instanceof ApiError)) log.error(`${req.method} ${path} failed: ${(e as Error).message}`);
      sendError(res, cfg.version, e instanceof ApiError ? e : new ApiError(ErrorCode.InternalError, 'Internal error'));
    }
    const name = `${req.method}_${path.replace(/^\//, '').replace(/\//g, '_')} ${res.statusCode < 400 ? 'success' : 'failure'}`;
    const entry = state.requestCounts.get(name) ?? { count: 0, durationMs: 0 };
    entry.count++;
    entry.durationMs += Date.now() - started;
    if (route) state.requestCounts.set(name, entry);
  });
  server.on('tlsClientError', (e: NodeJS.ErrnoException, socket) => {
    if (e.code === 'ECONNRESET') return;
    lighttpdError('mod_openssl.c', `SSL: ${e.code ?? 'error'} ${e.message} (client ${socket.remoteAddress ?? 'unknown'})`);
  });
  server.on('close', () => lighttpdError('server.c', 'server stopped'));
  server.listen(HTTPS_PORT, '0.0.0.0');
  lighttpdError('server.c', `server started (WhatsApp Business API emulator webapp v${cfg.version}, https on port ${HTTPS_PORT})`);
  log.info(`webapp ${cfg.nodeKey} v${cfg.version} serving HTTPS on ${HTTPS_PORT}`);
  return server;
}
