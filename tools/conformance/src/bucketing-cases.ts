/**
 * Builds cases/bucketing.json, cases/rollouts.json and cases/experiments.json.
 *
 * Every expected variation here is computed from src/murmur3.ts and the
 * layout rules of SPEC §9 "Serving a rollout", never from the engine. Each
 * case states its bucketing value explicitly (`bv`: the string that is
 * hashed, or null for "bucket 0, never in experiment"); the reference-model
 * test then checks independently that the context really yields that value.
 *
 * Run `pnpm --filter @avsb/conformance generate` after editing, and commit
 * the JSON.
 */
import { bucketOf } from './murmur3';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
interface Weighted { variation: number; weight: number }
interface Rollout {
  kind: 'rollout' | 'experiment';
  contextKind?: string;
  bucketBy?: string;
  salt?: string;
  variations: Weighted[];
  trafficAllocation?: number;
  untrackedVariation?: number;
}
interface Flag {
  key: string;
  on: true;
  salt?: string;
  variations: Json[];
  rules?: { id?: string; clauses: Json[]; serve: { rollout: Rollout } | { variation: number } }[];
  fallthrough: { rollout: Rollout } | { variation: number };
}
interface CaseSpec {
  name: string;
  context: Json;
  flag: string;
  /** The bucketing value the context yields, or null (non-string/non-integer, missing attribute or kind). */
  bv: string | null;
  /** Index of the rule that matches, if the rollout is served by a rule. */
  rule?: number;
}

const bucket = (salt: string, value: string) => bucketOf(salt, value).bucket;

/** SPEC §9: variations laid out in order over [0, 100000) by weight. */
function layout(variations: Weighted[], b: number): number {
  let end = 0;
  for (const w of variations) {
    end += w.weight;
    if (b < end) return w.variation;
  }
  throw new Error('weights must add up to 100000');
}

function expectedServe(flag: Flag, r: Rollout, bv: string | null): { variation: number; inExperiment: boolean } {
  const salt = r.salt ?? flag.salt ?? flag.key;
  const b = bv === null ? 0 : bucket(salt, bv);
  const weighted = layout(r.variations, b);
  if (r.kind !== 'experiment') return { variation: weighted, inExperiment: false };
  const traffic = bv === null ? 0 : bucket(`${salt}:traffic`, bv);
  if (traffic < (r.trafficAllocation ?? 100000)) return { variation: weighted, inExperiment: bv !== null };
  return { variation: r.untrackedVariation!, inExperiment: false };
}

function buildCases(flags: Flag[], specs: CaseSpec[]): Json[] {
  return specs.map((c) => {
    const flag = flags.find((f) => f.key === c.flag);
    if (!flag) throw new Error(`no flag ${c.flag}`);
    const serve = c.rule === undefined ? flag.fallthrough : flag.rules![c.rule]!.serve;
    if (!('rollout' in serve)) throw new Error(`${c.name}: not a rollout`);
    const { variation, inExperiment } = expectedServe(flag, serve.rollout, c.bv);
    const reason: Json =
      c.rule === undefined
        ? { kind: 'FALLTHROUGH' }
        : { kind: 'RULE_MATCH', ruleIndex: c.rule, ruleId: flag.rules![c.rule]!.id ?? null };
    return [c.name, c.context, c.flag, { value: flag.variations[variation]!, variation, reason, inExperiment }];
  });
}

/** First `${prefix}${i}` (i = 0, 1, ...) whose bucket under `salt` satisfies `test`. */
function findValue(prefix: string, salt: string, test: (b: number) => boolean, limit = 5_000_000): string {
  for (let i = 0; i < limit; i++) {
    const v = `${prefix}${i}`;
    if (test(bucket(salt, v))) return v;
  }
  throw new Error(`no value found for ${prefix} under ${salt}`);
}
/** First value whose main bucket and traffic bucket both satisfy the tests. */
function findValue2(prefix: string, salt: string, test: (b: number, traffic: number) => boolean): string {
  for (let i = 0; i < 5_000_000; i++) {
    const v = `${prefix}${i}`;
    if (test(bucket(salt, v), bucket(`${salt}:traffic`, v))) return v;
  }
  throw new Error(`no value found for ${prefix} under ${salt}`);
}

const W = (...weights: number[]): Weighted[] => weights.map((weight, variation) => ({ variation, weight }));
const user = (key: string, attrs: Record<string, Json> = {}): Json => ({ key, ...attrs });

// ------------------------------------------------------------------ bucketing.json

function bucketingVectors(): Json[] {
  const rows: [string, string, string][] = [];
  for (let i = 0; i < 30; i++) rows.push([`flag salt, key user-${i}`, 'new-checkout', `user-${i}`]);
  rows.push(
    ['empty value', 'new-checkout', ''],
    ['empty salt', '', 'user-1'],
    ['empty salt and value (hash of ":")', '', ''],
    ['salt with a colon', 'a:b', 'c'],
    ['value with a colon hashes like the salt holding it (same bytes)', 'a', 'b:c'],
    ['traffic salt (experiment participation)', 'new-checkout:traffic', 'user-1'],
    ['integer value 42 as its decimal string', 'new-checkout', '42'],
    ['negative integer -7', 'new-checkout', '-7'],
    ['zero', 'new-checkout', '0'],
    ['2^53 - 1', 'new-checkout', '9007199254740991'],
    ['value with a space', 'new-checkout', 'user 1'],
    ['value with a newline', 'new-checkout', 'line1\nline2'],
    ['value with NUL', 'new-checkout', 'a\u0000b'],
    ['Latin-1 letters (2-byte UTF-8)', 'new-checkout', 'Ünïcødé'],
    ['precomposed é', 'new-checkout', '\u00e9'],
    ['decomposed e + U+0301 (different bytes)', 'new-checkout', 'e\u0301'],
    ['CJK (3-byte UTF-8)', 'new-checkout', '日本語'],
    ['astral emoji (4-byte UTF-8)', 'new-checkout', '😀'],
    ['emoji ZWJ sequence', 'new-checkout', '👩‍💻'],
    ['right-to-left text', 'new-checkout', 'مرحبا'],
    ['Cyrillic', 'new-checkout', 'пользователь'],
    ['non-ASCII salt', 'sälz-ß', 'user-1'],
    ['emoji salt', '🧪', 'user-1'],
    ['3-byte input (tail only)', 'x', 'y'],
    ['4-byte input (one block, no tail)', 'x', 'yz'],
    ['5-byte input (one block, 1 tail byte)', 'x', 'yzw'],
    ['6-byte input (one block, 2 tail bytes)', 'x', 'yzwv'],
    ['long value (1000 bytes)', 'new-checkout', 'k'.repeat(1000)],
    ['long salt (300 bytes)', 's'.repeat(300), 'user-1'],
    ['uuid-like key', 'new-checkout', '3f1c2a4e-9b7d-4c1e-8f2a-6d5e4c3b2a19'],
    ['email-like key', 'new-checkout', 'ada@example.com'],
  );
  rows.push(['a value in bucket 0', 'edge-salt', findValue('v', 'edge-salt', (b) => b === 0)]);
  rows.push(['a value in bucket 99999', 'edge-salt', findValue('v', 'edge-salt', (b) => b === 99999)]);
  rows.push(['a value in bucket 49999', 'edge-salt', findValue('v', 'edge-salt', (b) => b === 49999)]);
  rows.push(['a value in bucket 50000', 'edge-salt', findValue('v', 'edge-salt', (b) => b === 50000)]);
  return rows.map(([name, salt, value]) => {
    const { hash, bucket: b } = bucketOf(salt, value);
    return [name, salt, value, hash, b];
  });
}

// ------------------------------------------------------------------ rollouts.json

function rollouts(): { datafile: Json; cases: Json[] } {
  const flags: Flag[] = [
    { key: 'half', on: true, variations: ['a', 'b'], fallthrough: { rollout: { kind: 'rollout', variations: W(50000, 50000) } } },
    { key: 'thirds', on: true, variations: ['a', 'b', 'c'], fallthrough: { rollout: { kind: 'rollout', variations: W(33333, 33333, 33334) } } },
    { key: 'tenths', on: true, variations: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], fallthrough: { rollout: { kind: 'rollout', variations: W(...Array(10).fill(10000)) } } },
    { key: 'flag-salted', on: true, salt: 'flag-salt', variations: ['a', 'b'], fallthrough: { rollout: { kind: 'rollout', variations: W(50000, 50000) } } },
    { key: 'rollout-salted', on: true, salt: 'flag-salt', variations: ['a', 'b'], fallthrough: { rollout: { kind: 'rollout', salt: 'rollout-salt', variations: W(50000, 50000) } } },
    { key: 'boundary-30-70', on: true, variations: ['a', 'b'], fallthrough: { rollout: { kind: 'rollout', salt: 'edge-salt', variations: W(30000, 70000) } } },
    { key: 'zero-weight-first', on: true, variations: ['never', 'b', 'c'], fallthrough: { rollout: { kind: 'rollout', variations: W(0, 50000, 50000) } } },
    { key: 'all-to-last', on: true, variations: ['a', 'b'], fallthrough: { rollout: { kind: 'rollout', variations: W(0, 100000) } } },
    { key: 'all-to-first', on: true, variations: ['a', 'b'], fallthrough: { rollout: { kind: 'rollout', variations: W(100000, 0) } } },
    {
      key: 'out-of-order', on: true, variations: ['a', 'b', 'c'],
      fallthrough: { rollout: { kind: 'rollout', variations: [{ variation: 2, weight: 20000 }, { variation: 0, weight: 30000 }, { variation: 1, weight: 50000 }] } },
    },
    { key: 'by-email', on: true, variations: ['a', 'b'], fallthrough: { rollout: { kind: 'rollout', bucketBy: 'email', variations: W(50000, 50000) } } },
    { key: 'by-nested', on: true, variations: ['a', 'b'], fallthrough: { rollout: { kind: 'rollout', bucketBy: '/device/id', variations: W(50000, 50000) } } },
    { key: 'by-number', on: true, variations: ['zero', 'b', 'c'], fallthrough: { rollout: { kind: 'rollout', bucketBy: 'n', variations: W(0, 50000, 50000) } } },
    { key: 'by-org', on: true, variations: ['zero', 'b', 'c'], fallthrough: { rollout: { kind: 'rollout', contextKind: 'org', variations: W(0, 50000, 50000) } } },
    { key: 'by-org-attribute', on: true, variations: ['a', 'b'], fallthrough: { rollout: { kind: 'rollout', contextKind: 'org', bucketBy: 'account', variations: W(50000, 50000) } } },
    { key: 'by-kind', on: true, variations: ['zero', 'b', 'c'], fallthrough: { rollout: { kind: 'rollout', bucketBy: 'kind', variations: W(0, 50000, 50000) } } },
    { key: 'org-by-kind', on: true, variations: ['zero', 'b', 'c'], fallthrough: { rollout: { kind: 'rollout', contextKind: 'org', bucketBy: 'kind', variations: W(0, 50000, 50000) } } },
    {
      key: 'rule-rollout', on: true, variations: ['fallthrough', 'a', 'b'],
      rules: [{ id: 'pro', clauses: [{ attribute: 'plan', op: 'in', values: ['pro'] }], serve: { rollout: { kind: 'rollout', variations: [{ variation: 1, weight: 50000 }, { variation: 2, weight: 50000 }] } } }],
      fallthrough: { variation: 0 },
    },
  ];
  const specs: CaseSpec[] = [];
  for (let i = 0; i < 8; i++) specs.push({ name: `50/50 by key: user-${i}`, context: user(`user-${i}`), flag: 'half', bv: `user-${i}` });
  for (let i = 0; i < 6; i++) specs.push({ name: `thirds by key: user-${i}`, context: user(`user-${i}`), flag: 'thirds', bv: `user-${i}` });
  for (let i = 0; i < 6; i++) specs.push({ name: `tenths by key: user-${i}`, context: user(`user-${i}`), flag: 'tenths', bv: `user-${i}` });
  for (let i = 0; i < 4; i++) specs.push({ name: `flag salt: user-${i}`, context: user(`user-${i}`), flag: 'flag-salted', bv: `user-${i}` });
  for (let i = 0; i < 4; i++) specs.push({ name: `rollout salt overrides flag salt: user-${i}`, context: user(`user-${i}`), flag: 'rollout-salted', bv: `user-${i}` });
  const b29999 = findValue('edge-', 'edge-salt', (b) => b === 29999);
  const b30000 = findValue('edge-', 'edge-salt', (b) => b === 30000);
  const b0 = findValue('edge-', 'edge-salt', (b) => b === 0);
  const b99999 = findValue('edge-', 'edge-salt', (b) => b === 99999);
  specs.push(
    { name: 'bucket 29999 is the last of the first 30000', context: user(b29999), flag: 'boundary-30-70', bv: b29999 },
    { name: 'bucket 30000 is the first of the second variation', context: user(b30000), flag: 'boundary-30-70', bv: b30000 },
    { name: 'bucket 0 is the first variation', context: user(b0), flag: 'boundary-30-70', bv: b0 },
    { name: 'bucket 99999 is the last variation', context: user(b99999), flag: 'boundary-30-70', bv: b99999 },
  );
  for (let i = 0; i < 4; i++) specs.push({ name: `a zero weight is never served: user-${i}`, context: user(`user-${i}`), flag: 'zero-weight-first', bv: `user-${i}` });
  specs.push(
    { name: 'weights 0/100000: everyone gets the second', context: user('user-0'), flag: 'all-to-last', bv: 'user-0' },
    { name: 'weights 100000/0: everyone gets the first', context: user('user-1'), flag: 'all-to-first', bv: 'user-1' },
  );
  for (let i = 0; i < 5; i++) specs.push({ name: `layout follows list order, not variation index: user-${i}`, context: user(`user-${i}`), flag: 'out-of-order', bv: `user-${i}` });
  specs.push(
    { name: 'bucketBy email', context: user('u1', { email: 'ada@example.com' }), flag: 'by-email', bv: 'ada@example.com' },
    { name: 'bucketBy email: other email', context: user('u1', { email: 'grace@example.com' }), flag: 'by-email', bv: 'grace@example.com' },
    { name: 'bucketBy email: the key does not matter', context: user('u2', { email: 'ada@example.com' }), flag: 'by-email', bv: 'ada@example.com' },
    { name: 'bucketBy email: missing → bucket 0', context: user('u1'), flag: 'by-email', bv: null },
    { name: 'bucketBy email: empty string is a value', context: user('u1', { email: '' }), flag: 'by-email', bv: '' },
    { name: 'bucketBy email: unicode value', context: user('u1', { email: 'ünïcødé@例え.jp' }), flag: 'by-email', bv: 'ünïcødé@例え.jp' },
    { name: 'bucketBy /device/id', context: user('u1', { device: { id: 'dev-123' } }), flag: 'by-nested', bv: 'dev-123' },
    { name: 'bucketBy /device/id: missing → bucket 0', context: user('u1', { device: {} }), flag: 'by-nested', bv: null },
    { name: 'integer 42 buckets as "42"', context: user('u1', { n: 42 }), flag: 'by-number', bv: '42' },
    { name: 'string "42" buckets like the integer 42', context: user('u2', { n: '42' }), flag: 'by-number', bv: '42' },
    { name: 'integer -7 buckets as "-7"', context: user('u1', { n: -7 }), flag: 'by-number', bv: '-7' },
    { name: 'integer 0 buckets as "0"', context: user('u1', { n: 0 }), flag: 'by-number', bv: '0' },
    { name: 'integer 2^53-1 buckets as its shortest decimal form', context: user('u1', { n: 9007199254740991 }), flag: 'by-number', bv: '9007199254740991' },
    { name: 'integral 42.0 in raw JSON buckets as "42"', context: '{"key":"u1","n":42.0}', flag: 'by-number', bv: '42' },
    { name: 'integral 1e3 in raw JSON buckets as "1000"', context: '{"key":"u1","n":1e3}', flag: 'by-number', bv: '1000' },
    { name: 'fractional number → bucket 0 (zero-weight first variation skipped)', context: user('u1', { n: 1.5 }), flag: 'by-number', bv: null },
    { name: 'boolean → bucket 0', context: user('u1', { n: true }), flag: 'by-number', bv: null },
    { name: 'null → bucket 0', context: user('u1', { n: null }), flag: 'by-number', bv: null },
    { name: 'array → bucket 0', context: user('u1', { n: ['x'] }), flag: 'by-number', bv: null },
    { name: 'object → bucket 0', context: user('u1', { n: { v: 'x' } }), flag: 'by-number', bv: null },
    { name: 'missing attribute → bucket 0', context: user('u1'), flag: 'by-number', bv: null },
    { name: 'contextKind org: by org key', context: { kind: 'multi', user: { key: 'u1' }, org: { key: 'acme' } }, flag: 'by-org', bv: 'acme' },
    { name: 'contextKind org: other org', context: { kind: 'multi', user: { key: 'u1' }, org: { key: 'globex' } }, flag: 'by-org', bv: 'globex' },
    { name: 'contextKind org: same org, other user → same variation', context: { kind: 'multi', user: { key: 'u2' }, org: { key: 'acme' } }, flag: 'by-org', bv: 'acme' },
    { name: 'contextKind org: single-kind org context', context: { kind: 'org', key: 'acme' }, flag: 'by-org', bv: 'acme' },
    { name: 'contextKind org: missing kind → bucket 0', context: user('acme'), flag: 'by-org', bv: null },
    { name: 'contextKind org, bucketBy account', context: { kind: 'org', key: 'acme', account: 'acct-9' }, flag: 'by-org-attribute', bv: 'acct-9' },
    { name: 'contextKind org, bucketBy account: the user attribute is not read', context: { kind: 'multi', user: { key: 'u1', account: 'acct-9' }, org: { key: 'acme' } }, flag: 'by-org-attribute', bv: null },
    // "kind" is the list of the context's kinds (SPEC §3): never a bucketing value
    { name: 'bucketBy kind: no bucketing value → bucket 0', context: user('u1'), flag: 'by-kind', bv: null },
    { name: 'bucketBy kind: no bucketing value for another user either', context: user('u2'), flag: 'by-kind', bv: null },
    { name: 'contextKind org, bucketBy kind: org context → bucket 0', context: { kind: 'org', key: 'acme' }, flag: 'org-by-kind', bv: null },
    { name: 'contextKind org, bucketBy kind: multi context → bucket 0', context: { kind: 'multi', user: { key: 'u1' }, org: { key: 'acme' } }, flag: 'org-by-kind', bv: null },
  );
  for (let i = 0; i < 4; i++) specs.push({ name: `rollout served by a rule: user-${i}`, context: user(`user-${i}`, { plan: 'pro' }), flag: 'rule-rollout', bv: `user-${i}`, rule: 0 });
  const cases = buildCases(flags, specs);
  cases.push(['rule not matched: plain fallthrough variation', user('user-0', { plan: 'free' }), 'rule-rollout', { value: 'fallthrough', variation: 0, reason: { kind: 'FALLTHROUGH' }, inExperiment: false }]);
  return { datafile: { schemaVersion: 1, flags: flags as unknown as Json }, cases };
}

// ------------------------------------------------------------------ experiments.json

function experiments(): { datafile: Json; cases: Json[] } {
  const V = ['control', 'treatment', 'untracked'];
  const exp = (extra: Partial<Rollout>): { rollout: Rollout } => ({ rollout: { kind: 'experiment', variations: W(50000, 50000), ...extra } });
  const flags: Flag[] = [
    { key: 'exp-full', on: true, variations: V, fallthrough: exp({}) },
    { key: 'exp-half-traffic', on: true, variations: V, fallthrough: exp({ trafficAllocation: 50000, untrackedVariation: 2 }) },
    { key: 'exp-no-traffic', on: true, variations: V, fallthrough: exp({ trafficAllocation: 0, untrackedVariation: 2 }) },
    { key: 'exp-untracked-is-control', on: true, variations: V, fallthrough: exp({ trafficAllocation: 20000, untrackedVariation: 0 }) },
    { key: 'exp-salted', on: true, salt: 'flag-salt', variations: V, fallthrough: exp({ salt: 'exp-salt', trafficAllocation: 50000, untrackedVariation: 2 }) },
    { key: 'exp-traffic-edge', on: true, variations: V, fallthrough: exp({ salt: 'edge-salt', trafficAllocation: 50000, untrackedVariation: 2 }) },
    { key: 'exp-by-email', on: true, variations: V, fallthrough: exp({ bucketBy: 'email', trafficAllocation: 50000, untrackedVariation: 2 }) },
    { key: 'exp-by-number', on: true, variations: V, fallthrough: exp({ bucketBy: 'n', variations: W(0, 100000), trafficAllocation: 50000, untrackedVariation: 2 }) },
    { key: 'exp-org', on: true, variations: V, fallthrough: exp({ contextKind: 'org', trafficAllocation: 50000, untrackedVariation: 2 }) },
    { key: 'exp-org-no-traffic', on: true, variations: V, fallthrough: exp({ contextKind: 'org', trafficAllocation: 0, untrackedVariation: 2 }) },
    {
      key: 'exp-in-rule', on: true, variations: V,
      rules: [{ id: 'beta', clauses: [{ attribute: 'beta', op: 'in', values: [true] }], serve: exp({}) }],
      fallthrough: { variation: 2 },
    },
    { key: 'rollout-not-experiment', on: true, variations: V, fallthrough: { rollout: { kind: 'rollout', variations: W(50000, 50000) } } },
  ];
  const specs: CaseSpec[] = [];
  for (let i = 0; i < 6; i++) specs.push({ name: `full traffic: in experiment, user-${i}`, context: user(`user-${i}`), flag: 'exp-full', bv: `user-${i}` });
  for (let i = 0; i < 10; i++) specs.push({ name: `50% traffic: user-${i}`, context: user(`user-${i}`), flag: 'exp-half-traffic', bv: `user-${i}` });
  for (let i = 0; i < 3; i++) specs.push({ name: `0% traffic: untracked, user-${i}`, context: user(`user-${i}`), flag: 'exp-no-traffic', bv: `user-${i}` });
  for (let i = 0; i < 6; i++) specs.push({ name: `untrackedVariation may be a weighted variation: user-${i}`, context: user(`user-${i}`), flag: 'exp-untracked-is-control', bv: `user-${i}` });
  for (let i = 0; i < 6; i++) specs.push({ name: `custom salt (traffic salt is salt + ":traffic"): user-${i}`, context: user(`user-${i}`), flag: 'exp-salted', bv: `user-${i}` });
  const in49999 = findValue2('t-', 'edge-salt', (_b, t) => t === 49999);
  const out50000 = findValue2('t-', 'edge-salt', (_b, t) => t === 50000);
  const inLowTreatment = findValue2('t-', 'edge-salt', (b, t) => t < 50000 && b >= 50000);
  const outLowBucket = findValue2('t-', 'edge-salt', (b, t) => t >= 50000 && b < 50000);
  specs.push(
    { name: 'traffic bucket 49999 < 50000: in experiment', context: user(in49999), flag: 'exp-traffic-edge', bv: in49999 },
    { name: 'traffic bucket 50000: not in experiment, untracked', context: user(out50000), flag: 'exp-traffic-edge', bv: out50000 },
    { name: 'in traffic, treatment bucket', context: user(inLowTreatment), flag: 'exp-traffic-edge', bv: inLowTreatment },
    { name: 'out of traffic although the variation bucket is control', context: user(outLowBucket), flag: 'exp-traffic-edge', bv: outLowBucket },
  );
  for (let i = 0; i < 4; i++) specs.push({ name: `bucketBy email: user-${i}@example.com`, context: user('same-key', { email: `user-${i}@example.com` }), flag: 'exp-by-email', bv: `user-${i}@example.com` });
  specs.push(
    { name: 'bucketBy email missing: bucket 0, served the weighted variation, never in experiment', context: user('u1'), flag: 'exp-by-email', bv: null },
    { name: 'integer bucketing value is in experiment', context: user('u1', { n: 42 }), flag: 'exp-by-number', bv: '42' },
    { name: 'integer bucketing value (another)', context: user('u1', { n: 7 }), flag: 'exp-by-number', bv: '7' },
    { name: 'non-string bucketing value (boolean): bucket 0, never in experiment', context: user('u1', { n: true }), flag: 'exp-by-number', bv: null },
    { name: 'non-integer bucketing value (1.5): bucket 0, never in experiment', context: user('u1', { n: 1.5 }), flag: 'exp-by-number', bv: null },
    { name: 'org experiment: by org key', context: { kind: 'multi', user: { key: 'u1' }, org: { key: 'acme' } }, flag: 'exp-org', bv: 'acme' },
    { name: 'org experiment: other org', context: { kind: 'org', key: 'globex' }, flag: 'exp-org', bv: 'globex' },
    { name: 'org experiment, missing kind: bucket 0, never in experiment', context: user('u1'), flag: 'exp-org', bv: null },
    { name: 'org experiment, missing kind, 0% traffic: untracked', context: user('u1'), flag: 'exp-org-no-traffic', bv: null },
  );
  for (let i = 0; i < 4; i++) specs.push({ name: `experiment served by a rule: user-${i}`, context: user(`user-${i}`, { beta: true }), flag: 'exp-in-rule', bv: `user-${i}`, rule: 0 });
  for (let i = 0; i < 3; i++) specs.push({ name: `kind rollout is never in experiment: user-${i}`, context: user(`user-${i}`), flag: 'rollout-not-experiment', bv: `user-${i}` });
  const cases = buildCases(flags, specs);
  cases.push(['experiment rule not matched: fallthrough, not in experiment', user('user-0'), 'exp-in-rule', { value: 'untracked', variation: 2, reason: { kind: 'FALLTHROUGH' }, inExperiment: false }]);
  return { datafile: { schemaVersion: 1, flags: flags as unknown as Json }, cases };
}

/** The three generated files, by file name. */
export function buildBucketingFiles(): Record<string, Record<string, Json>> {
  const r = rollouts();
  const e = experiments();
  return {
    'bucketing.json': {
      specVersion: 1,
      description:
        'SPEC §9 bucketing: hash = murmur3_x86_32(utf8(salt) ++ ":" ++ utf8(value), seed 0) as unsigned 32-bit; bucket = floor(hash × 100000 / 2^32). Rows are [name, salt, value, hash, bucket]. Generated by scripts/generate-bucketing.ts.',
      vectors: bucketingVectors(),
    },
    'rollouts.json': {
      specVersion: 1,
      description:
        'Percentage rollouts (SPEC §9 "Serving a rollout"): weights laid out in list order over [0, 100000); salt = rollout salt, else flag salt, else flag key; bucketBy / contextKind; integers bucket as their shortest decimal string; other non-strings, missing attributes and missing kinds give bucket 0. Expectations generated by scripts/generate-bucketing.ts from src/murmur3.ts.',
      datafile: r.datafile,
      cases: r.cases,
    },
    'experiments.json': {
      specVersion: 1,
      description:
        'Experiments (SPEC §9): a traffic bucket with salt ++ ":traffic" below trafficAllocation gets the weighted variation and is in experiment; others get untrackedVariation and are not; a context without a usable bucketing value (bucket 0) is never in experiment. Expectations generated by scripts/generate-bucketing.ts from src/murmur3.ts.',
      datafile: e.datafile,
      cases: e.cases,
    },
  };
}
