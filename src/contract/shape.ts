// Runtime checks of wire bodies: each parser of the contract returns the typed body or throws a
// ShapeError naming the path that did not fit, so a client reports "support.master1:…shards[0]
// must be [first, last]" instead of failing later on undefined.

export class ShapeError extends Error {
  constructor(readonly path: string, readonly expected: string, readonly actual: unknown) {
    super(`${path || 'body'} must be ${expected}, not ${describe(actual)}`);
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value);
  return text.length > 40 ? `${typeof value} ${text.slice(0, 37)}…` : `${typeof value} ${text}`;
}

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function object(value: unknown, path: string): Json {
  if (!isObject(value)) throw new ShapeError(path, 'an object', value);
  return value;
}

export function array(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw new ShapeError(path, 'an array', value);
  return value;
}

export function string(value: unknown, path: string): string {
  if (typeof value !== 'string') throw new ShapeError(path, 'a string', value);
  return value;
}

export function number(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new ShapeError(path, 'a number', value);
  return value;
}

export function boolean(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') throw new ShapeError(path, 'true or false', value);
  return value;
}

export function oneOf<T extends string>(value: unknown, allowed: readonly T[], path: string): T {
  if (!allowed.includes(value as T)) throw new ShapeError(path, `one of ${allowed.join(', ')}`, value);
  return value as T;
}

/** Runs check on value when present; undefined stays undefined. */
export function optional<T>(value: unknown, path: string, check: (v: unknown, p: string) => T): T | undefined {
  return value === undefined ? undefined : check(value, path);
}

export function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}
