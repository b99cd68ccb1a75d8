// Registration and shards (waba-api.md §4.6, §4.7): `POST /v1/account`, `POST /v1/account/verify`,
// `GET|POST /v1/account/shards`. The extension sends these requests; the emulator answers them.
import type { WabaMeta } from './health';
import { array, isObject, number, object, optional, ShapeError, string } from './shape';

export interface RegistrationRequest { cc: string; phone_number: string; method: 'sms' | 'voice' | string; cert: string; pin?: string }
export interface VerifyRequest { code: string }
export interface SetShardsRequest { cc: string; phone_number: string; shards: number; cert?: string; pin?: string }

/** `POST /v1/account`: 202 with the vname decoded from the cert when a code was sent, 201 `{}` when already registered. */
export interface RegistrationBody { account?: Array<{ vname: string }>; meta?: WabaMeta }

/** `GET /v1/account/shards`, as Meta documents it. */
export interface ShardsBody { account: { shards: number }; meta?: WabaMeta }

export function parseRegistrationBody(body: unknown): RegistrationBody {
  const b = body === undefined || body === null ? {} : object(body, '');
  optional(b.account, 'account', (v, p) => array(v, p).forEach((entry, i) => string(object(entry, `${p}[${i}]`).vname, `${p}[${i}].vname`)));
  return b as RegistrationBody;
}

/**
 * `GET /v1/account/shards`: `{account: {shards}}`. Some clients met the count wrapped in an array
 * (`{account: [{shards}]}`); both come back as Meta's shape.
 */
export function parseShardsBody(body: unknown): ShardsBody {
  const account = object(body, '').account;
  const entry = Array.isArray(account) ? account[0] : account;
  if (!isObject(entry)) throw new ShapeError('account', 'an object with shards', account);
  const path = Array.isArray(account) ? 'account[0].shards' : 'account.shards';
  return { ...(body as object), account: { shards: number(entry.shards, path) } };
}
