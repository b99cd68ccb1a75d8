// The Webapp node: HTTPS REST API on 443 with a self-signed certificate kept in the DB.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { NodeConfig } from '../config';
import { createSelfSignedCert, type CertAndKey } from '../crypto/self-signed-cert';
import { sharedSecret } from '../db/auth-store';
import { initializeIfEmpty, readSchemaVersion } from '../db/schema';
import type { Sql } from '../db/sql';
import { ApiError } from '../logic/envelope';
import { schemaVersionFor } from '../logic/version';
import { log } from '../log';
import { readJsonBody } from '../net/json-body';
import { resolveCaller } from './auth';
import { send, sendError, type Route } from './http';
import { clusterRoutes } from './routes/cluster';
import { masterOpRoutes } from './routes/master-ops';
import { messageRoutes } from './routes/messages';
import { userRoutes } from './routes/users';
import type { WebState } from './web-state';

const HTTPS_PORT = Number(process.env.WA_EMULATOR_WEB_PORT ?? 443);
const SCHEMA_CHECK_MS = 2000;

async function tlsIdentity(cfg: NodeConfig, sql: Sql): Promise<CertAndKey> {
  const stored = await sharedSecret(sql, 'webapp_tls', () =>
    JSON.stringify(createSelfSignedCert(cfg.hostname, ['localhost', cfg.hostname], ['127.0.0.1'])));
  return JSON.parse(stored) as CertAndKey;
}

export async function startWebapp(cfg: NodeConfig, sql: Sql): Promise<Server> {
  const target = schemaVersionFor(cfg.version);
  const dbSchema = await initializeIfEmpty(sql, target);
  const state: WebState = {
    cfg, sql, startedMs: Date.now(), schemaReady: dbSchema >= target, requestCounts: new Map(),
    jwtKey: cfg.jwtKey ?? (await sharedSecret(sql, 'jwt_key', () => randomBytes(32).toString('hex'))),
  };
  if (!state.schemaReady) log.warn(`database schema ${dbSchema} is older than v${cfg.version} needs (${target}); run the DB upgrade job`);
  setInterval(() => {
    readSchemaVersion(sql).then((v) => { state.schemaReady = v !== null && v >= target; }, () => undefined);
  }, SCHEMA_CHECK_MS).unref();

  const routes: Record<string, Route> = {
    'GET /': async () => ({ status: 200, body: {} }),
    ...userRoutes(state), ...clusterRoutes(state), ...masterOpRoutes(state), ...messageRoutes(state),
  };
  const { certPem, keyPem } = await tlsIdentity(cfg, sql);
  const server = createServer({ cert: certPem, key: keyPem }, async (req, res) => {
    const started = Date.now();
    const path = (req.url ?? '/').split('?')[0].replace(/\/+$/, '') || '/';
    const route = routes[`${req.method} ${path}`] as Route | undefined;
    try {
      if (!route) throw new ApiError(1006, `Unknown path or method: ${req.method} ${path}`);
      const body = await readJsonBody(req);
      let caller: ReturnType<typeof resolveCaller> | undefined;
      const reply = await route({ req, body, caller: () => (caller ??= resolveCaller(req, sql, state.jwtKey, cfg.apiKey)) });
      send(res, cfg.version, reply);
    } catch (e) {
      if (!(e instanceof ApiError)) log.error(`${req.method} ${path} failed: ${(e as Error).message}`);
      sendError(res, cfg.version, e instanceof ApiError ? e : new ApiError(1014, 'Internal error'));
    }
    const name = `${req.method}_${path.replace(/^\//, '').replace(/\//g, '_')}`;
    const entry = state.requestCounts.get(name) ?? { count: 0, durationMs: 0 };
    entry.count++;
    entry.durationMs += Date.now() - started;
    if (route) state.requestCounts.set(name, entry);
  });
  server.listen(HTTPS_PORT, '0.0.0.0');
  log.info(`webapp ${cfg.nodeKey} v${cfg.version} serving HTTPS on ${HTTPS_PORT}`);
  return server;
}
