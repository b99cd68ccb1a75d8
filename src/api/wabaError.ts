import { ErrorCode, type WabaError } from '../contract';

/** What to tell a user for error codes they can act on. */
const HINTS: Record<number, string> = {
  [ErrorCode.AccessDenied]: 'This needs the admin user (or the credentials are wrong).',
  [ErrorCode.NotFound]: 'The resource does not exist.',
  [ErrorCode.ServiceNotReady]: 'The node is not ready yet; check its log.',
  [ErrorCode.RateLimited]: 'The webapp limits how often this may be called; wait a minute and retry.',
  [ErrorCode.NotPrimaryMaster]: 'No primary master holds the lease right now; retry in a few seconds.',
  [ErrorCode.NotPrimaryCoreapp]: 'The coreapp owning that shard is changing (failover); retry in a few seconds.',
};

/** A non-2xx answer of the webapp, with the envelope's first error. */
export class WabaApiError extends Error {
  /** `Retry-After` of the answer, in milliseconds, when it sent one. */
  readonly retryAfterMs: number | undefined;

  constructor(readonly status: number, readonly errors: WabaError[], readonly path: string, retryAfter?: string) {
    super(describeWabaFailure(status, errors, path));
    this.retryAfterMs = parseRetryAfter(retryAfter);
  }

  get code(): number | undefined { return this.errors[0]?.code; }

  /** 1015 Too many requests (HTTP 429): a caller must wait, not retry at once. */
  get rateLimited(): boolean { return this.status === 429 || this.code === ErrorCode.RateLimited; }
}

/** The webapp refused a user name and password (HTTP 401 on login). */
export class LoginRefusedError extends Error {
  constructor(readonly username: string, readonly baseUrl: string) {
    super(`The webapp at ${baseUrl} refused the password of ${username}.`);
  }
}

export function describeWabaFailure(status: number, errors: readonly WabaError[], path: string): string {
  const first = errors[0];
  if (status === 401 && !first) return `${path}: not authorised (401). Log in again.`;
  if (status === 429 && !first) return `${path}: too many requests (429). ${HINTS[ErrorCode.RateLimited]}`;
  if (!first) return `${path} answered HTTP ${status}.`;
  const details = first.details ? `: ${first.details}` : '';
  const hint = HINTS[first.code] ? ` ${HINTS[first.code]}` : '';
  return `${path} failed with ${first.code} ${first.title}${details}.${hint}`;
}

/** `Retry-After` is seconds or an HTTP date (RFC 9110 §10.2.3). */
function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
