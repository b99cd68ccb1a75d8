// Validation of the request bodies the emulator accepts.
import { ApiError, ErrorCode } from './envelope';
import { SETTING_FIELDS, SHARD_COUNTS, passwordProblem, settingField, settingProblem, settingValue } from '../../../src/contract';
import { asBody, invalid, missing, optionalString, requireOneOf, requireString, type Body } from './validation';

const DIGITS = /^\d+$/;
const PIN = /^\d{6}$/;
const BASE64 = /^[A-Za-z0-9+/=\s_-]+$/;

export interface AccountRequest { cc: string; phone: string; method: 'sms' | 'voice'; cert: string; pin?: string }
export interface ShardsRequest { cc: string; phone: string; shards: number; pin?: string; cert?: string }
export interface TextMessage { to: string; type: string; body: string }

export function parseAccountRequest(raw: unknown): AccountRequest {
  const b = asBody(raw);
  return {
    cc: requireString(b, 'cc', DIGITS, 'digits only'),
    phone: requireString(b, 'phone_number', DIGITS, 'digits only, without the country code'),
    method: requireOneOf(b, 'method', ['sms', 'voice'] as const),
    cert: requireString(b, 'cert', BASE64, 'must be base64'),
    pin: optionalString(b, 'pin', PIN, 'must be 6 digits'),
  };
}

export function parseVerifyRequest(raw: unknown): string {
  return requireString(asBody(raw), 'code', /^\d{3}-?\d{3}$/, 'must be the 6-digit code');
}

export function parseShardsRequest(raw: unknown): ShardsRequest {
  const b = asBody(raw);
  const shards = typeof b.shards === 'string' && DIGITS.test(b.shards) ? Number(b.shards) : b.shards;
  return {
    cc: requireString(b, 'cc', DIGITS, 'digits only'),
    phone: requireString(b, 'phone_number', DIGITS, 'digits only, without the country code'),
    shards: requireOneOf({ shards }, 'shards', SHARD_COUNTS),
    pin: optionalString(b, 'pin', PIN, 'must be 6 digits'),
    cert: optionalString(b, 'cert', BASE64, 'must be base64'),
  };
}

export function parseNewPassword(raw: unknown): string | undefined {
  const pw = optionalString(asBody(raw), 'new_password');
  if (pw !== undefined) checkPassword('new_password', pw);
  return pw;
}

export function parseCreateUser(raw: unknown): { username: string; password: string } {
  const b = asBody(raw);
  const username = requireString(b, 'username', /^[A-Za-z0-9_.@-]{4,32}$/, 'must be 4 to 32 characters');
  const password = requireString(b, 'password');
  checkPassword('password', password);
  return { username, password };
}

function checkPassword(field: string, pw: string): void {
  const problem = passwordProblem(pw);
  if (problem) throw invalid(field, problem);
}

export function parseBackupRequest(raw: unknown): string {
  return requireString(asBody(raw), 'password');
}

export function parseRestoreRequest(raw: unknown): { password: string; data: string } {
  const b = asBody(raw);
  return { password: requireString(b, 'password'), data: requireString(b, 'data') };
}

export function parseTextMessage(raw: unknown): TextMessage {
  const b = asBody(raw);
  const to = requireString(b, 'to', /^\+?[\d\s()-]{5,32}$/, 'must be a phone number or wa_id');
  if (b.recipient_type !== undefined && b.recipient_type !== 'individual') throw new ApiError(ErrorCode.InvalidParameter, 'Invalid value for parameter recipient_type: must be individual');
  const type = (b.type ?? 'text') as string;
  if (type === 'template' || type === 'hsm') {
    const tpl = asBody(b[type]);
    if (!tpl.namespace) throw new ApiError(ErrorCode.NamespaceEmpty, `Expected namespace in ${type}.namespace`);
    requireString(tpl, 'namespace');
    return { to, type, body: String(tpl.name ?? tpl.element_name ?? '') };
  }
  if (type !== 'text') throw invalid('type', 'the emulator supports text and template messages');
  const text = b.text;
  if (text === undefined) throw missing('text');
  const body = requireString(asBody(text), 'body');
  if (body.length > 4096) throw new ApiError(ErrorCode.MessageTooLong, 'Message length exceeds 4096 characters');
  return { to, type, body };
}

/**
 * A PATCH of the application settings: every leaf must be a documented field (1010 otherwise) with
 * an accepted value (1009, naming the field and what it accepts).
 */
export function parseSettingsPatch(raw: unknown): Body {
  const patch: Body = {};
  const walk = (node: Body, prefix: string, target: Body) => {
    for (const [key, value] of Object.entries(node)) {
      const path = prefix ? `${prefix}.${key}` : key;
      const field = settingField(path);
      const isParent = SETTING_FIELDS.some((f) => f.path.startsWith(`${path}.`));
      if (!field && isParent && value && typeof value === 'object' && !Array.isArray(value)) {
        walk(value as Body, path, (target[key] = {}) as Body);
        continue;
      }
      if (!field) throw new ApiError(ErrorCode.ParameterNotRequired, `Unknown parameter: ${path}`);
      const v = settingValue(field, value);
      const problem = settingProblem(field, v);
      if (problem) throw invalid(path, problem);
      if (path === 'pass_through' && v === true) throw invalid(path, 'cannot be enabled again from v2.35');
      target[key] = v;
    }
  };
  walk(asBody(raw), '', patch);
  if (Object.keys(patch).length === 0) throw missing('settings');
  return patch;
}
