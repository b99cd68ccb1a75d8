/** Validation of the registration and shards forms, shared by the webview and the extension host. */
import { SHARD_COUNTS, isShardCount } from '../contract';
import { t } from '../l10n';

export interface RegistrationForm { cc: string; phone_number: string; method: string; cert: string; pin?: string }
export interface ShardsForm { cc: string; phone_number: string; shards: number | string; cert?: string; pin?: string }

export type FieldErrors = Record<string, string>;
export type Checked<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

const DIGITS = /^\d+$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

function phoneErrors(form: { cc: string; phone_number: string }, errors: FieldErrors): void {
  if (!DIGITS.test(form.cc.trim()) || form.cc.trim().length > 3) errors.cc = t('Country code: 1 to 3 digits, without +');
  if (!DIGITS.test(form.phone_number.trim())) errors.phone_number = t('Phone number: digits only, without the country code');
}

function optionalFields(form: { cert?: string; pin?: string }, errors: FieldErrors, certRequired: boolean): { cert?: string; pin?: string } {
  const cert = form.cert?.replace(/\s+/g, '') ?? '';
  const pin = form.pin?.trim() ?? '';
  if (certRequired && !cert) errors.cert = t('The verified-name certificate (base64) from WhatsApp Manager is required');
  else if (cert && !BASE64.test(cert)) errors.cert = t('The certificate must be base64');
  if (pin && !/^\d{6}$/.test(pin)) errors.pin = t('The two-step verification PIN has 6 digits');
  return { ...(cert ? { cert } : {}), ...(pin ? { pin } : {}) };
}

/** The body of `ROUTES.requestCode`. */
export function checkRegistration(form: RegistrationForm): Checked<Required<Omit<RegistrationForm, 'pin'>> & { pin?: string }> {
  const errors: FieldErrors = {};
  phoneErrors(form, errors);
  if (form.method !== 'sms' && form.method !== 'voice') errors.method = t('Method: sms or voice');
  const extra = optionalFields(form, errors, true);
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, value: { cc: form.cc.trim(), phone_number: form.phone_number.trim(), method: form.method, cert: extra.cert!, ...(extra.pin ? { pin: extra.pin } : {}) } };
}

/** The body of `ROUTES.verify`. */
export function checkVerificationCode(code: string): Checked<{ code: string }> {
  const digits = code.replace(/[\s-]/g, '');
  return /^\d{6}$/.test(digits) ? { ok: true, value: { code: digits } } : { ok: false, errors: { code: t('The registration code has 6 digits') } };
}

/** The body of `ROUTES.shards`. */
export function checkShards(form: ShardsForm): Checked<{ cc: string; phone_number: string; shards: number; cert?: string; pin?: string }> {
  const errors: FieldErrors = {};
  phoneErrors(form, errors);
  const shards = Number(form.shards);
  if (!isShardCount(shards)) errors.shards = t('Shards: one of {0}', SHARD_COUNTS.join(', '));
  const extra = optionalFields(form, errors, false);
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, value: { cc: form.cc.trim(), phone_number: form.phone_number.trim(), shards, ...extra } };
}

/** Meta's advice: shards + 1 coreapps, so one can fail without losing a shard. */
export function shardsAdvice(shards: number, coreapps: number): string | undefined {
  if (coreapps < shards) return t('Only {0} coreapp container(s) for {1} shard(s): {2} shard(s) would have no owner. Start more coreapps first.', coreapps, shards, shards - coreapps);
  if (coreapps === shards) return t('No standby coreapp: if one of the {0} coreapps dies, its shard stops until it returns. Meta recommends shards + 1 coreapps.', coreapps);
  return undefined;
}
