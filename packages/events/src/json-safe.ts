import { isObject } from '@avsb/common';
import type { JsonObject, JsonValue } from './wire';

/**
 * Deeper values are left out: `@avsb/protocol`'s `MAX_JSON_DEPTH`, the engine's context limit. Written out, not
 * imported: a page's bundle (this file is in it) measured 2 B gzipped larger importing it (14,799 -> 14,801 B);
 * json-safe.test.ts holds the two equal.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * The most one copy visits: values plus string characters. A batch holds at
 * most 1 MiB, so anything bigger could never be sent; the budget also keeps a
 * huge (or sparse, `length` 2^32−1) array from stalling a flush.
 */
export const MAX_JSON_BUDGET = 1 << 20;

interface Walk {
  budget: number;
  readonly ancestors: object[];
}

/**
 * A deep copy of `value` as plain JSON, following `JSON.stringify`'s rules
 * (`toJSON` is called; `undefined`, functions and symbols are left out of
 * objects and become `null` in arrays; non-finite numbers become `null`) but
 * never throwing: cycles, `BigInt`s, values deeper than 64 levels, values
 * past {@link MAX_JSON_BUDGET}, and getters or proxies that throw are left
 * out. Returns `undefined` when the value itself cannot be represented.
 */
export function toJson(value: unknown): JsonValue | undefined {
  return copy(value, 0, { budget: MAX_JSON_BUDGET, ancestors: [] });
}

/** {@link toJson} for a value that must be an object; `undefined` when it is not one. */
export function toJsonObject(value: unknown): JsonObject | undefined {
  const json = copy(value, 0, { budget: MAX_JSON_BUDGET, ancestors: [] });
  return isObject(json) ? (json as JsonObject) : undefined;
}

/**
 * {@link toJsonObject} of a shallow copy of `value` (its own enumerable
 * members in a new plain object), without making that copy: the same JSON,
 * one walk fewer. As making the copy would, it throws what reading `value`'s
 * keys or members throws. `value` must have no own `toJSON` (the copy's would
 * be called with the copy as `this`).
 */
export function toJsonMembers(value: Record<string, unknown>): JsonObject | undefined {
  return copyMembers(value, 0, { budget: MAX_JSON_BUDGET - 1, ancestors: [] }, false);
}

/** The members of an object as JSON; `guardReads`: a member whose read throws is left out instead of thrown. */
function copyMembers(value: Record<string, unknown>, depth: number, walk: Walk, guardReads: boolean): JsonObject | undefined {
  const out: JsonObject = {};
  const keys = Object.keys(value);
  if (keys.length > walk.budget) return undefined;
  for (const key of keys) {
    walk.budget -= key.length;
    let member: JsonValue | undefined;
    try {
      member = copy(value[key], depth + 1, walk);
    } catch (error) {
      if (!guardReads) throw error; // copy() never throws: only reading the member did
    }
    if (member !== undefined) setOwn(out, key, member);
  }
  return out;
}

/** Sets an own property, even one named `__proto__`. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

function copy(value: unknown, depth: number, walk: Walk): JsonValue | undefined {
  try {
    if (--walk.budget < 0) return undefined;
    switch (typeof value) {
      case 'string':
        walk.budget -= value.length;
        return walk.budget < 0 ? undefined : value;
      case 'boolean':
        return value;
      case 'number':
        return Number.isFinite(value) ? value : null;
      case 'object':
        break;
      default:
        return undefined; // undefined, function, symbol, bigint
    }
    if (value === null) return null;
    const { ancestors } = walk;
    if (depth >= MAX_JSON_DEPTH || ancestors.includes(value)) return undefined;
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') {
      const replaced: unknown = toJSON.call(value);
      return replaced === value ? undefined : copy(replaced, depth + 1, walk);
    }
    ancestors.push(value);
    try {
      if (Array.isArray(value)) {
        if (value.length > walk.budget) return undefined;
        const out: JsonValue[] = [];
        for (let i = 0; i < value.length; i++) out.push(copy(value[i], depth + 1, walk) ?? null);
        return out;
      }
      return copyMembers(value as Record<string, unknown>, depth, walk, true);
    } finally {
      ancestors.pop();
    }
  } catch {
    return undefined; // a proxy or getter that throws
  }
}
