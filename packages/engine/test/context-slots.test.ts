import { describe, expect, it } from 'vitest';
import { AvsbEngine } from '../src/index';
import { guideDatafile } from './support/fixtures';
import { rawEngine, wasmModule, type Binary } from './support/wasm';
import { compileDatafile, compiledInstance } from './support/compiled';
import { uleb } from './support/leb128';

// Every registered context keeps one 16-byte slot per (context kind,
// attribute) pair its datafile's rules name (context/record.ts), so the
// datafile, not the context, decides what a context costs. SPEC.md §10
// bounds the pairs at 16,384 (256 KiB a context); a datafile with more is
// refused whole, by both loads, and the previous one keeps serving. Run
// before the bound, the first test measured 81 MB grown for 64 contexts of
// a 64-kind × 1,024-attribute datafile (1.3 MB each).

const MAX_PAIRS = 16_384;
const SLOT = 16;

/**
 * A datafile whose rules name exactly `kinds` context kinds and `attrs`
 * attributes as the engine counts them ("user" and "key" included): one
 * rule per extra kind (its `key`) and per extra attribute (of a user).
 */
function slotsDatafile(kinds: number, attrs: number): string {
  const clause = (kind: string, attribute: string) => ({ contextKind: kind, attribute, op: 'in', values: ['x'] });
  const rules = [
    ...Array.from({ length: kinds - 1 }, (_, i) => clause(`k${i}`, 'key')),
    ...Array.from({ length: attrs - 1 }, (_, i) => clause('user', `a${i}`)),
  ].map((c, i) => ({ id: `r${i}`, clauses: [c], serve: { variation: 1 } }));
  return JSON.stringify({
    schemaVersion: 1,
    flags: [{ key: 'wide', on: true, variations: [false, true], offVariation: 0, rules, fallthrough: { variation: 0 } }],
  });
}

const refusal = (kinds: number, attrs: number) => `datafile: ${kinds} kinds × ${attrs} attributes: over ${MAX_PAIRS} pairs`;

/**
 * Loads `json`, then registers `n` two-kind contexts that name every
 * attribute: the load's status, the memory before the registrations and
 * what they grew it by.
 */
function register(binary: Binary, json: string, attrs: number, n: number) {
  const { x, put, memoryBytes } = rawEngine(binary);
  const status = x.avsb_load(put(json)) as number;
  x.avsb_collect();
  const user: Record<string, string> = { key: 'u' };
  for (let i = 0; i < attrs - 1; i++) user[`a${i}`] = 'x';
  const len = put(JSON.stringify({ kind: 'multi', user, k0: { key: 'o' } }));
  const before = memoryBytes();
  for (let i = 0; i < n; i++) if (x.avsb_ctx_create(len) <= 0) throw new Error(`registration ${i} failed`);
  return { status, flags: x.avsb_flag_count() as number, before, grown: memoryBytes() - before };
}

/**
 * The most `n` registrations may grow memory by when each needs `bytes`: the
 * allocator grows memory at least twofold (by what it already has, or what
 * it needs), and the memory it had may have been free.
 */
const mostGrowth = (n: number, bytes: number, before: number) => 2 * n * bytes + before;

// a context's own bytes here: its 1,024 attributes, encoded (about 15 KB), and its share of the scratch block
const OWN = 32 * 1024;
const N = 64;

describe.each(['release', 'debug'] as const)('the slot table a datafile gives each context (%s)', (binary) => {
  it('costs each context at most 16,384 slots: 64 registrations grow memory by no more than that allows', () => {
    // at the limit, one attribute over, four times over (1 MiB a context)
    for (const [kinds, attrs] of [[16, 1024], [16, 1025], [64, 1024]]) {
      const { before, grown } = register(binary, slotsDatafile(kinds, attrs), 1024, N);
      expect(grown, `${kinds} × ${attrs}`).toBeLessThanOrEqual(mostGrowth(N, MAX_PAIRS * SLOT + OWN, before));
    }
  });

  it('loads a datafile at the limit, whose contexts do take their slots', () => {
    const { status, before, grown } = register(binary, slotsDatafile(16, 1024), 1024, N);
    expect(status).toBe(0);
    expect(grown).toBeGreaterThanOrEqual(N * MAX_PAIRS * SLOT - before);
  });

  it('refuses one over it (one attribute or one kind more), loading nothing', () => {
    for (const [kinds, attrs] of [[16, 1025], [17, 1024], [64, 1024]]) {
      const { status, flags, before, grown } = register(binary, slotsDatafile(kinds, attrs), 1024, N);
      expect(status, `${kinds} × ${attrs}`).toBe(2);
      expect(flags).toBe(0);
      expect(grown).toBeLessThanOrEqual(mostGrowth(N, OWN, before));
    }
  });
});

describe('a datafile whose kinds × attributes are over the limit', () => {
  // 2,000 kinds × 5,000 attributes: 160 MB per context before the limit; well within every other limit (SPEC.md §10)
  const json = slotsDatafile(2000, 5000);

  it('is within the datafile size, key and rule limits', () => {
    expect(new TextEncoder().encode(json).length).toBeLessThan(1 << 20);
    expect((JSON.parse(json) as { flags: { rules: unknown[] }[] }).flags[0].rules.length).toBeLessThan(65_535);
  });

  it('is refused with the counts and the limit, and the previous datafile keeps serving', () => {
    const engine = AvsbEngine.createSync(wasmModule('release'));
    expect(engine.load(guideDatafile).ok).toBe(true);
    expect(engine.load(json)).toEqual({ ok: false, error: refusal(2000, 5000) });
    expect(engine.flagKeys).toEqual(['checkout-v2', 'ui-theme', 'banner']);
    const h = engine.registerContext({ key: 'u_1' });
    expect(engine.evaluate(h, 'checkout-v2')).toMatchObject({ value: true, reason: { kind: 'TARGET_MATCH' } });
    expect(engine.memoryBytes).toBeLessThan(16 << 20);
  });

  it('is not compiled: the compiler refuses it as load() does', () => {
    expect(() => compileDatafile(json)).toThrow(refusal(2000, 5000));
    expect(compileDatafile(slotsDatafile(16, 1024)).length).toBeGreaterThan(0);
  });
});

describe('a compiled datafile over the limit', () => {
  const ascii = (t: string): number[] => [...uleb(t.length), ...new TextEncoder().encode(t)];
  /** `kinds` kinds and `attrs` attribute ids, each with a reference under the root; no regexes, segments or flags. */
  const file = (kinds: number, attrs: number): Uint8Array =>
    new Uint8Array([
      ...new TextEncoder().encode('AVSB'), 1,
      ...uleb(kinds), ...ascii('user'), ...Array.from({ length: kinds - 1 }, (_, i) => ascii(`k${i}`)).flat(),
      ...uleb(attrs), ...uleb(attrs), ...Array.from({ length: attrs }, (_, i) => [0, ...ascii(`a${i}`), ...uleb(2 * i)]).flat(),
      0, 0, 0,
    ]);

  it('loads at 16,384 pairs and is refused one kind or attribute over, keeping the previous datafile', () => {
    const ev = compiledInstance('evaluator');
    expect(ev.x.avsb_load_compiled(ev.put(file(16, 1024))), ev.error()).toBe(0);
    expect(ev.x.avsb_load_compiled(ev.put(compileDatafile(JSON.stringify(guideDatafile)))), ev.error()).toBe(0);
    for (const [kinds, attrs] of [[16, 1025], [17, 1024], [2000, 5000], [1, 20_000]]) {
      expect(ev.x.avsb_load_compiled(ev.put(file(kinds, attrs))), `${kinds} × ${attrs}`).toBe(2);
      // a compiler never writes one: the reader's message, at the count it refused
      expect(ev.error()).toMatch(/^datafile: invalid compiled datafile at byte \d+$/);
    }
    expect(ev.x.avsb_flag_count()).toBe(3);
    const h = ev.x.avsb_ctx_create(ev.put('{"key":"u_1"}')) as number;
    expect(h).toBeGreaterThan(0);
    expect(ev.x.avsb_eval(h, 0) & 0xfff).toBe(1); // checkout-v2 targets u_1 with variation 1
  });
});

