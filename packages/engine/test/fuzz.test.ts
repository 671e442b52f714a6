import fc from 'fast-check';
import { expect, it } from 'vitest';
import { guideDatafile } from './support/fixtures';
import { rawEngine } from './support/wasm';

// Bad input gets a status code, never a trap: a trap here would throw a
// WebAssembly.RuntimeError out of the raw export and fail the property.

const guideJson = JSON.stringify(guideDatafile);
const enc = new TextEncoder();

function mutate(bytes: Uint8Array, edits: [number, number][]): Uint8Array {
  const out = bytes.slice();
  for (const [at, value] of edits) out[at % out.length] = value;
  return out;
}

it.each(['release', 'debug'] as const)('refuses random bytes as a datafile and as a context (%s)', (binary) => {
  const { x, put } = rawEngine(binary);
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
      const s = x.avsb_load(put(bytes));
      expect([0, 1, 2]).toContain(s);
      const h = x.avsb_ctx_create(put(bytes));
      expect(h === -2 || h > 0).toBe(true);
    }),
    { numRuns: 3000 },
  );
});

it.each(['release', 'debug'] as const)('survives mutated datafiles and keeps the last good one (%s)', (binary) => {
  const { x, put } = rawEngine(binary);
  const good = enc.encode(guideJson);
  expect(x.avsb_load(put(good))).toBe(0);
  const h = x.avsb_ctx_create(put('{"key":"u_1"}'));
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }), (edits) => {
      const status = x.avsb_load(put(mutate(good, edits)));
      expect([0, 1, 2]).toContain(status);
      if (status !== 0) expect(x.avsb_eval(h, 0) & 0xfff).toBe(1); // still the good datafile
      x.avsb_load(put(good));
    }),
    { numRuns: 2000 },
  );
});

it.each(['release', 'debug'] as const)('accepts or refuses arbitrary JSON contexts without trapping (%s)', (binary) => {
  const { x, put, error } = rawEngine(binary);
  expect(x.avsb_load(put(guideJson))).toBe(0);
  fc.assert(
    fc.property(fc.jsonValue({ maxDepth: 6 }), fc.string(), (value, key) => {
      const ctx = typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...value, key } : value;
      const h = x.avsb_ctx_create(put(JSON.stringify(ctx)));
      if (h > 0) {
        const r = x.avsb_eval(h, 0);
        expect((r >>> 12) & 7).toBeLessThan(5);
        expect(x.avsb_ctx_release(h)).toBe(0);
      } else {
        expect(h).toBe(-2);
        expect(error()).toMatch(/^context/);
      }
    }),
    { numRuns: 3000 },
  );
});

it('refuses nesting deeper than 64 and keeps going', () => {
  const { x, put, error } = rawEngine('release');
  const deep = '{"key":"a","x":' + '['.repeat(100_000) + ']'.repeat(100_000) + '}';
  expect(x.avsb_ctx_create(put(deep))).toBe(-2);
  expect(error()).toContain('nesting deeper than 64');
  expect(x.avsb_load(put('{"schemaVersion":1,"flags":' + '['.repeat(5000)))).toBe(1);
  expect(error()).toContain('nesting deeper than 64');
});

it('handles huge strings, odd keys and __proto__ as plain data', () => {
  const { x, put } = rawEngine('release');
  const df = JSON.parse(guideJson);
  df.flags[0].rules.push({ id: 'proto', clauses: [{ attribute: '__proto__', op: 'in', values: ['yes'] }], serve: { variation: 1 } });
  expect(x.avsb_load(put(JSON.stringify(df)))).toBe(0);
  const h = x.avsb_ctx_create(put('{"key":"z","__proto__":"yes","constructor":{"prototype":1},"big":"' + 'é'.repeat(300_000) + '"}'));
  expect(h).toBeGreaterThan(0);
  const r = x.avsb_eval(h, 0);
  expect(r & 0xfff).toBe(1);
  expect(r >>> 16).toBe(2); // rule index of the __proto__ rule
  // over 1 MiB: status 3, too large (ABI.md)
  expect(x.avsb_ctx_create(put('{"key":"' + 'a'.repeat(1 << 20) + '"}'))).toBe(-3);
});
