import { expect, it } from 'vitest';
import { DedupeCache, NO_CONTEXT, exposureCode, hashText, seededTextHash } from './dedupe-cache';

it('remembers contexts and exposures until a new window', () => {
  const cache = new DedupeCache(100);
  expect(cache.context('user:a')).toBe(NO_CONTEXT);
  const a = cache.addContext('user:a');
  const code = exposureCode(1, true);
  expect(cache.hasExposure(a, 'f', code)).toBe(false);
  cache.noteExposure(a, 'f', code);
  cache.noteExposure(a, 'f', exposureCode(null, false));
  expect(cache.context('user:a')).toBe(a);
  expect(cache.hasExposure(a, 'f', code)).toBe(true);
  expect(cache.hasExposure(a, 'f', exposureCode(null, false))).toBe(true);
  expect(cache.hasExposure(a, 'f', exposureCode(0, true))).toBe(false);
  expect(cache.entries).toBe(3);
  cache.clear();
  expect(cache.context('user:a')).toBe(NO_CONTEXT);
  expect(cache.entries).toBe(0);
});

it('stays within its capacity, forgetting the contexts not read since before the others', () => {
  const cache = new DedupeCache(10);
  for (let i = 0; i < 5; i++) cache.noteExposure(cache.addContext(`user:${i}`), 'f', 1);
  expect(cache.entries).toBe(10);
  // user:0 and user:3 are read again; the next context pushes out the oldest unread ones
  cache.context('user:0');
  cache.context('user:3');
  cache.noteExposure(cache.addContext('user:5'), 'f', 1);
  expect(cache.entries).toBeLessThanOrEqual(10);
  expect(cache.context('user:0')).not.toBe(NO_CONTEXT);
  expect(cache.context('user:3')).not.toBe(NO_CONTEXT);
  expect(cache.context('user:5')).not.toBe(NO_CONTEXT);
  expect(cache.context('user:1')).toBe(NO_CONTEXT);
  for (let i = 6; i < 1000; i++) {
    cache.noteExposure(cache.addContext(`user:${i}`), 'f', i);
    expect(cache.entries).toBeLessThanOrEqual(10);
  }
});

it('keeps the context being recorded even when it alone is over capacity', () => {
  const cache = new DedupeCache(3);
  cache.addContext('user:old');
  const big = cache.addContext('user:big');
  for (let i = 0; i < 5; i++) cache.noteExposure(big, `f${i}`, 1);
  expect(cache.context('user:big')).toBe(big);
  expect(cache.context('user:old')).toBe(NO_CONTEXT);
  expect(cache.entries).toBe(6);
});

it('tells apart every flag and code of a context read in many flags', () => {
  const cache = new DedupeCache(1000);
  const seen = cache.addContext('user:a');
  const flags = ['f0', 'f1', 'f2', 'f3', 'f4'];
  const codes = [exposureCode(0, true), exposureCode(1, true), exposureCode(null, false)];
  flags.forEach((flag, i) => {
    // flag i is remembered with its first i % 3 + 1 codes
    for (let c = 0; c <= i % 3; c++) {
      expect(cache.hasExposure(seen, flag, codes[c]!)).toBe(false);
      cache.noteExposure(seen, flag, codes[c]!);
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

it('evicts contexts with all their exposures counted, however many flags', () => {
  const cache = new DedupeCache(10);
  for (let i = 0; i < 1000; i++) {
    const seen = cache.addContext(`user:${i}`);
    for (const flag of ['a', 'b', 'c']) cache.noteExposure(seen, flag, 1);
    expect(cache.entries).toBeLessThanOrEqual(10);
  }
  expect(cache.context('user:999')).not.toBe(NO_CONTEXT);
  expect(cache.context('user:997')).toBe(NO_CONTEXT);
});

// a request reads its context once per exposure: those reads come before any other context's and are no reason to keep it
it('gives the second chance to a context read again after other contexts, not to one read again in a row', () => {
  const cache = new DedupeCache(6);
  for (let i = 0; i < 3; i++) {
    const id = `user:${i}`;
    cache.noteExposure(cache.addContext(id), 'f', 1);
    expect(cache.context(id)).not.toBe(NO_CONTEXT);
  }
  // user:0 comes back after user:1 and user:2: the most recently used of the three
  expect(cache.context('user:0')).not.toBe(NO_CONTEXT);
  cache.noteExposure(cache.addContext('user:3'), 'f', 1);
  expect(cache.context('user:0')).not.toBe(NO_CONTEXT);
  expect(cache.context('user:1')).toBe(NO_CONTEXT);
  expect(cache.context('user:2')).not.toBe(NO_CONTEXT);
  expect(cache.entries).toBeLessThanOrEqual(6);
});

it('finds a context again after it was evicted and added anew', () => {
  const cache = new DedupeCache(2);
  const a = cache.addContext('user:a');
  cache.noteExposure(a, 'f', 1);
  // user:b pushes user:a out while user:a is the context found last
  cache.noteExposure(cache.addContext('user:b'), 'f', 1);
  expect(cache.context('user:a')).toBe(NO_CONTEXT);
  const again = cache.addContext('user:a');
  expect(cache.context('user:a')).toBe(again);
  expect(cache.hasExposure(again, 'f', 1)).toBe(false);
});

// the cache keeps 64-bit hashes, not key text: a test hash that collides stands in for the ≈ 3 × 10⁻¹² chance
const byLength = (text: string, out: Int32Array) => {
  out[0] = text.length;
  out[1] = 7;
};

it('takes two contexts whose keys share a hash for one, and tells other contexts and every flag apart', () => {
  const cache = new DedupeCache(100, byLength);
  const a = cache.addContext('user:a');
  cache.noteExposure(a, 'f', 1);
  // user:b has user:a's hash: its context event and that exposure count as sent
  expect(cache.context('user:b')).toBe(a);
  expect(cache.hasExposure(a, 'f', 1)).toBe(true);
  // flags are numbered per window, not hashed: 'g' is not 'f'
  expect(cache.hasExposure(a, 'g', 1)).toBe(false);
  // a key of another length is another context, with a probe that passes over user:a's slot
  expect(cache.context('user:ab')).toBe(NO_CONTEXT);
  const ab = cache.addContext('user:ab');
  expect(ab).not.toBe(a);
  expect(cache.hasExposure(ab, 'f', 1)).toBe(false);
  expect(cache.entries).toBe(3);
});

it('past 4,096 flags in a window keys further flags by their hash, apart from the numbered ones', () => {
  const cache = new DedupeCache(100_000, byLength);
  const a = cache.addContext('user:a');
  for (let i = 0; i < 4_096; i++) cache.noteExposure(a, `f${i}`, 1);
  // hashed by length: x1 and x2 share a key, but not with the numbered flags (f1 has x1's length)
  expect(cache.hasExposure(a, 'x1', 1)).toBe(false);
  cache.noteExposure(a, 'x1', 1);
  expect(cache.hasExposure(a, 'x2', 1)).toBe(true);
  expect(cache.hasExposure(a, 'x2', 3)).toBe(false);
  expect(cache.hasExposure(a, 'f1', 1)).toBe(true);
  expect(cache.hasExposure(a, 'f1', 3)).toBe(false);
  // a new window numbers flags afresh
  cache.clear();
  const again = cache.addContext('user:a');
  expect(cache.hasExposure(again, 'x1', 1)).toBe(false);
  cache.noteExposure(again, 'x1', 1);
  expect(cache.hasExposure(again, 'x2', 1)).toBe(false);
});

it('gives different hashes to keys that differ in one character, their order, or their length', () => {
  const seen = new Set<string>();
  const out = new Int32Array(2);
  const keys = ['user:a', 'user:b', 'user:ab', 'user:ba', 'user:a\0', '', 'a', '[["org","acme"],["user","u:1"]]'];
  for (let i = 0; i < 20_000; i++) keys.push(`user:${i}`);
  for (const key of keys) {
    hashText(key, out);
    seen.add(`${out[0]},${out[1]}`);
  }
  expect(seen.size).toBe(keys.length);
});

it('finds every context and exposure still held after evictions moved others out of their probe paths', () => {
  const cache = new DedupeCache(600);
  const held = new Map<string, number>();
  for (let i = 0; i < 5_000; i++) {
    const id = `user:${(i * 7919) % 3_001}`;
    let record = cache.context(id);
    if (record === NO_CONTEXT) record = cache.addContext(id);
    if (!cache.hasExposure(record, `flag-${i % 5}`, 3)) cache.noteExposure(record, `flag-${i % 5}`, 3);
    held.set(id, i);
    expect(cache.entries).toBeLessThanOrEqual(600);
  }
  // the last 200 distinct contexts have at most 2 entries each: within capacity, so all still held with their exposure
  const recent = [...held.entries()].sort((x, y) => y[1] - x[1]).slice(0, 200);
  for (const [id, i] of recent) {
    const record = cache.context(id);
    expect(record).not.toBe(NO_CONTEXT);
    expect(cache.hasExposure(record, `flag-${i % 5}`, 3)).toBe(true);
  }
});

it('keeps its tables bounded by the capacity, not by the contexts and exposures it has seen', () => {
  const cache = new DedupeCache(1_000);
  const slots: number[] = [];
  for (let round = 0; round < 4; round++) {
    for (let i = 0; i < 50_000; i++) {
      const record = cache.addContext(`user:${round}:${i}`);
      cache.noteExposure(record, 'f', i & 7);
      if (i % 3 === 0) cache.noteExposure(record, 'g', 1);
    }
    expect(cache.entries).toBeLessThanOrEqual(1_000);
    slots.push(cache.slots);
  }
  // 1,001 records, 2,048 context slots and 4,096–8,192 exposure slots at most; no growth after the first round
  expect(slots[0]).toBeLessThanOrEqual(1_001 + 2_048 + 8_192);
  expect(new Set(slots).size).toBe(1);
});

it('forgets everything in a new window and keeps its tables for the next', () => {
  const cache = new DedupeCache(5_000);
  for (let i = 0; i < 3_000; i++) cache.noteExposure(cache.addContext(`user:${i}`), 'f', 1);
  const slots = cache.slots;
  cache.clear();
  expect(cache.entries).toBe(0);
  expect(cache.slots).toBe(slots);
  for (let i = 0; i < 3_000; i++) expect(cache.context(`user:${i}`)).toBe(NO_CONTEXT);
  const again = cache.addContext('user:7');
  expect(cache.hasExposure(again, 'f', 1)).toBe(false);
  expect(cache.context('user:7')).toBe(again);
});

it('seeds its hash per pipeline from the platform: the same key hashes differently under two seeds, the same under one', () => {
  let next = 0.125;
  const first = seededTextHash(() => next);
  next = 0.625;
  const second = seededTextHash(() => next);
  const a = new Int32Array(2);
  const b = new Int32Array(2);
  first('user:u_1', a);
  second('user:u_1', b);
  expect([...a]).not.toEqual([...b]);
  first('user:u_1', b);
  expect([...b]).toEqual([...a]);
  hashText('user:u_1', b);
  expect([...b]).not.toEqual([...a]);
});

it('notes an exposure in one probe as a lookup and then an insert would: new once, then known, stale slots reused', () => {
  // two caches driven alike, one through noteExposure alone, one asking hasExposure first (the lookup it answers must agree)
  const noted = new DedupeCache(300);
  const paired = new DedupeCache(300);
  let state = 7;
  const next = (n: number): number => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) % n);
  // the first step where they disagree, compared without expect() per step (60,000 of them took seconds under load)
  let disagreed: object | null = null;
  for (let i = 0; i < 20_000 && disagreed === null; i++) {
    const id = `user:${next(400)}`;
    const flag = `flag-${next(6)}`;
    const code = exposureCode(next(3) - 1 < 0 ? null : next(3), next(2) === 1);
    let a = noted.context(id);
    if (a === NO_CONTEXT) a = noted.addContext(id);
    let b = paired.context(id);
    if (b === NO_CONTEXT) b = paired.addContext(id);
    const known = paired.hasExposure(b, flag, code);
    if (!known) paired.noteExposure(b, flag, code);
    const isNew = noted.noteExposure(a, flag, code);
    if (a !== b || isNew === known || noted.entries !== paired.entries) disagreed = { step: i, a, b, isNew, known, entries: [noted.entries, paired.entries] };
  }
  expect(disagreed).toBeNull();
  // evictions made stale slots all along (400 contexts, room for 300 entries); the table stayed within its bound
  expect(noted.slots).toBe(paired.slots);
  const record = noted.addContext('user:new');
  expect(noted.noteExposure(record, 'flag-0', 1)).toBe(true);
  expect(noted.noteExposure(record, 'flag-0', 1)).toBe(false);
  expect(noted.hasExposure(record, 'flag-0', 1)).toBe(true);
});

it("keeps a context's first exposures in its record, the rest in the table, and none of them for the record's next context", () => {
  const cache = new DedupeCache(100);
  const a = cache.addContext('user:a');
  // six flags × two codes: four in the record, eight in the exposure table
  for (let f = 0; f < 6; f++) for (const code of [1, 3]) expect(cache.noteExposure(a, `f${f}`, code)).toBe(true);
  for (let f = 0; f < 6; f++) {
    for (const code of [1, 3]) {
      expect(cache.hasExposure(a, `f${f}`, code)).toBe(true);
      expect(cache.noteExposure(a, `f${f}`, code)).toBe(false);
    }
    expect(cache.hasExposure(a, `f${f}`, 5)).toBe(false);
  }
  expect(cache.entries).toBe(13);
  const b = cache.addContext('user:b');
  expect(cache.hasExposure(b, 'f0', 1)).toBe(false);

  // a forgotten context's record goes to the next new context, without its exposures
  const small = new DedupeCache(4);
  const first = small.addContext('user:first');
  for (const flag of ['x', 'y', 'z']) small.noteExposure(first, flag, 1);
  const second = small.addContext('user:second');
  expect(small.context('user:first')).toBe(NO_CONTEXT);
  const third = small.addContext('user:third');
  expect([second, third]).toContain(first);
  const reused = third === first ? third : second;
  for (const flag of ['x', 'y', 'z']) expect(small.hasExposure(reused, flag, 1)).toBe(false);
  expect(small.noteExposure(reused, 'x', 1)).toBe(true);
  expect(small.hasExposure(reused, 'x', 1)).toBe(true);
});

it('keeps exposures of flags past the numbered ones in the table while the record has places left', () => {
  const cache = new DedupeCache(10_000);
  const filler = cache.addContext('user:filler');
  // 4,096 flags numbered in this window by another context's exposures: later flags are keyed by their text's hash
  for (let i = 0; i < 4_096; i++) cache.noteExposure(filler, `n${i}`, 1);
  const a = cache.addContext('user:a');
  expect(cache.noteExposure(a, 'hashed-1', 1)).toBe(true);
  expect(cache.noteExposure(a, 'n7', 1)).toBe(true);
  expect(cache.noteExposure(a, 'hashed-1', 1)).toBe(false);
  expect(cache.hasExposure(a, 'hashed-1', 3)).toBe(false);
  expect(cache.hasExposure(a, 'hashed-2', 1)).toBe(false);
  expect(cache.hasExposure(a, 'n7', 1)).toBe(true);
  expect(cache.hasExposure(a, 'n8', 1)).toBe(false);
});

it('sizes its exposure table by the exposures held outside the records, through evictions', () => {
  const cache = new DedupeCache(1_000);
  const slotsAfter: number[] = [];
  // first contexts whose exposures all fit in their records, then ones with eight more each in the table
  for (const [contexts, exposures] of [
    [3_000, 4],
    [3_000, 12],
  ] as const) {
    // counted, not expect()ed one by one: 51,000 expect() calls took seconds under load
    let known = 0;
    let most = 0;
    for (let i = 0; i < contexts; i++) {
      const record = cache.addContext(`user:${exposures}:${i}`);
      for (let f = 0; f < exposures; f++) if (!cache.noteExposure(record, `f${f}`, 1)) known++;
      most = Math.max(most, cache.entries);
    }
    expect(known).toBe(0);
    expect(most).toBeLessThanOrEqual(1_000);
    slotsAfter.push(cache.slots);
  }
  // ≈ 76 contexts held at the end, ≈ 610 of their exposures in the table, which the record places do not count in:
  // more than half of its first 1,024 slots, so it grew to 4,096 (a quarter full at most after a rebuild)
  expect(slotsAfter[1]! - slotsAfter[0]!).toBe(3_072);
  const last = cache.context('user:12:2999');
  for (let f = 0; f < 12; f++) expect(cache.hasExposure(last, `f${f}`, 1)).toBe(true);
});

it('marks a context record: the mark holds until the record is forgotten or the window ends', () => {
  const cache = new DedupeCache(4);
  const a = cache.addContext('user:a');
  cache.noteExposure(a, 'f', 1);
  const mark = cache.mark(a);
  expect(mark).toBeGreaterThanOrEqual(0);
  expect(cache.holds(mark)).toBe(true);
  // held marks count as reads: user:a outlives the first context added after it
  cache.noteExposure(cache.addContext('user:b'), 'f', 1);
  cache.noteExposure(cache.addContext('user:c'), 'f', 1);
  expect(cache.context('user:a')).toBe(a);
  expect(cache.holds(mark)).toBe(true);
  for (let i = 0; i < 6; i++) cache.noteExposure(cache.addContext(`user:${i}`), 'f', 1);
  expect(cache.context('user:a')).toBe(NO_CONTEXT);
  expect(cache.holds(mark)).toBe(false);
  // its record reused by another context is another life of it
  const reused = cache.addContext('user:a');
  const again = cache.mark(reused);
  expect(again).not.toBe(mark);
  expect(cache.holds(again)).toBe(true);
  cache.clear();
  expect(cache.holds(again)).toBe(false);
  expect(cache.holds(cache.mark(cache.addContext('user:a')))).toBe(true);
  expect(cache.holds(-1 >>> 0)).toBe(false);
});
