// Request/response plumbing of the Webapp's REST API.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, errorBody, metaFor } from '../logic/envelope';

export interface Caller {
  user: string;
  role: 'admin' | 'user' | 'apikey';
  tokenId?: string;
  tokenExpMs?: number;
}

export interface RequestContext {
  req: IncomingMessage;
  /** The JSON body (throws 1009 when the body is not JSON). */
  readonly body: unknown;
  /** The body as sent, for the routes that take text (certificates). */
  rawBody: string;
  query: URLSearchParams;
  /** Resolves the caller from the Authorization header, or throws 401. */
  caller(): Promise<Caller>;
}

export interface Reply {
  status: number;
  body?: Record<string, unknown>;
  /** Send no body at all (the login failure answer of the real Webapp). */
  empty?: boolean;
  /** A non-JSON answer (Prometheus text, a PEM certificate). */
  text?: { contentType: string; content: string };
}

export type Route = (ctx: RequestContext) => Promise<Reply>;

export function send(res: ServerResponse, version: string, reply: Reply): void {
  if (reply.empty) {
    res.writeHead(reply.status, { 'content-length': 0 });
    res.end();
    return;
  }
  if (reply.text) {
    res.writeHead(reply.status, { 'content-type': reply.text.contentType, 'content-length': Buffer.byteLength(reply.text.content) });
    res.end(reply.text.content);
    return;
  }
  const body = JSON.stringify({ ...reply.body, meta: metaFor(version) });
  res.writeHead(reply.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

export function sendError(res: ServerResponse, version: string, err: ApiError): void {
  const body = JSON.stringify(errorBody([err.toObject()], version));
  res.writeHead(err.httpStatus, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

export async function requireAdmin(ctx: RequestContext): Promise<Caller> {
  const caller = await ctx.caller();
  if (caller.role !== 'admin') throw new ApiError(1005, 'This endpoint requires the admin role');
  return caller;
}

export async function requireUser(ctx: RequestContext): Promise<Caller> {
  const caller = await ctx.caller();
  if (caller.role === 'apikey') throw new ApiError(1005, 'API keys are accepted on /v1/health, /metrics and /v1/stats only', 401);
  return caller;
}

/** `?format=prometheus` asks for Prometheus text instead of JSON. */
export function wantsPrometheus(ctx: RequestContext): boolean {
  const format = ctx.query.get('format');
  if (format !== null && format !== 'prometheus' && format !== 'json') throw new ApiError(1009, 'Invalid value for parameter format: must be prometheus or json');
  return format === 'prometheus';
}
