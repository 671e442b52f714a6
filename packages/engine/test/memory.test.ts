import { expect, it } from 'vitest';
import { bigDatafile, guideDatafile } from './support/fixtures';
import { AvsbEngine, LazyFlags } from '../src/index';
import { compileDatafile, compiledInstance } from './support/compiled';
import { rawEngine, wasmModule } from './support/wasm';

// Memory must stay bounded: after the first rounds warm the allocator up,
// `memory.buffer` never grows again, however much work goes through.
// The runtime is `minimal` (README, "Size"): managed objects are freed only by
// `avsb_collect` (after a load) or by a refused load itself, so every other
// call must leave no managed garbage behind, or memory would grow call by call.

/** Runs `warm` rounds, then `rounds` more, and expects memory not to have grown over the second run. */
function expectFlat(memoryBytes: () => number, warm: number, rounds: number, round: (i: number) => void): void {
  for (let i = 0; i < warm; i++) round(i);
  const warmed = memoryBytes();
  for (let i = 0; i < rounds; i++) round(i);
  expect(memoryBytes()).toBe(warmed);
}

it('creates and releases ten million contexts without growing memory', () => {
  const { x, put, memoryBytes } = rawEngine('release');
  expect(x.avsb_load(put(JSON.stringify(guideDatafile)))).toBe(0);
  const len = put('{"kind":"multi","user":{"key":"u_1","plan":"pro","email":"a\\u00e9@avsb.dev","tags":["a","b"]},"org":{"key":"acme"}}');
  for (let i = 0; i < 1000; i++) x.avsb_ctx_release(x.avsb_ctx_create(len));
  const warmed = memoryBytes();
  for (let i = 0; i < 10_000_000; i++) {
    const h = x.avsb_ctx_create(len);
    if (h <= 0 || x.avsb_ctx_release(h) !== 0) throw new Error(`round ${i}: handle ${h}`);
  }
  expect(memoryBytes()).toBe(warmed);
  expect(x.avsb_live_contexts()).toBe(0);
}, 120_000);

it('loads a 1,000-flag datafile a thousand times without growing memory', () => {
  const { x, put, memoryBytes } = rawEngine('release');
  const json = JSON.stringify(bigDatafile(1000));
  const load = () => {
    expect(x.avsb_load(put(json))).toBe(0);
    x.avsb_collect();
  };
  // since clauses live in the ruleset's pool (load2-11) the allocator doubles its memory once, at load 15 (5 -> 10 MiB),
  // and is flat from there: 3,000 loads measured
  expectFlat(memoryBytes, 20, 1000, load);
  expect(x.avsb_flag_count()).toBe(1000);
}, 300_000);

it('evaluates 100,000 times without allocating', () => {
  const { x, put, memoryBytes } = rawEngine('release');
  expect(x.avsb_load(put(JSON.stringify(bigDatafile(50))))).toBe(0);
  x.avsb_collect();
  const handles = [
    '{"key":"user-3","country":"NO"}',
    '{"key":"u","appVersion":"2.3.1","email":"x@example.org"}',
    '{"key":"u2","appVersion":"v1","email":"x@example.net","country":"DE"}',
  ].map((c) => x.avsb_ctx_create(put(c)));
  for (const h of handles) for (let f = 0; f < 50; f++) x.avsb_eval(h, f);
  const warmed = memoryBytes();
  let sum = 0;
  for (let i = 0; i < 100_000; i++) sum += x.avsb_eval(handles[i % 3], i % 50) & 0xfff;
  expect(sum).toBeGreaterThan(0);
  expect(memoryBytes()).toBe(warmed);
});

// A host that follows ABI.md collects only after a successful load; runs of
// failed loads (an SDK polling a datafile it refuses) must not pile up garbage.
it.each(['raw', 'host', 'host with lazyFlags'] as const)('keeps memory flat over 1,000 failed and successful loads of a 40 KB datafile (%s)', (via) => {
  const raw = rawEngine('release');
  const engine = AvsbEngine.createSync(wasmModule('release'), via === 'raw' || via === 'host' ? {} : { lazyFlags: new LazyFlags() });
  const good = JSON.stringify(bigDatafile(80));
  // rejections that stay rejections: the whole text is parsed (or nearly) before it is refused
  const truncated = good.slice(0, -2);
  const badVersion = JSON.stringify({ ...bigDatafile(80), schemaVersion: 2 });
  expect(good.length).toBeGreaterThan(40_000);
  const load = (json: string): boolean => {
    if (via !== 'raw') return engine.load(json).ok;
    const ok = raw.x.avsb_load(raw.put(json)) === 0;
    if (ok) raw.x.avsb_collect();
    return ok;
  };
  const memoryBytes = () => (via !== 'raw' ? engine.memoryBytes : raw.memoryBytes());
  // alternating, and in runs of nine failures between two successes
  const round = (i: number) => {
    const fail = i < 200 ? i % 2 === 0 : i % 10 !== 0;
    expect(load(fail ? (i % 3 === 0 ? truncated : badVersion) : good)).toBe(!fail);
  };
  // the warm-up is the same 1,040 rounds, four times: where the allocator's
  // one growth falls (round 12 before the interner's hashed index, round 154
  // with it, round 1,086 through the host since a ruleset's bytes are pooled
  // in 16 KiB chunks, round 3,021 raw since its flags, targets, rules and
  // serves are pooled too; flat from there to round 14,560) is the
  // allocator's business; that a further run adds nothing is the test
  expectFlat(memoryBytes, 4160, 1040, round);
}, 300_000);

// Refused registrations do not collect either: their error paths write static
// texts and must allocate nothing managed.
const refusedContexts = [
  '{"kind":"user"}',
  '{"key":',
  '{"key":"u","kind":"multi"}',
  '{"kind":"multi","user":{"key":"a"},"user":{"key":"b"}}',
  `${'['.repeat(80)}${']'.repeat(80)}`,
  '{"key":"u",}',
  '{"key":"u","kind":"multi-kind!"}',
];

it.each(['release', 'evaluator'] as const)('refuses a million contexts without growing memory (%s)', (binary) => {
  const { x, put } = binary === 'release' ? rawEngine('release') : compiledInstance('evaluator');
  const memoryBytes = () => (x.memory as WebAssembly.Memory).buffer.byteLength;
  const json = JSON.stringify(guideDatafile);
  expect(binary === 'release' ? x.avsb_load(put(json)) : x.avsb_load_compiled(put(compileDatafile(json)))).toBe(0);
  const enc = new TextEncoder();
  const round = (i: number) => {
    const text = refusedContexts[i % refusedContexts.length];
    const len = put(enc.encode(text));
    const h = x.avsb_ctx_create(len) as number;
    if (h >= 0) throw new Error(`${text}: handle ${h}`);
  };
  expectFlat(memoryBytes, 6000, 1_000_000, round);
  expect(x.avsb_live_contexts()).toBe(0);
}, 120_000);

it('loads a compiled 1,000-flag datafile a thousand times on the evaluator without growing memory, refused loads between', () => {
  const { x, put, mem } = compiledInstance('evaluator');
  const compiled = compileDatafile(JSON.stringify(bigDatafile(1000)));
  const truncated = compiled.slice(0, compiled.length >> 1);
  const memoryBytes = () => mem().byteLength;
  const round = (i: number) => {
    if (i % 4 === 3) {
      expect(x.avsb_load_compiled(put(truncated))).toBeGreaterThan(0);
      return;
    }
    expect(x.avsb_load_compiled(put(compiled))).toBe(0);
    x.avsb_collect();
  };
  // 100 rounds to warm: the heap doubles once to 2.5 MiB, by round 10 on 69f62f1 and between rounds 20 and 50
  // since the evaluator's static data is 2.7 KB smaller (the same 2.5 MiB after 4,000 rounds on both)
  expectFlat(memoryBytes, 100, 1000, round);
  expect(x.avsb_flag_count()).toBe(1000);
}, 300_000);

it('evaluates every flag 100,000 times without allocating', () => {
  const { x, put, memoryBytes } = rawEngine('release');
  expect(x.avsb_load(put(JSON.stringify(bigDatafile(50))))).toBe(0);
  const handles = [
    '{"key":"user-3","country":"NO"}',
    '{"key":"u","appVersion":"2.3.1","email":"x@example.org","country":"SE"}',
  ].map((c) => x.avsb_ctx_create(put(c)) as number);
  let sum = 0;
  const round = (i: number) => {
    const ptr = x.avsb_eval_all(handles[i & 1]) as number;
    sum += new Int32Array(x.memory.buffer, ptr, 50)[i % 50] & 0xfff;
  };
  for (let i = 0; i < 1000; i++) round(i);
  const warmed = memoryBytes();
  for (let i = 0; i < 100_000; i++) round(i);
  expect(sum).toBeGreaterThan(0);
  expect(memoryBytes()).toBe(warmed);
}, 120_000);
