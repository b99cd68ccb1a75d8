// Request/response plumbing of the Webapp's REST API.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ROUTES, type RouteAccess, type RouteName } from '../../../src/contract';
import { ApiError, errorBody, ErrorCode, metaFor } from '../logic/envelope';

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

/** What the webapp does for one route of the contract (src/contract/routes.ts); who may call it is checked before. */
export type Handler = (ctx: RequestContext) => Promise<Reply>;

/** A part of the webapp's handlers, keyed by route name. */
export type Handlers<N extends string = RouteName> = Record<N, Handler>;

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

const API_KEY_PATHS = [...new Set(Object.values(ROUTES).filter((r) => r.access.apiKey).map((r) => r.path))].join(', ');

/** Refuses a caller the route's access does not admit (401 without credentials, 403 for a user on an admin route). */
export async function admit(ctx: RequestContext, access: RouteAccess): Promise<void> {
  if (access.who === 'none' || access.who === 'basic') return;
  const caller = await ctx.caller();
  if (access.who === 'admin' && caller.role !== 'admin') throw new ApiError(ErrorCode.AccessDenied, 'This endpoint requires the admin role');
  if (caller.role === 'apikey' && !access.apiKey) throw new ApiError(ErrorCode.AccessDenied, `API keys are accepted on ${API_KEY_PATHS} only`, 401);
}

/** `?format=prometheus` asks for Prometheus text instead of JSON. */
export function wantsPrometheus(ctx: RequestContext): boolean {
  const format = ctx.query.get('format');
  if (format !== null && format !== 'prometheus' && format !== 'json') throw new ApiError(ErrorCode.InvalidParameter, 'Invalid value for parameter format: must be prometheus or json');
  return format === 'prometheus';
}
