// The plain-HTTP JSON API masters and coreapps serve to each other and to the Webapp on
// their cluster ports (6250 messaging, 6251 contacts, 6252 control, 6253 healthcheck).
import { createServer, request, type Server } from 'node:http';
import { ApiError } from '../logic/envelope';
import { log } from '../log';
import { dnsLookup } from './dns-lookup';
import { readJsonBody } from './json-body';

export const CLUSTER_PORTS = [6250, 6251, 6252, 6253];
export const CONTROL_PORT = 6252;
export const HEALTH_PORT = 6253;
export const MESSAGING_PORT = 6250;

export interface InternalReply {
  status: number;
  body: unknown;
}

export type InternalHandler = (method: string, path: string, body: unknown) => Promise<InternalReply>;

/** Errors thrown by handlers travel as {errors:[...]} with their HTTP status. */
export function serveInternal(handler: InternalHandler, ports = CLUSTER_PORTS): Server[] {
  return ports.map((port) => {
    const server = createServer(async (req, res) => {
      let reply: InternalReply;
      try {
        const body = await readJsonBody(req);
        reply = await handler(req.method ?? 'GET', (req.url ?? '/').split('?')[0], body);
      } catch (e) {
        if (!(e instanceof ApiError)) log.error(`internal request ${req.method} ${req.url} failed: ${(e as Error).message}`);
        const err = e instanceof ApiError ? e : new ApiError(1014, 'Internal error');
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
export function callNode(host: string, port: number, method: string, path: string, body: unknown, timeoutMs: number): Promise<InternalReply> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request({ host, port, method, path, timeout: timeoutMs, lookup: dnsLookup, headers: payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {} }, (res) => {
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
  const first = errors?.[0];
  return new ApiError(first?.code ?? 1014, first?.details ?? `node answered HTTP ${reply.status}`, reply.status);
}
