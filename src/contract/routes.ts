// Every endpoint of the On-Premises webapp the extension calls or the emulator answers: method,
// path, who may call it, the request body it takes and the parser of the body it answers. The only
// place a path is written: the extension's client (src/api/webappApi.ts) calls by route name, the
// emulator's webapp serves by route name, and the contract test checks every route.
import {
  parseRegistrationBody, parseShardsBody, type RegistrationBody, type RegistrationRequest, type SetShardsRequest, type ShardsBody,
  type VerifyRequest,
} from './account';
import { parseHealthBody, parseLoginBody, type HealthBody, type LoginBody } from './health';
import { parseMessagesBody, type MessagesBody, type TextMessageRequest } from './messages';
import {
  parseBackupBody, parseSettingsBody, type BackupBody, type BackupRequest, type RestoreRequest, type SettingsBody,
} from './settings';
import { object, string } from './shape';
import { parseMetricsBody, parseStatsBody, type MetricsBody, type NodeMetrics } from './stats';
import { parseSupportBody, type SupportNode } from './support';

export type WabaMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/**
 * Who may call a route (waba-api.md §3): `none` anyone; `basic` a user name and password (the login);
 * `user` a Bearer token of any user; `admin` a token of an admin. `apiKey`: `Authorization: Apikey
 * <WA_API_KEY>` is accepted too.
 */
export interface RouteAccess { who: 'none' | 'basic' | 'user' | 'admin'; apiKey?: true }

export interface Route<Request, Response> {
  method: WabaMethod;
  path: string;
  access: RouteAccess;
  /** Checks an answer's body and returns it typed; throws a ShapeError naming what does not fit. */
  parse(body: unknown): Response;
  /** Type only: the request body (`void`: none). */
  readonly request?: Request;
}

/** `{}`, `null` or nothing (Meta: "no payload object in response body"); anything else is kept as sent. */
export type EmptyBody = Record<string, unknown>;
const parseEmpty = (body: unknown): EmptyBody => (body === undefined || body === null ? {} : object(body, ''));

/** `POST /v1/users` → `{users: [{username}]}`. */
export interface CreateUserRequest { username: string; password: string }
export interface CreatedUserBody { users: Array<{ username: string }> }
function parseCreatedUser(body: unknown): CreatedUserBody {
  const users = object(body, '').users;
  string(object((users as unknown[] | undefined)?.[0], 'users[0]').username, 'users[0].username');
  return body as CreatedUserBody;
}

/** A PEM text (the webhook CA certificate); the JSON client sees no body. */
const parseText = (body: unknown): unknown => body;

const route = <Request, Response>(method: WabaMethod, path: string, access: RouteAccess, parse: (body: unknown) => Response): Route<Request, Response> =>
  ({ method, path, access, parse });

const NONE: RouteAccess = { who: 'none' };
const USER: RouteAccess = { who: 'user' };
const ADMIN: RouteAccess = { who: 'admin' };
const USER_OR_KEY: RouteAccess = { who: 'user', apiKey: true };

export const ROUTES = {
  root: route<void, EmptyBody>('GET', '/', NONE, parseEmpty),
  login: route<{ new_password?: string }, LoginBody>('POST', '/v1/users/login', { who: 'basic' }, parseLoginBody),
  logout: route<void, EmptyBody>('POST', '/v1/users/logout', USER, parseEmpty),
  createUser: route<CreateUserRequest, CreatedUserBody>('POST', '/v1/users', ADMIN, parseCreatedUser),
  health: route<void, HealthBody>('GET', '/v1/health', USER_OR_KEY, parseHealthBody),
  support: route<void, SupportNode[]>('GET', '/v1/support', USER, parseSupportBody),
  metrics: route<void, MetricsBody>('GET', '/metrics', USER_OR_KEY, parseMetricsBody),
  statsApp: route<void, NodeMetrics[]>('GET', '/v1/stats/app', USER_OR_KEY, (b) => parseStatsBody(b, 'app')),
  statsDb: route<void, NodeMetrics[]>('GET', '/v1/stats/db', USER_OR_KEY, (b) => parseStatsBody(b, 'db')),
  requestCode: route<RegistrationRequest, RegistrationBody>('POST', '/v1/account', ADMIN, parseRegistrationBody),
  verify: route<VerifyRequest, EmptyBody>('POST', '/v1/account/verify', ADMIN, parseEmpty),
  shards: route<void, ShardsBody>('GET', '/v1/account/shards', ADMIN, parseShardsBody),
  setShards: route<SetShardsRequest, EmptyBody>('POST', '/v1/account/shards', ADMIN, parseEmpty),
  settings: route<void, SettingsBody>('GET', '/v1/settings/application', ADMIN, parseSettingsBody),
  patchSettings: route<Record<string, unknown>, EmptyBody>('PATCH', '/v1/settings/application', ADMIN, parseEmpty),
  resetSettings: route<void, EmptyBody>('DELETE', '/v1/settings/application', ADMIN, parseEmpty),
  backup: route<BackupRequest, BackupBody>('POST', '/v1/settings/backup', ADMIN, parseBackupBody),
  restore: route<RestoreRequest, EmptyBody>('POST', '/v1/settings/restore', ADMIN, parseEmpty),
  sendMessage: route<TextMessageRequest, MessagesBody>('POST', '/v1/messages', USER, parseMessagesBody),
  uploadWebhookCa: route<string, EmptyBody>('POST', '/v1/certificates/webhooks/ca', ADMIN, parseEmpty),
  webhookCa: route<void, unknown>('GET', '/v1/certificates/webhooks/ca', ADMIN, parseText),
  deleteWebhookCa: route<void, EmptyBody>('DELETE', '/v1/certificates/webhooks/ca', ADMIN, parseEmpty),
} as const;

export type RouteName = keyof typeof ROUTES;
export type RequestOf<N extends RouteName> = (typeof ROUTES)[N] extends Route<infer Request, unknown> ? Request : never;
export type ResponseOf<N extends RouteName> = ReturnType<(typeof ROUTES)[N]['parse']>;

/** "GET /v1/health": how a route is named in logs and in the emulator's dispatch. */
export function routeKey(r: Pick<Route<unknown, unknown>, 'method' | 'path'>): string {
  return `${r.method} ${r.path}`;
}
