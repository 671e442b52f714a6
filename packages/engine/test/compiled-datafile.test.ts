import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadCaseFiles, runConformance } from '@avsb/conformance';
import { AvsbEngine } from '../src/index';
import { FlagTable, decodeResult } from '../src/flag-table';
import { rawEngine, wasmModule } from './support/wasm';
import { compileDatafile, compiledInstance } from './support/compiled';
import { bigDatafile, guideDatafile } from './support/fixtures';
import { uleb } from './support/leb128';

// The compiled datafile (docs/compiled-datafile.md): the full engine writes
// what a datafile compiles to, the evaluator binary (no JSON datafile load)
// reads it back. Every conformance vector must give the same answers through
// both paths, and no bytes, however broken, may make the evaluator trap.

const text = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));
/** ERROR / FLAG_NOT_FOUND, packed (ABI.md, "Results"). */
const FLAG_NOT_FOUND = 0xfff | (5 << 12) | (1 << 16);
const files = loadCaseFiles();

/** Datafiles of the vectors that load, each with the contexts its cases evaluate. */
function datafilesWithContexts(): { name: string; json: string; contexts: unknown[] }[] {
  const out: { name: string; json: string; contexts: unknown[] }[] = [];
  for (const f of files) {
    if (f.type === 'evaluation') out.push({ name: f.file, json: text(f.datafile), contexts: f.cases.map((c) => c[1]) });
    if (f.type === 'invalid-contexts') out.push({ name: f.file, json: text(f.datafile), contexts: f.cases.map((c) => c[1]) });
    if (f.type === 'datafile-warnings') {
      for (const [name, datafile, , , evaluations] of f.cases) {
        out.push({ name: `${f.file}: ${name}`, json: text(datafile), contexts: evaluations.map((e) => e[0]) });
      }
    }
  }
  return out;
}

describe('conformance through a compiled datafile and the evaluator binary', () => {
  // the load's outcome (errors, warnings) is the compiler's: the full engine's
  const full = AvsbEngine.createSync(wasmModule('release'));
  const ev = compiledInstance('evaluator');
  let table: FlagTable | null = null;
  runConformance(
    {
      load(datafile) {
        const r = full.load(datafile as object | string);
        if (!r.ok) return r.error;
        const json = text(datafile);
        if (ev.x.avsb_load_compiled(ev.put(compileDatafile(json))) !== 0) return `compiled: ${ev.error()}`;
        table = new FlagTable(JSON.parse(json));
        return { error: null, warnings: r.warnings };
      },
      evaluate(context, flagKey) {
        const json = text(context);
        if (typeof json !== 'string') return 'context: must be a JSON object';
        const handle = ev.x.avsb_ctx_create(ev.put(json)) as number;
        if (handle <= 0) return ev.error();
        const index = table!._indexOf(flagKey);
        const packed = index < 0 ? FLAG_NOT_FOUND : (ev.x.avsb_eval(handle, index) as number);
        ev.x.avsb_ctx_release(handle);
        return decodeResult(table, index, packed);
      },
    },
    { describe, it, expect },
  );
});

describe('the evaluator answers as the full engine', () => {
  const cases = datafilesWithContexts();
  it.each(cases.map((c) => [c.name, c]))('%s: every flag for every context, the same packed result', (_name, c) => {
    const json = (c as (typeof cases)[number]).json;
    const contexts = (c as (typeof cases)[number]).contexts;
    const engine = rawEngine('release');
    const ev = compiledInstance('evaluator');
    expect(engine.x.avsb_load(engine.put(json)), engine.error()).toBe(0);
    expect(ev.x.avsb_load_compiled(ev.put(compileDatafile(json))), ev.error()).toBe(0);
    const flags = engine.x.avsb_flag_count() as number;
    expect(ev.x.avsb_flag_count()).toBe(flags);
    let compared = 0;
    for (const context of contexts) {
      if (typeof context !== 'string' && (typeof context !== 'object' || context === null)) continue;
      const a = engine.x.avsb_ctx_create(engine.put(text(context))) as number;
      const b = ev.x.avsb_ctx_create(ev.put(text(context))) as number;
      expect(b > 0, `context ${text(context)}`).toBe(a > 0);
      if (a <= 0) {
        expect(ev.error()).toBe(engine.error());
        continue;
      }
      for (let i = 0; i < flags; i++) {
        expect(ev.x.avsb_eval(b, i), `flag ${i}, context ${text(context)}`).toBe(engine.x.avsb_eval(a, i));
        compared++;
      }
      engine.x.avsb_ctx_release(a);
      ev.x.avsb_ctx_release(b);
    }
    expect(compared + contexts.length).toBeGreaterThan(0);
  });
});

/** The packed result of every flag for every context, by the release engine and by the evaluator, side by side. */
function bothWays(json: string, contexts: string[]): { engine: number[]; evaluator: number[] } {
  const engine = rawEngine('release');
  const ev = compiledInstance('evaluator');
  expect(engine.x.avsb_load(engine.put(json)), engine.error()).toBe(0);
  expect(ev.x.avsb_load_compiled(ev.put(compileDatafile(json))), ev.error()).toBe(0);
  const out = { engine: [] as number[], evaluator: [] as number[] };
  for (const context of contexts) {
    const a = engine.x.avsb_ctx_create(engine.put(context)) as number;
    const b = ev.x.avsb_ctx_create(ev.put(context)) as number;
    expect(b, context).toBe(a);
    if (a <= 0) continue;
    for (let i = 0, n = engine.x.avsb_flag_count() as number; i < n; i++) {
      out.engine.push(engine.x.avsb_eval(a, i) as number);
      out.evaluator.push(ev.x.avsb_eval(b, i) as number);
    }
  }
  return out;
}

describe('random datafiles answer the same both ways (fast-check, fixed seed)', () => {
  const attrs = ['plan', 'country', 'version', 'seen', 'age', 'tags', '/org/name', 'kind', 'key'];
  const str = fc.constantFrom('pro', 'free', 'NO', 'SE', 'a@example.com', '2.1.0', '1.0.0-rc.1', '2026-01-01T00:00:00Z', 'x', '');
  const scalar = fc.oneof(str, fc.integer({ min: -5, max: 100 }), fc.boolean());
  const pattern = fc.constantFrom('^p', 'o$', '[a-z]+@example\\.com', '(a|b)*c', '\\d+', 'x{2,3}', '(?i)PRO', '[');
  const opValues = fc.oneof(
    fc.tuple(fc.constant('in'), fc.array(scalar, { minLength: 1, maxLength: 7 })),
    fc.tuple(fc.constantFrom('startsWith', 'endsWith', 'contains'), fc.array(str, { minLength: 1, maxLength: 3 })),
    fc.tuple(fc.constant('matches'), fc.array(pattern, { minLength: 1, maxLength: 2 })),
    fc.tuple(fc.constantFrom('lessThan', 'lessThanOrEqual', 'greaterThan', 'greaterThanOrEqual'), fc.array(fc.integer({ min: -5, max: 100 }), { minLength: 1, maxLength: 2 })),
    fc.tuple(fc.constantFrom('before', 'after'), fc.array(fc.constantFrom('2026-01-01T00:00:00Z', '2025-06-01T12:00:00+02:00', 1767225600000), { minLength: 1, maxLength: 2 })),
    fc.tuple(fc.constantFrom('semVerEqual', 'semVerLessThan', 'semVerGreaterThan'), fc.array(fc.constantFrom('2.1.0', '1.0.0-rc.1', '2', 'v3.0.0+b'), { minLength: 1, maxLength: 2 })),
    fc.tuple(fc.constant('segmentMatch'), fc.array(fc.constantFrom('s0', 's1', 's2', 'nope'), { minLength: 1, maxLength: 2 })),
  );
  const clause = fc
    .record({ attribute: fc.constantFrom(...attrs), opValues, negate: fc.boolean(), contextKind: fc.constantFrom('user', 'user', 'org') })
    .map(({ opValues: [op, values], ...rest }) => ({ ...rest, op, values }));
  const serve = fc.oneof(
    fc.record({ variation: fc.integer({ min: 0, max: 2 }) }),
    fc.record({
      rollout: fc.record({
        variations: fc.constant([{ variation: 0, weight: 30000 }, { variation: 1, weight: 30000 }, { variation: 2, weight: 40000 }]),
        bucketBy: fc.constantFrom('key', 'age', 'plan', 'kind'),
        contextKind: fc.constantFrom('user', 'org'),
        salt: fc.constantFrom('s', 'checkout'),
      }),
    }),
    fc.record({
      rollout: fc.record({
        kind: fc.constant('experiment'),
        variations: fc.constant([{ variation: 1, weight: 50000 }, { variation: 2, weight: 50000 }]),
        bucketBy: fc.constantFrom('key', 'age'),
        trafficAllocation: fc.constantFrom(0, 50000, 100000),
        untrackedVariation: fc.constant(0),
      }),
    }),
  );
  const datafile = fc.record({
    segments: fc.array(fc.array(clause, { maxLength: 3 }), { maxLength: 3 }),
    flags: fc.array(
      fc.record({
        on: fc.constantFrom(true, true, true, false),
        rules: fc.array(fc.record({ clauses: fc.array(clause, { maxLength: 3 }), serve }), { maxLength: 4 }),
        targets: fc.array(fc.record({ values: fc.array(str, { maxLength: 6 }), variation: fc.integer({ min: 0, max: 2 }) }), { maxLength: 2 }),
        prerequisite: fc.option(fc.nat(5), { freq: 3 }),
        fallthrough: serve,
      }),
      { minLength: 1, maxLength: 6 },
    ),
  });
  const context = fc.record({
    kind: fc.constant('multi'),
    user: fc.record({ key: str, plan: scalar, country: scalar, version: scalar, seen: scalar, age: scalar, tags: fc.array(scalar, { maxLength: 3 }), org: fc.record({ name: str }) }),
    org: fc.record({ key: str, plan: scalar }),
  });

  it('every flag for every context: the same packed result (300 datafiles × 8 contexts)', () => {
    fc.assert(
      fc.property(datafile, fc.array(context, { minLength: 8, maxLength: 8 }), (d, contexts) => {
        const json = JSON.stringify({
          schemaVersion: 1,
          segments: d.segments.map((rules, i) => ({ key: `s${i}`, included: ['pro'], rules: [{ clauses: rules }] })),
          flags: d.flags.map((f, i) => ({
            key: `f${i}`,
            on: f.on,
            variations: ['a', 'b', 'c'],
            offVariation: 0,
            targets: f.targets,
            // mostly to a later flag; a cycle now and then (graph.ts cuts it: MALFORMED_FLAG both ways)
            prerequisites: f.prerequisite === null ? [] : [{ key: `f${f.prerequisite > i || f.prerequisite === 0 ? f.prerequisite : i + 1}`, variation: f.prerequisite % 3 }],
            rules: f.rules.map((r, j) => ({ id: `r${j}`, ...r })),
            fallthrough: f.fallthrough,
          })),
        });
        const { engine, evaluator } = bothWays(json, contexts.map((c) => JSON.stringify(c)));
        expect(evaluator).toEqual(engine);
      }),
      { numRuns: 300, seed: 20261206 },
    );
  }, 120_000);

  it('the guide datafile and a 300-flag datafile: the same packed results', () => {
    const contexts = ['{"key":"user-3","country":"NO","appVersion":"2.1.0","email":"a@example.com"}', '{"key":"u","plan":"pro"}'];
    for (const d of [guideDatafile, bigDatafile(300)]) {
      const { engine, evaluator } = bothWays(JSON.stringify(d), contexts);
      expect(engine.length).toBeGreaterThan(0);
      expect(evaluator).toEqual(engine);
    }
  });
});

describe('prerequisite and segment chains at the depth limit', () => {
  // graph.ts cuts chains deeper than 64: the compiled form's levels must admit every chain it keeps
  const chain = (n: number): string =>
    JSON.stringify({
      schemaVersion: 1,
      segments: Array.from({ length: n }, (_, i) => ({
        key: `s${i}`,
        rules: [{ clauses: i + 1 < n ? [{ op: 'segmentMatch', values: [`s${i + 1}`] }] : [{ attribute: 'plan', op: 'in', values: ['pro'] }] }],
      })),
      flags: Array.from({ length: n }, (_, i) => ({
        key: `f${i}`,
        on: true,
        variations: [false, true],
        offVariation: 0,
        prerequisites: i + 1 < n ? [{ key: `f${i + 1}`, variation: 1 }] : [],
        rules: [{ clauses: [{ op: 'segmentMatch', values: [`s${i}`] }], serve: { variation: 1 } }],
        fallthrough: { variation: 0 },
      })),
    });

  it.each([63, 64, 65, 70])('%i flags and segments deep: the same packed results', (n) => {
    const json = chain(n);
    const engine = rawEngine('release');
    const ev = compiledInstance('evaluator');
    expect(engine.x.avsb_load(engine.put(json)), engine.error()).toBe(0);
    expect(ev.x.avsb_load_compiled(ev.put(compileDatafile(json))), ev.error()).toBe(0);
    for (const context of ['{"key":"u","plan":"pro"}', '{"key":"u","plan":"free"}']) {
      const a = engine.x.avsb_ctx_create(engine.put(context));
      const b = ev.x.avsb_ctx_create(ev.put(context));
      for (let i = 0; i < n; i++) expect(ev.x.avsb_eval(b, i), `f${i} ${context}`).toBe(engine.x.avsb_eval(a, i));
    }
  });
});

describe('a compiled datafile is outside input', () => {
  const rules = files.find((f) => f.file === 'segments.json')!;
  const json = text((rules as { datafile: unknown }).datafile);
  const compiled = compileDatafile(json);

  it('is versioned: another magic or format version is refused and the previous datafile keeps serving', () => {
    const ev = compiledInstance('evaluator');
    expect(ev.x.avsb_load_compiled(ev.put(compiled))).toBe(0);
    const flags = ev.x.avsb_flag_count() as number;
    const otherVersion = compiled.slice();
    otherVersion[4] = 2;
    expect(ev.x.avsb_load_compiled(ev.put(otherVersion))).toBe(2);
    expect(ev.error()).toBe('datafile: compiled for another format version than 1');
    expect(ev.x.avsb_load_compiled(ev.put(new TextEncoder().encode(json)))).toBe(2);
    expect(ev.error()).toBe('datafile: not a compiled datafile');
    expect(ev.x.avsb_flag_count()).toBe(flags);
  });

  it('holds a regex to the parser\'s limits: 5,000 instructions and 131,072 class ranges load, one more is refused', () => {
    const ascii = (t: string): number[] => [t.length, ...new TextEncoder().encode(t)];
    // kinds ["user"], one attribute ("key"), one regex of `n` MATCH instructions and `pairs` ranges [0, 0], no segments, no flags
    const file = (n: number, pairs: number): Uint8Array =>
      new Uint8Array([
        ...new TextEncoder().encode('AVSB'), 1, 1, ...ascii('user'), 1, 1, 0, ...ascii('key'), 0,
        1, ...uleb(n), ...new Array<number>(3 * n).fill(0), ...uleb(pairs), ...new Array<number>(2 * pairs).fill(0),
        0, 0,
      ]);
    const ev = compiledInstance('evaluator');
    expect(ev.x.avsb_load_compiled(ev.put(file(5000, 131072))), ev.error()).toBe(0);
    expect(ev.x.avsb_load_compiled(ev.put(file(5001, 0)))).toBe(2);
    expect(ev.error()).toMatch(/^datafile: invalid compiled datafile at byte \d+$/);
    expect(ev.x.avsb_load_compiled(ev.put(file(1, 131073)))).toBe(2);
    expect(ev.x.avsb_load_compiled(ev.put(file(1, 0))), ev.error()).toBe(0);
  });

  it('never traps: every truncation and 3,000 random byte changes per datafile load or are refused, and evaluate', () => {
    const ev = compiledInstance('evaluator');
    const ctx = ev.x.avsb_ctx_create(ev.put('{"key":"u1","plan":"pro","kind":"user","tags":["a","b"],"version":"2.1.0"}'));
    expect(ctx).toBeGreaterThan(0);
    let seed = 12345;
    const random = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    let loaded = 0;
    let refused = 0;
    for (const { json: source } of datafilesWithContexts().filter((c) => !c.name.includes(': '))) {
      const bytes = compileDatafile(source);
      const variants: Uint8Array[] = [];
      for (let n = 0; n < bytes.length; n++) variants.push(bytes.subarray(0, n));
      for (let k = 0; k < 3000; k++) {
        const v = bytes.slice();
        for (let m = 1 + random(3); m > 0; m--) v[5 + random(v.length - 5)] = random(4) === 0 ? 0xff : random(256);
        variants.push(v);
      }
      for (const v of variants) {
        if (ev.x.avsb_load_compiled(ev.put(v)) === 0) {
          loaded++;
          for (let i = 0, n = ev.x.avsb_flag_count() as number; i < n; i++) ev.x.avsb_eval(ctx, i);
          ev.x.avsb_eval_all(ctx);
        } else {
          refused++;
        }
        ev.x.avsb_collect();
      }
    }
    expect(refused).toBeGreaterThan(0);
    expect(loaded).toBeGreaterThan(0);
  }, 60_000);
});
