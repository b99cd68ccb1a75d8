// Response envelope and the On-Premises error catalogue (waba-api.md §3.3, §5).

export interface Meta {
  api_status: 'stable';
  version: string;
}

export interface ErrorObject {
  code: number;
  title: string;
  details?: string;
}

const CATALOGUE: Record<number, { title: string; http: number }> = {
  1000: { title: 'Generic error', http: 500 },
  1001: { title: 'Message too long', http: 400 },
  1004: { title: 'Resource already exists', http: 409 },
  1005: { title: 'Access denied', http: 403 },
  1006: { title: 'Resource not found', http: 404 },
  1008: { title: 'Required parameter is missing', http: 400 },
  1009: { title: 'Parameter value is not valid', http: 400 },
  1010: { title: 'Parameter is not required', http: 400 },
  1011: { title: 'Service not ready', http: 503 },
  1014: { title: 'Internal error', http: 500 },
  1017: { title: 'Not Primary Master', http: 503 },
  1018: { title: 'Not Primary Coreapp', http: 503 },
  1021: { title: 'Bad User', http: 400 },
  1023: { title: 'Database error occurred', http: 500 },
  1024: { title: 'Password Change Required', http: 400 },
  2014: { title: 'Expected Namespace is Empty', http: 400 },
};

export class ApiError extends Error {
  readonly code: number;
  readonly title: string;
  readonly httpStatus: number;
  readonly details: string;

  constructor(code: number, details: string, httpStatus?: number) {
    super(`${code}: ${details}`);
    const known = CATALOGUE[code] ?? { title: 'Generic error', http: 500 };
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
  code: 1011,
  title: 'Service not ready',
  details: 'Wacore is not instantiated. Please check wacore log for details.',
};
