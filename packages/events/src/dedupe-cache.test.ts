import { expect, it } from 'vitest';
import { DedupeCache, exposureCode } from './dedupe-cache';

it('remembers contexts and exposures until a new window', () => {
  const cache = new DedupeCache(100);
  expect(cache.context('user:a')).toBeUndefined();
  const a = cache.addContext('user:a');
  const code = exposureCode(1, true);
  expect(cache.hasExposure(a, 'f', code)).toBe(false);
  cache.addExposure(a, 'f', code);
  cache.addExposure(a, 'f', exposureCode(null, false));
  expect(cache.context('user:a')).toBe(a);
  expect(cache.hasExposure(a, 'f', code)).toBe(true);
  expect(cache.hasExposure(a, 'f', exposureCode(null, false))).toBe(true);
  expect(cache.hasExposure(a, 'f', exposureCode(0, true))).toBe(false);
  expect(cache.entries).toBe(3);
  cache.clear();
  expect(cache.context('user:a')).toBeUndefined();
  expect(cache.entries).toBe(0);
});

it('stays within its capacity, forgetting the contexts not read since before the others', () => {
  const cache = new DedupeCache(10);
  for (let i = 0; i < 5; i++) cache.addExposure(cache.addContext(`user:${i}`), 'f', 1);
  expect(cache.entries).toBe(10);
  // user:0 and user:3 are read again; the next context pushes out the oldest unread ones
  cache.context('user:0');
  cache.context('user:3');
  cache.addExposure(cache.addContext('user:5'), 'f', 1);
  expect(cache.entries).toBeLessThanOrEqual(10);
  expect(cache.context('user:0')).toBeDefined();
  expect(cache.context('user:3')).toBeDefined();
  expect(cache.context('user:5')).toBeDefined();
  expect(cache.context('user:1')).toBeUndefined();
  for (let i = 6; i < 1000; i++) {
    cache.addExposure(cache.addContext(`user:${i}`), 'f', i);
    expect(cache.entries).toBeLessThanOrEqual(10);
  }
});

it('keeps the context being recorded even when it alone is over capacity', () => {
  const cache = new DedupeCache(3);
  cache.addContext('user:old');
  const big = cache.addContext('user:big');
  for (let i = 0; i < 5; i++) cache.addExposure(big, `f${i}`, 1);
  expect(cache.context('user:big')).toBe(big);
  expect(cache.context('user:old')).toBeUndefined();
  expect(cache.entries).toBe(6);
});

// a context's first two flags are kept in fields of its entry, the rest in a Map
it('tells apart every flag and code of a context read in many flags', () => {
  const cache = new DedupeCache(1000);
  const seen = cache.addContext('user:a');
  const flags = ['f0', 'f1', 'f2', 'f3', 'f4'];
  const codes = [exposureCode(0, true), exposureCode(1, true), exposureCode(null, false)];
  flags.forEach((flag, i) => {
    // flag i is remembered with its first i % 3 + 1 codes
    for (let c = 0; c <= i % 3; c++) {
      expect(cache.hasExposure(seen, flag, codes[c]!)).toBe(false);
      cache.addExposure(seen, flag, codes[c]!);
    }
  });
  flags.forEach((flag, i) => {
    codes.forEach((code, c) => expect(cache.hasExposure(seen, flag, code)).toBe(c <= i % 3));
  });
  expect(cache.hasExposure(seen, 'other', codes[0]!)).toBe(false);
  expect(cache.entries).toBe(1 + 1 + 2 + 3 + 1 + 2);
  // a second context starts with no exposures of its own
  const other = cache.addContext('user:b');
  expect(flags.some((flag) => codes.some((code) => cache.hasExposure(other, flag, code)))).toBe(false);
});

it('evicts contexts with all their exposures counted, those in fields and those in the Map', () => {
  const cache = new DedupeCache(10);
  for (let i = 0; i < 1000; i++) {
    const seen = cache.addContext(`user:${i}`);
    for (const flag of ['a', 'b', 'c']) cache.addExposure(seen, flag, 1);
    expect(cache.entries).toBeLessThanOrEqual(10);
  }
  expect(cache.context('user:999')).toBeDefined();
  expect(cache.context('user:997')).toBeUndefined();
});

// a request reads its context once per exposure: those reads come before any other context's and are no reason to keep it
it('gives the second chance to a context read again after other contexts, not to one read again in a row', () => {
  const cache = new DedupeCache(6);
  for (let i = 0; i < 3; i++) {
    const id = `user:${i}`;
    cache.addExposure(cache.addContext(id), 'f', 1);
    expect(cache.context(id)).toBeDefined();
  }
  // user:0 comes back after user:1 and user:2: the most recently used of the three
  expect(cache.context('user:0')).toBeDefined();
  cache.addExposure(cache.addContext('user:3'), 'f', 1);
  expect(cache.context('user:0')).toBeDefined();
  expect(cache.context('user:1')).toBeUndefined();
  expect(cache.context('user:2')).toBeDefined();
  expect(cache.entries).toBeLessThanOrEqual(6);
});

it('finds a context again after it was evicted and added anew', () => {
  const cache = new DedupeCache(2);
  const a = cache.addContext('user:a');
  cache.addExposure(a, 'f', 1);
  // user:b pushes user:a out while user:a is the context found last
  cache.addExposure(cache.addContext('user:b'), 'f', 1);
  expect(cache.context('user:a')).toBeUndefined();
  const again = cache.addContext('user:a');
  expect(again).not.toBe(a);
  expect(cache.context('user:a')).toBe(again);
  expect(cache.hasExposure(again, 'f', 1)).toBe(false);
});
