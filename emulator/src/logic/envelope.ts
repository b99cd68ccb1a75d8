// Response envelope; the error catalogue itself is the wire contract's (src/contract/errors.ts).
import { ERROR_CATALOGUE, ErrorCode, type WabaError } from '../../../src/contract';

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

  constructor(code: number, details: string, httpStatus?: number) {
    super(`${code}: ${details}`);
    const known = ERROR_CATALOGUE[code] ?? ERROR_CATALOGUE[ErrorCode.Generic];
    this.code = code;
    this.title = known.title;
    this.httpStatus = httpStatus ?? known.http;
    this.details = details;
  }

  toObject(): ErrorObject {
    return { code: this.code, title: this.title, details: this.details };
  }
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
