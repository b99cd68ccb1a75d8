// The On-Premises API's error envelope and catalogue (waba-api.md §3.3, §5; meta-behaviour.md),
// shared by the extension (what it explains) and the emulator (what it answers).
import { array, join, number, object, optional, string } from './shape';

/** One entry of a response's `errors` array. */
export interface WabaError { code: number; title: string; details?: string }

/** Codes the extension and the emulator both name. */
export const ErrorCode = {
  Generic: 1000,
  MessageTooLong: 1001,
  AlreadyExists: 1004,
  AccessDenied: 1005,
  NotFound: 1006,
  MissingParameter: 1008,
  InvalidParameter: 1009,
  ParameterNotRequired: 1010,
  ServiceNotReady: 1011,
  InternalError: 1014,
  RateLimited: 1015,
  NotPrimaryMaster: 1017,
  NotPrimaryCoreapp: 1018,
  BadUser: 1021,
  WebhooksUrlNotConfigured: 1022,
  DatabaseError: 1023,
  PasswordChangeRequired: 1024,
  NamespaceEmpty: 2014,
} as const;

/** A code the catalogue names: what the emulator may throw (a typo does not compile). */
export type KnownErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * Title and HTTP status of each code. Meta's error table gives no statuses; 1011, 1017 and 1018 (500)
 * and 1024 (401) follow the 2019 Webapp source (meta-behaviour.md [W]), the only evidence of the
 * real webapp's statuses; the rest follow waba-api.md §5.
 */
export const ERROR_CATALOGUE: Readonly<Record<KnownErrorCode, { title: string; http: number }>> = {
  1000: { title: 'Generic error', http: 500 },
  1001: { title: 'Message too long', http: 400 },
  1004: { title: 'Resource already exists', http: 409 },
  1005: { title: 'Access denied', http: 403 },
  1006: { title: 'Resource not found', http: 404 },
  1008: { title: 'Required parameter is missing', http: 400 },
  1009: { title: 'Parameter value is not valid', http: 400 },
  1010: { title: 'Parameter is not required', http: 400 },
  1011: { title: 'Service not ready', http: 500 },
  1014: { title: 'Internal error', http: 500 },
  1015: { title: 'Too many requests', http: 429 },
  1017: { title: 'Not Primary Master', http: 500 },
  1018: { title: 'Not Primary Coreapp', http: 500 },
  1021: { title: 'Bad User', http: 400 },
  1022: { title: 'Webhooks URL is not configured', http: 400 },
  1023: { title: 'Database error occurred', http: 500 },
  1024: { title: 'Password Change Required', http: 401 },
  2014: { title: 'Expected Namespace is Empty', http: 400 },
};

/** The errors array of a response body, if it has one. */
export function errorsOf(body: unknown): WabaError[] {
  const errors = (body as { errors?: unknown })?.errors;
  return Array.isArray(errors) ? errors.filter((e): e is WabaError => typeof e?.code === 'number') : [];
}

/** An `errors` array, checked entry by entry (code and title required). */
export function parseWabaErrors(value: unknown, path = 'errors'): WabaError[] {
  return array(value, path).map((entry, i) => {
    const e = object(entry, join(path, i));
    number(e.code, join(join(path, i), 'code'));
    string(e.title, join(join(path, i), 'title'));
    optional(e.details, join(join(path, i), 'details'), string);
    return e as unknown as WabaError;
  });
}
