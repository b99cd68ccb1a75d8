// Request body validation: 1008 for a missing field, 1009 for a bad value, always naming the field.
import { ApiError, ErrorCode } from './envelope';

export type Body = Record<string, unknown>;

export function asBody(value: unknown): Body {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new ApiError(ErrorCode.InvalidParameter, 'Request body must be a JSON object');
  return value as Body;
}

export function missing(field: string): ApiError {
  return new ApiError(ErrorCode.MissingParameter, `Missing required parameter: ${field}`);
}

export function invalid(field: string, why: string): ApiError {
  return new ApiError(ErrorCode.InvalidParameter, `Invalid value for parameter ${field}: ${why}`);
}

export function requireString(body: Body, field: string, pattern?: RegExp, hint?: string): string {
  const v = body[field];
  if (v === undefined || v === null || v === '') throw missing(field);
  if (typeof v !== 'string') throw invalid(field, 'must be a string');
  if (pattern && !pattern.test(v)) throw invalid(field, hint ?? `must match ${pattern}`);
  return v;
}

export function optionalString(body: Body, field: string, pattern?: RegExp, hint?: string): string | undefined {
  if (body[field] === undefined || body[field] === null) return undefined;
  return requireString(body, field, pattern, hint);
}

export function requireOneOf<T extends string | number>(body: Body, field: string, allowed: readonly T[]): T {
  const v = body[field];
  if (v === undefined || v === null || v === '') throw missing(field);
  if (!allowed.includes(v as T)) throw invalid(field, `must be one of ${allowed.join(', ')}`);
  return v as T;
}
