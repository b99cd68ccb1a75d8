// The plain-HTTP JSON API masters and coreapps serve to each other and to the Webapp on
// their cluster ports (6250 messaging, 6251 contacts, 6252 control, 6253 healthcheck).
// Meta's compose publishes these ports on the host, so every call must carry the cluster
// secret, which only processes that can read the cluster database know.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import { sharedSecret } from '../db/auth-store';
import type { Sql } from '../db/sql';
import { ApiError, ErrorCode } from '../logic/envelope';
import { log } from '../log';
import { dnsLookup } from './dns-lookup';
import { readJsonBody } from './json-body';

export const CLUSTER_PORTS = [6250, 6251, 6252, 6253];
export const CONTROL_PORT = 6252;
export const HEALTH_PORT = 6253;
export const MESSAGING_PORT = 6250;

/** Header carrying the cluster secret (emulator-internal; the real nodes' protocol is not public). */
export const SECRET_HEADER = 'x-waba-cluster-secret';
/** Name of the secret in the database's secrets table. */
export const SECRET_NAME = 'cluster_api';
const REJECTION_LOG_EVERY_MS = 10_000;

let clusterSecret: Promise<string> | undefined;

/** Reads (or, first of all nodes, creates) the cluster secret; callNode and serveInternal wait for it. */
export function loadClusterSecret(sql: Sql): Promise<string> {
  if (!clusterSecret) {
    const loading = sharedSecret(sql, SECRET_NAME, () => randomBytes(32).toString('hex'));
    clusterSecret = loading;
    loading.catch(() => {
      if (clusterSecret === loading) clusterSecret = undefined;
    });
  }
  return clusterSecret;
}

async function knownSecret(): Promise<string> {
  if (!clusterSecret) throw new Error('cluster secret not loaded (loadClusterSecret first)');
  return clusterSecret;
}

function sameSecret(given: string | string[] | undefined, secret: string): boolean {
  if (typeof given !== 'string' || given.length !== secret.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(secret));
}

export interface InternalReply {
  status: number;
  body: unknown;
}

export type InternalHandler = (method: string, path: string, body: unknown) => Promise<InternalReply>;

let lastRejectionLogMs = -Infinity;

function reject(req: IncomingMessage): InternalReply {
  const now = performance.now();
  if (now - lastRejectionLogMs >= REJECTION_LOG_EVERY_MS) {
    lastRejectionLogMs = now;
    log.warn(`refused ${req.method} ${req.url} from ${req.socket.remoteAddress}: missing or wrong cluster secret (further refusals within ${REJECTION_LOG_EVERY_MS / 1000} s are not logged)`);
  }
  const err = new ApiError(ErrorCode.AccessDenied, 'This port serves the cluster\'s own nodes only: missing or wrong cluster secret', 401);
  return { status: err.httpStatus, body: { errors: [err.toObject()] } };
}

/** Errors thrown by handlers travel as {errors:[...]} with their HTTP status. */
export function serveInternal(handler: InternalHandler, ports = CLUSTER_PORTS): Server[] {
  return ports.map((port) => {
    const server = createServer(async (req, res) => {
      let reply: InternalReply;
      try {
        if (!sameSecret(req.headers[SECRET_HEADER], await knownSecret())) {
          req.resume();
          reply = reject(req);
        } else {
          const body = await readJsonBody(req);
          reply = await handler(req.method ?? 'GET', (req.url ?? '/').split('?')[0], body);
        }
      } catch (e) {
        if (!(e instanceof ApiError)) log.error(`internal request ${req.method} ${req.url} failed: ${(e as Error).message}`);
        const err = e instanceof ApiError ? e : new ApiError(ErrorCode.InternalError, 'Internal error');
        reply = { status: err.httpStatus, body: { errors: [err.toObject()] } };
      }
      res.writeHead(reply.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(reply.body));
    });
    server.listen(port, '0.0.0.0');
    return server;
  });
}

/** Calls another node; rejects on connection problems or timeout. */
export async function callNode(host: string, port: number, method: string, path: string, body: unknown, timeoutMs: number): Promise<InternalReply> {
  const secret = await knownSecret();
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string | number> = { [SECRET_HEADER]: secret };
    if (payload) Object.assign(headers, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
    const req = request({ host, port, method, path, timeout: timeoutMs, lookup: dnsLookup, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode ?? 500, body: JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null') });
        } catch (e) {
          reject(e);
        }
      });
      res.on('error', reject);
    });
    const timer = setTimeout(() => req.destroy(new Error(`timeout after ${timeoutMs} ms`)), timeoutMs);
    req.on('close', () => clearTimeout(timer));
    req.on('timeout', () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** Turns an {errors:[...]} reply back into an ApiError. */
export function replyError(reply: InternalReply): ApiError | null {
  const errors = (reply.body as { errors?: { code: number; details?: string }[] } | null)?.errors;
  if (reply.status < 400 && !errors) return null;
  return ApiError.fromWire(errors?.[0], reply.status, `node answered HTTP ${reply.status}`);
}
