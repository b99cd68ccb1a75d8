import { ErrorCode, type WabaError } from '../contract';

/** What to tell a user for error codes they can act on. */
const HINTS: Record<number, string> = {
  [ErrorCode.AccessDenied]: 'This needs the admin user (or the credentials are wrong).',
  [ErrorCode.NotFound]: 'The resource does not exist.',
  [ErrorCode.ServiceNotReady]: 'The node is not ready yet; check its log.',
  [ErrorCode.NotPrimaryMaster]: 'No primary master holds the lease right now; retry in a few seconds.',
  [ErrorCode.NotPrimaryCoreapp]: 'The coreapp owning that shard is changing (failover); retry in a few seconds.',
};

/** A non-2xx answer of the webapp, with the envelope's first error. */
export class WabaApiError extends Error {
  constructor(readonly status: number, readonly errors: WabaError[], readonly path: string) {
    super(describeWabaFailure(status, errors, path));
  }
  get code(): number | undefined { return this.errors[0]?.code; }
}

export function describeWabaFailure(status: number, errors: readonly WabaError[], path: string): string {
  const first = errors[0];
  if (status === 401 && !first) return `${path}: not authorised (401). Log in again.`;
  if (!first) return `${path} answered HTTP ${status}.`;
  const details = first.details ? `: ${first.details}` : '';
  const hint = HINTS[first.code] ? ` ${HINTS[first.code]}` : '';
  return `${path} failed with ${first.code} ${first.title}${details}.${hint}`;
}
