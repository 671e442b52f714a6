import { describe, expect, it } from 'vitest';
import { packedReasonKind, packedVariation } from '../src/index';
import { compiledInstance, compileDatafile } from './support/compiled';
import { rawEngine } from './support/wasm';

// Registering a context finds each member among the names the datafile
// declares (context/parse.ts: findChild, kindIndex). Compared one by one,
// that cost every registration (every request on a server) time in members ×
// names: against 16,000 attributes a context of 10,000 members took 0.57 s,
// of 90,000 (0.9 MB, within the 1 MiB limit) 6.4 s. The test binary counts the
// names compared, so a registration is held to a number per member. The
// first registration that reads a level's names also makes its hash table
// (no comparisons: slots probed); these counts are of that first one.

/** Names compared per member a hashed lookup stays within (it averages under 2). */
const PER_MEMBER = 4;
const NAMES = 16_000;

type Clause = { contextKind?: string; attribute: string };

/** One flag with a rule per clause, serving variation 1 when the clause's attribute is "x". */
function datafile(clauses: Clause[]): string {
  const rules = clauses.map((c, i) => ({ id: `r${i}`, clauses: [{ ...c, op: 'in', values: ['x'] }], serve: { variation: 1 } }));
  return JSON.stringify({
    schemaVersion: 1,
    flags: [{ key: 'f', on: true, variations: [false, true], offVariation: 0, rules, fallthrough: { variation: 0 } }],
  });
}

const clauses = (n: number, clause: (i: number) => Clause) => Array.from({ length: n }, (_, i) => clause(i));

/** `n` members the datafile does not name, then `last` set to "x". */
function members(n: number, last: string): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) o[`m${i}`] = 0;
  o[last] = 'x';
  return o;
}

/** Registers `context` on the test binary after loading `json`: its handle, the names it compared, and flag f's variation. */
function register(json: string, context: object) {
  const { x, put, error } = rawEngine('test');
  expect(x.avsb_load(put(json)), error()).toBe(0);
  x.test_name_comparisons();
  const handle = x.avsb_ctx_create(put(JSON.stringify(context))) as number;
  const compared = x.test_name_comparisons() as number;
  expect(handle, error()).toBeGreaterThan(0);
  const packed = x.avsb_eval(handle, 0) as number;
  return { compared, variation: packedVariation(packed), reason: packedReasonKind(packed) };
}

describe('registering a context against a datafile of many names', () => {
  it('compares a bounded number of names per member: 16,000 attributes, 10,000 members', () => {
    const json = datafile(clauses(NAMES, (i) => ({ attribute: `a${i}` })));
    const { compared, variation, reason } = register(json, { key: 'u', ...members(10_000, `a${NAMES - 1}`) });
    expect([variation, reason]).toEqual([1, 'RULE_MATCH']);
    expect(compared).toBeLessThanOrEqual(PER_MEMBER * 10_002);
  });

  it('and per member of a nested object: 16,000 attributes of /o', () => {
    const json = datafile(clauses(NAMES, (i) => ({ attribute: `/o/a${i}` })));
    const { compared, variation } = register(json, { key: 'u', o: members(10_000, 'a7') });
    expect(variation).toBe(1);
    expect(compared).toBeLessThanOrEqual(PER_MEMBER * 10_003);
  });

  it('and per kind of a multi-kind context: 16,000 kinds', () => {
    const json = datafile(clauses(NAMES, (i) => ({ contextKind: `k${i}`, attribute: 'key' })));
    const context: Record<string, unknown> = { kind: 'multi' };
    for (let i = 0; i < 5_000; i++) context[`n${i}`] = { key: 'u' };
    context[`k${NAMES - 1}`] = { key: 'x' };
    const { compared, variation } = register(json, context);
    expect(variation).toBe(1);
    // each kind's object: its name among the kinds, then "key"
    expect(compared).toBeLessThanOrEqual(PER_MEMBER * 2 * 5_001);
  });

  it('finds the same members in the evaluator, from a compiled datafile', () => {
    const { x, put, error } = compiledInstance('evaluator');
    const json = datafile(clauses(NAMES, (i) => ({ attribute: `a${i}` })));
    expect(x.avsb_load_compiled(put(compileDatafile(json))), error()).toBe(0);
    for (const [member, variation] of [[`a${NAMES - 1}`, 1], ['a0', 1], [`a${NAMES}`, 0]] as const) {
      const handle = x.avsb_ctx_create(put(JSON.stringify({ key: 'u', ...members(100, member) }))) as number;
      expect(handle, error()).toBeGreaterThan(0);
      expect(packedVariation(x.avsb_eval(handle, 0) as number)).toBe(variation);
    }
  });
});
