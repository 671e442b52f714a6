import { describe, expect, it } from 'vitest';
import { packedVariation } from '../src/index';
import { rawEngine } from './support/wasm';

// A released context's record block is kept for the next registration
// (assembly/context/record-blocks.ts): a server registers each new user's
// context and releases it a request later. The test binary counts the blocks
// taken from the allocator, so these tests see a reuse; the evaluations see
// that a reused block holds nothing of the context before.

/** Flag 0 serves 1 when `plan` is "pro"; flag 1 when a `tags` item is "beta"; both 0 otherwise. */
const DATAFILE = JSON.stringify({
  schemaVersion: 1,
  flags: [
    { key: 'plan', on: true, variations: [0, 1], offVariation: 0, rules: [{ id: 'r', clauses: [{ attribute: 'plan', op: 'in', values: ['pro'] }], serve: { variation: 1 } }], fallthrough: { variation: 0 } },
    { key: 'tags', on: true, variations: [0, 1], offVariation: 0, rules: [{ id: 'r', clauses: [{ attribute: 'tags', op: 'in', values: ['beta'] }], serve: { variation: 1 } }], fallthrough: { variation: 0 } },
  ],
});

function engine() {
  const e = rawEngine('test');
  expect(e.x.avsb_load(e.put(DATAFILE)), e.error()).toBe(0);
  e.x.test_record_allocations();
  const register = (context: object): number => {
    const handle = e.x.avsb_ctx_create(e.put(JSON.stringify(context))) as number;
    expect(handle, e.error()).toBeGreaterThan(0);
    return handle;
  };
  const variation = (handle: number, flag: number): number => packedVariation(e.x.avsb_eval(handle, flag) as number);
  return { ...e, register, variation };
}

const user = (i: number) => ({ kind: 'user', key: `u-${String(i).padStart(5, '0')}`, email: `user${i}@example.com`, plan: i % 2 ? 'pro' : 'free', age: 20 + (i % 50) });

describe('record blocks', () => {
  it('a new user registered after the last one was released takes its block: 1,000 users in turn, one block from the allocator', () => {
    const { x, register, variation } = engine();
    for (let i = 0; i < 1_000; i++) {
      const h = register(user(i));
      expect(variation(h, 0)).toBe(i % 2);
      expect(x.avsb_ctx_release(h)).toBe(0);
    }
    expect(x.test_record_allocations()).toBe(1);
  });

  it('contexts held together each take a block of their own', () => {
    const { x, register } = engine();
    const held = Array.from({ length: 10 }, (_, i) => register(user(i)));
    expect(x.test_record_allocations()).toBe(10);
    for (const h of held) expect(x.avsb_ctx_release(h)).toBe(0);
    register(user(10));
    expect(x.test_record_allocations()).toBe(0);
  });

  it('a reused block answers for its new context only: a member or an array item the one before had is missing', () => {
    const { x, register, variation } = engine();
    const before = register({ key: 'a', plan: 'pro', tags: ['x', 'beta', 'y', 'z'], note: 'a long member, so the block is larger' });
    expect([variation(before, 0), variation(before, 1)]).toEqual([1, 1]);
    x.avsb_ctx_release(before);
    const after = register({ key: 'b', tags: ['x'], note: 'a long member, so the block is larger' });
    expect(x.test_record_allocations()).toBe(1 + 0); // the first block only
    expect([variation(after, 0), variation(after, 1)]).toEqual([0, 0]);
    expect(x.avsb_ctx_release(before)).not.toBe(0); // its handle stays stale
  });

  it('a released large context is not kept for small ones, and memory stays bounded', () => {
    const { x, register, variation, memoryBytes } = engine();
    const big = register({ key: 'big', plan: 'pro', blob: 'x'.repeat(200_000) });
    x.avsb_ctx_release(big);
    x.test_record_allocations();
    const small = register(user(1));
    expect(x.test_record_allocations()).toBe(1); // a block of its size, not the large one
    expect(variation(small, 0)).toBe(1);
    x.avsb_ctx_release(small);
    const bytes = memoryBytes();
    for (let i = 0; i < 20_000; i++) {
      const h = register(i % 100 === 0 ? { key: `big${i}`, blob: 'y'.repeat(50_000 + i) } : user(i));
      x.avsb_ctx_release(h);
    }
    expect(memoryBytes()).toBe(bytes);
  });
});
