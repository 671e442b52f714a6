import { expect, it } from 'vitest';
import { MAX_JSON_DEPTH, nestsDeeperThan } from './index';

/** `levels` arrays and objects, alternating, one inside the other. */
function nested(levels: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < levels; i++) value = i % 2 ? { v: value } : [value];
  return value;
}

it('counts the value itself as level one, and only objects and arrays', () => {
  expect(nestsDeeperThan('text', 0)).toBe(false);
  expect(nestsDeeperThan({}, 0)).toBe(true);
  expect(nestsDeeperThan({}, 1)).toBe(false);
  expect(nestsDeeperThan({ a: 'x', b: [1, { c: null }] }, 3)).toBe(false);
  expect(nestsDeeperThan({ a: 'x', b: [1, { c: null }] }, 2)).toBe(true);
});

it('holds MAX_JSON_DEPTH by default, and measures a value far deeper than the call stack', () => {
  expect(nestsDeeperThan(nested(MAX_JSON_DEPTH))).toBe(false);
  expect(nestsDeeperThan(nested(MAX_JSON_DEPTH + 1))).toBe(true);
  expect(nestsDeeperThan(nested(100_000))).toBe(true);
});
