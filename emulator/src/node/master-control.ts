// Master-only operations (registration, shards, settings, backup/restore). The Webapp
// forwards them to the primary master's control port; other nodes answer 1017.
import { createHash, randomInt } from 'node:crypto';
import { openBackup, sealBackup } from '../crypto/backup-box';
import {
  readRegistration, readSettings, resetSettings, writeRegistration, writeSettings, type Registration,
} from '../db/account-store';
import type { Sql } from '../db/sql';
import { ApiError, ErrorCode } from '../logic/envelope';
import {
  parseAccountRequest, parseBackupRequest, parseRestoreRequest, parseSettingsPatch, parseShardsRequest, parseVerifyRequest,
} from '../logic/requests';
import { mergeSettings } from '../logic/settings';
import { invalid } from '../logic/validation';
import { vnameFromCert } from '../logic/vname';
import { log } from '../log';
import type { InternalReply } from '../net/internal-api';
import { ROUTES, type BackupBody, type RegistrationBody, type RouteName, type ShardsBody } from '../../../src/contract';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export interface ControlContext {
  sql: Sql;
  /** Called after changes that affect shard ownership. */
  clusterChanged(): void;
}

type Op = (ctx: ControlContext, body: unknown) => Promise<InternalReply>;

async function requestCode(ctx: ControlContext, body: unknown): Promise<InternalReply> {
  const req = parseAccountRequest(body);
  const reg = await readRegistration(ctx.sql);
  if (reg.registered && reg.cc === req.cc && reg.phone === req.phone) return { status: 201, body: {} };
  const vname = vnameFromCert(req.cert);
  if (!vname) throw invalid('cert', 'no verified name found in the certificate');
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const next: Registration = { cc: req.cc, phone: req.phone, vname, codeHash: sha256(code), registered: false, shards: reg.shards };
  await writeRegistration(ctx.sql, next, await ctx.sql.nowMs());
  if (reg.registered) ctx.clusterChanged();
  // The code is "delivered" through this log line; that is its purpose.
  log.info(`Registration code for +${req.cc}${req.phone}: ${code} (sent by ${req.method})`);
  return { status: 202, body: { account: [{ vname }] } satisfies RegistrationBody };
}

async function verify(ctx: ControlContext, body: unknown): Promise<InternalReply> {
  const code = parseVerifyRequest(body).replace('-', '');
  const reg = await readRegistration(ctx.sql);
  if (reg.registered && !reg.codeHash) return { status: 201, body: {} };
  if (!reg.codeHash) throw invalid('code', `no registration code was requested; call POST ${ROUTES.requestCode.path} first`);
  if (sha256(code) !== reg.codeHash) throw invalid('code', 'the registration code does not match');
  await writeRegistration(ctx.sql, { ...reg, codeHash: null, registered: true }, await ctx.sql.nowMs());
  log.info(`account +${reg.cc}${reg.phone} registered (${reg.vname}), ${reg.shards} shard${reg.shards === 1 ? '' : 's'}`);
  ctx.clusterChanged();
  return { status: 201, body: {} };
}

async function registeredAccount(ctx: ControlContext): Promise<Registration> {
  const reg = await readRegistration(ctx.sql);
  if (!reg.registered) throw new ApiError(ErrorCode.NotFound, 'The account is not registered yet');
  return reg;
}

async function setShards(ctx: ControlContext, body: unknown): Promise<InternalReply> {
  const req = parseShardsRequest(body);
  const reg = await registeredAccount(ctx);
  if (req.cc !== reg.cc) throw invalid('cc', 'does not match the registered number');
  if (req.phone !== reg.phone) throw invalid('phone_number', 'does not match the registered number');
  if (req.shards !== reg.shards) {
    await writeRegistration(ctx.sql, { ...reg, shards: req.shards }, await ctx.sql.nowMs());
    log.info(`shard count changed: ${reg.shards} -> ${req.shards}`);
    ctx.clusterChanged();
  }
  return { status: 201, body: {} };
}

async function getShards(ctx: ControlContext): Promise<InternalReply> {
  const reg = await registeredAccount(ctx);
  return { status: 200, body: { account: { shards: reg.shards } } satisfies ShardsBody };
}

async function getSettings(ctx: ControlContext): Promise<InternalReply> {
  const [settings, reg] = await Promise.all([readSettings(ctx.sql), readRegistration(ctx.sql)]);
  const application = reg.registered ? { ...settings, wa_id: `${reg.cc}${reg.phone}` } : settings;
  return { status: 200, body: { settings: { application } } };
}

async function patchSettings(ctx: ControlContext, body: unknown): Promise<InternalReply> {
  const patch = parseSettingsPatch(body);
  await writeSettings(ctx.sql, mergeSettings(await readSettings(ctx.sql), patch));
  const shown = Object.entries(patch).map(([k, v]) => (typeof v === 'object' ? k : `${k}=${v}`));
  log.info(`application settings changed: ${shown.join(', ')}`);
  ctx.clusterChanged();
  return { status: 200, body: {} };
}

async function deleteSettings(ctx: ControlContext): Promise<InternalReply> {
  await resetSettings(ctx.sql);
  log.info('application settings reset to defaults');
  ctx.clusterChanged();
  return { status: 200, body: {} };
}

async function backup(ctx: ControlContext, body: unknown): Promise<InternalReply> {
  const password = parseBackupRequest(body);
  const [settings, reg] = await Promise.all([readSettings(ctx.sql), readRegistration(ctx.sql)]);
  const account = { cc: reg.cc, phone: reg.phone, vname: reg.vname, registered: reg.registered, shards: reg.shards };
  log.info('settings backup created');
  return { status: 200, body: { settings: { data: sealBackup({ settings, account }, password) } } satisfies BackupBody };
}

async function restore(ctx: ControlContext, body: unknown): Promise<InternalReply> {
  const req = parseRestoreRequest(body);
  let content: { settings: Record<string, unknown>; account: Omit<Registration, 'codeHash'> };
  try {
    content = openBackup(req.data, req.password) as typeof content;
  } catch {
    throw invalid('password', 'the backup data cannot be opened with this password');
  }
  await writeSettings(ctx.sql, content.settings);
  await writeRegistration(ctx.sql, { ...content.account, codeHash: null }, await ctx.sql.nowMs());
  log.info(`settings restored from backup (account ${content.account.registered ? 'registered' : 'unregistered'}, ${content.account.shards} shards)`);
  ctx.clusterChanged();
  return { status: 200, body: {} };
}

/** The routes of the contract the Webapp forwards to the primary master, by route name. */
export const CONTROL_OPS = {
  requestCode, verify, setShards, shards: getShards, settings: getSettings, patchSettings, resetSettings: deleteSettings, backup, restore,
} satisfies Partial<Record<RouteName, Op>>;

export type ControlRoute = keyof typeof CONTROL_OPS;
export const CONTROL_ROUTES = Object.keys(CONTROL_OPS) as ControlRoute[];

/** The primary master's internal path of an operation (`/control/<route name>`). */
export const controlPath = (op: ControlRoute): string => `/control/${op}`;

export function controlOp(path: string): Op | undefined {
  const name = path.startsWith('/control/') ? path.slice('/control/'.length) : '';
  return Object.prototype.hasOwnProperty.call(CONTROL_OPS, name) ? CONTROL_OPS[name as ControlRoute] : undefined;
}
