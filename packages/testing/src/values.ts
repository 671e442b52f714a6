import type { JsonValue } from '@avsb/core';

/** Thrown by `TestData` and its builders for a mistake in a test's flag setup; the message says what to fix. */
export class TestDataError extends Error {
  override readonly name = 'TestDataError';
}

/** A JSON text with object members sorted, so equal values compare equal whatever their key order. */
export function canonical(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    // member names are data: on a plain object `out['__proto__'] = v` would set the prototype and drop the member
    const out = Object.create(null) as Record<string, unknown>;
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

/** A deep copy of a JSON value (throws `TestDataError` for anything JSON cannot carry). */
export function cloneJson<T>(value: T, what: string): T {
  checkJson(value, what);
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Checks that `value` is a JSON value: no `undefined`, functions, symbols, bigints or non-finite numbers. */
export function checkJson(value: unknown, what: string, depth = 0): asserts value is JsonValue {
  if (depth > 64) throw new TestDataError(`${what}: nested more than 64 levels deep`);
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TestDataError(`${what}: ${value} is not a JSON number`);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => checkJson(item, `${what}[${i}]`, depth + 1));
    return;
  }
  if (typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) checkJson(item, `${what}.${key}`, depth + 1);
    return;
  }
  throw new TestDataError(`${what}: ${String(value)} (${typeof value}) is not a JSON value`);
}

/** A short rendering of a value for messages. */
export function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
