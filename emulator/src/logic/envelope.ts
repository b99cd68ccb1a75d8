// Response envelope; the error catalogue itself is the wire contract's (src/contract/errors.ts).
import { ERROR_CATALOGUE, ErrorCode, type KnownErrorCode, type WabaError } from '../../../src/contract';

export { ErrorCode };

export interface Meta {
  api_status: 'stable';
  version: string;
}

/** The wire shape of one error (src/contract). */
export type ErrorObject = WabaError;

export class ApiError extends Error {
  readonly code: number;
  readonly title: string;
  readonly httpStatus: number;
  readonly details: string;

  /** `code` is one the catalogue names, so a typo does not compile into "Generic error". */
  constructor(code: KnownErrorCode, details: string, httpStatus?: number) {
    super(`${code}: ${details}`);
    const known = ERROR_CATALOGUE[code];
    this.code = code;
    this.title = known.title;
    this.httpStatus = httpStatus ?? known.http;
    this.details = details;
  }

  /** An error another node answered, passed on as it came; a code the catalogue lacks becomes 1014 naming it. */
  static fromWire(error: Partial<WabaError> | undefined, httpStatus: number, fallbackDetails: string): ApiError {
    const code = error?.code;
    if (code !== undefined && isKnownCode(code)) return new ApiError(code, error?.details ?? fallbackDetails, httpStatus);
    return new ApiError(ErrorCode.InternalError, code === undefined ? fallbackDetails : `node answered error ${code}: ${error?.details ?? fallbackDetails}`, httpStatus);
  }

  toObject(): ErrorObject {
    return { code: this.code, title: this.title, details: this.details };
  }
}

function isKnownCode(code: number): code is KnownErrorCode {
  return Object.prototype.hasOwnProperty.call(ERROR_CATALOGUE, code);
}

export function metaFor(version: string): Meta {
  return { api_status: 'stable', version: `v${version}` };
}

export function errorBody(errors: ErrorObject[], version: string): { errors: ErrorObject[]; meta: Meta } {
  return { errors, meta: metaFor(version) };
}

/** The per-node answer the real Webapp shows for a node that is down or not set up yet. */
export const NOT_INSTANTIATED: ErrorObject = {
  code: ErrorCode.ServiceNotReady,
  title: 'Service not ready',
  details: 'Wacore is not instantiated. Please check wacore log for details.',
};
