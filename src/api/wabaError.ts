import { ErrorCode, type WabaError } from '../contract';
import { t } from '../l10n';
import { saysNoSpace, webappDiskFullAdvice } from '../docker/dataRoot';

/** What to tell a user for error codes they can act on (read at the time of the error: in the user's language). */
function hint(code: number): string | undefined {
  switch (code) {
    case ErrorCode.AccessDenied: return t('This needs the admin user (or the credentials are wrong).');
    case ErrorCode.NotFound: return t('The resource does not exist.');
    case ErrorCode.ServiceNotReady: return t('The node is not ready yet; check its log.');
    case ErrorCode.RateLimited: return t('The webapp limits how often this may be called; wait a minute and retry.');
    case ErrorCode.NotPrimaryMaster: return t('No primary master holds the lease right now; retry in a few seconds.');
    case ErrorCode.NotPrimaryCoreapp: return t('The coreapp owning that shard is changing (failover); retry in a few seconds.');
    default: return undefined;
  }
}

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
    super(t('The webapp at {0} refused the password of {1}.', baseUrl, username));
  }
}

export function describeWabaFailure(status: number, errors: readonly WabaError[], path: string): string {
  const first = errors[0];
  if (status === 401 && !first) return t('{0}: not authorised (401). Log in again.', path);
  if (status === 429 && !first) return t('{0}: too many requests (429). {1}', path, hint(ErrorCode.RateLimited)!);
  if (!first) return t('{0} answered HTTP {1}.', path, status);
  // The code, title and details are the webapp's own words (English, as Meta documents them).
  const failure = first.details ? t('{0} failed with {1} {2}: {3}.', path, first.code, first.title, first.details) : t('{0} failed with {1} {2}.', path, first.code, first.title);
  // A node that could not write (its database or media volume): the disk under Docker's data root is full.
  const advice = saysNoSpace(`${first.title} ${first.details ?? ''}`) ? webappDiskFullAdvice() : hint(first.code);
  return advice ? `${failure} ${advice}` : failure;
}

/** `Retry-After` is seconds or an HTTP date (RFC 9110 §10.2.3). */
function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
