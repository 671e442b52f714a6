// The benchmark workload: 20 flags written once in the A vs B datafile format
// (packages/engine/SPEC.md) and 10,000 generated contexts. Every peer adapter
// in ./peers translates these flags into its own format by code.

export type Value = boolean | string | number;

export interface Clause {
  attribute: 'key' | 'email' | 'country' | 'plan' | 'age' | 'appVersion';
  op: 'in' | 'startsWith' | 'greaterThan' | 'semVerGreaterThan';
  values: Value[];
}

export interface WeightedVariation {
  variation: number;
  weight: number; // out of 100000
}

export type Serve = { variation: number } | { rollout: { variations: WeightedVariation[] } };

export interface Rule {
  id: string;
  clauses: Clause[]; // AND-ed
  serve: Serve;
}

export interface Flag {
  key: string;
  on: boolean;
  variations: Value[];
  offVariation: number | null;
  targets: { values: string[]; variation: number }[];
  rules: Rule[];
  fallthrough: Serve;
  /** The fallthrough rollout is an experiment: reads are experiment exposures (A vs B `kind: "experiment"`, LaunchDarkly `trackEventsFallthrough`). */
  experiment?: true;
}

/** What the application passes as the default value for each flag (served when the SDK has no variation). */
export interface FlagMeta {
  key: string;
  type: 'boolean' | 'string' | 'number';
  defaultValue: Value;
}

export interface BenchContext {
  key: string;
  email: string;
  country: string;
  plan: string;
  age: number;
  appVersion: string;
}

const split = (...weights: number[]): Serve => ({
  rollout: { variations: weights.map((weight, variation) => ({ variation, weight })) },
});
const keys = (from: number, count: number, step = 1): string[] =>
  Array.from({ length: count }, (_, i) => contextKey(from + i * step));

export const FLAGS: Flag[] = [
  // 1. on, no targeting: fallthrough to a fixed variation
  { key: 'kill-switch', on: true, variations: [true, false], offVariation: 1, targets: [], rules: [], fallthrough: { variation: 0 } },
  // 2. individual targets
  {
    key: 'new-checkout', on: true, variations: [true, false], offVariation: 1,
    targets: [{ values: keys(0, 50, 7), variation: 0 }], rules: [], fallthrough: { variation: 1 },
  },
  // 3. `in` on country
  {
    key: 'nordic-banner', on: true, variations: [true, false], offVariation: 1, targets: [],
    rules: [{ id: 'nordics', clauses: [{ attribute: 'country', op: 'in', values: ['NO', 'SE', 'DK', 'FI'] }], serve: { variation: 0 } }],
    fallthrough: { variation: 1 },
  },
  // 4. string flag: `in` on plan, then `startsWith` on email
  {
    key: 'pricing-page', on: true, variations: ['control', 'annual-first', 'debug'], offVariation: 0, targets: [],
    rules: [
      { id: 'paid', clauses: [{ attribute: 'plan', op: 'in', values: ['pro', 'team'] }], serve: { variation: 1 } },
      { id: 'qa', clauses: [{ attribute: 'email', op: 'startsWith', values: ['qa-'] }], serve: { variation: 2 } },
    ],
    fallthrough: { variation: 0 },
  },
  // 5. number flag: two `in` rules
  {
    key: 'max-upload-mb', on: true, variations: [10, 50, 200], offVariation: 0, targets: [],
    rules: [
      { id: 'enterprise', clauses: [{ attribute: 'plan', op: 'in', values: ['enterprise'] }], serve: { variation: 2 } },
      { id: 'paid', clauses: [{ attribute: 'plan', op: 'in', values: ['pro', 'team'] }], serve: { variation: 1 } },
    ],
    fallthrough: { variation: 0 },
  },
  // 6. numeric greaterThan
  {
    key: 'age-gated-offer', on: true, variations: [true, false], offVariation: 1, targets: [],
    rules: [{ id: 'over-21', clauses: [{ attribute: 'age', op: 'greaterThan', values: [21] }], serve: { variation: 0 } }],
    fallthrough: { variation: 1 },
  },
  // 7. semVerGreaterThan on appVersion
  {
    key: 'new-api-client', on: true, variations: [true, false], offVariation: 1, targets: [],
    rules: [{ id: 'v2.3+', clauses: [{ attribute: 'appVersion', op: 'semVerGreaterThan', values: ['2.3.0'] }], serve: { variation: 0 } }],
    fallthrough: { variation: 1 },
  },
  // 8. a rule with two clauses AND-ed
  {
    key: 'premium-eu', on: true, variations: ['standard', 'premium-eu'], offVariation: 0, targets: [],
    rules: [{
      id: 'eu-paid',
      clauses: [
        { attribute: 'country', op: 'in', values: ['DE', 'FR', 'ES', 'IT', 'NL'] },
        { attribute: 'plan', op: 'in', values: ['pro', 'enterprise'] },
      ],
      serve: { variation: 1 },
    }],
    fallthrough: { variation: 0 },
  },
  // 9. 50/50 experiment
  { key: 'checkout-experiment', on: true, variations: ['control', 'treatment'], offVariation: 0, targets: [], rules: [], fallthrough: split(50000, 50000), experiment: true },
  // 10. 3-way experiment
  { key: 'search-ranking', on: true, variations: ['bm25', 'vector', 'hybrid'], offVariation: 0, targets: [], rules: [], fallthrough: split(33334, 33333, 33333), experiment: true },
  // 11. 10/90 rollout
  { key: 'gradual-rollout', on: true, variations: [true, false], offVariation: 1, targets: [], rules: [], fallthrough: split(10000, 90000) },
  // 12-14. off flags: two serve their offVariation, one serves the caller's default
  {
    key: 'old-onboarding', on: false, variations: [true, false], offVariation: 1,
    targets: [{ values: keys(0, 20), variation: 0 }], rules: [], fallthrough: { variation: 0 },
  },
  {
    key: 'legacy-theme', on: false, variations: ['classic', 'modern'], offVariation: 0, targets: [],
    rules: [{ id: 'us', clauses: [{ attribute: 'country', op: 'in', values: ['US'] }], serve: { variation: 1 } }],
    fallthrough: { variation: 1 },
  },
  { key: 'retired-limit', on: false, variations: [1, 2], offVariation: null, targets: [], rules: [], fallthrough: { variation: 1 } },
  // 15. string flag: targets, then `in`, then greaterThan
  {
    key: 'support-tier', on: true, variations: ['standard', 'vip', 'priority', 'assisted'], offVariation: 0,
    targets: [{ values: keys(3, 40, 11), variation: 1 }],
    rules: [
      { id: 'enterprise', clauses: [{ attribute: 'plan', op: 'in', values: ['enterprise'] }], serve: { variation: 2 } },
      { id: 'over-65', clauses: [{ attribute: 'age', op: 'greaterThan', values: [65] }], serve: { variation: 3 } },
    ],
    fallthrough: { variation: 0 },
  },
  // 16. number flag: AND-ed rule with semver, then `in`
  {
    key: 'rate-limit', on: true, variations: [1000, 500, 100], offVariation: 0, targets: [],
    rules: [
      {
        id: 'free-new-app',
        clauses: [
          { attribute: 'plan', op: 'in', values: ['free'] },
          { attribute: 'appVersion', op: 'semVerGreaterThan', values: ['3.0.0'] },
        ],
        serve: { variation: 2 },
      },
      { id: 'na', clauses: [{ attribute: 'country', op: 'in', values: ['US', 'CA'] }], serve: { variation: 1 } },
    ],
    fallthrough: { variation: 0 },
  },
  // 17. a rule that serves a 50/50 rollout
  {
    key: 'onboarding-flow', on: true, variations: ['guided', 'self-serve', 'debug'], offVariation: 0, targets: [],
    rules: [
      { id: 'qa', clauses: [{ attribute: 'email', op: 'startsWith', values: ['qa-'] }], serve: { variation: 2 } },
      { id: 'adults', clauses: [{ attribute: 'age', op: 'greaterThan', values: [20] }], serve: split(50000, 50000) },
    ],
    fallthrough: { variation: 0 },
  },
  // 18. targets, then a 50/50 rollout for everyone else
  {
    key: 'dark-mode', on: true, variations: [true, false], offVariation: 1,
    targets: [{ values: keys(1, 100, 13), variation: 0 }], rules: [], fallthrough: split(50000, 50000),
  },
  // 19. AND-ed semver + `in`
  {
    key: 'recommendations-v2', on: true, variations: [true, false], offVariation: 1, targets: [],
    rules: [{
      id: 'modern-app-core-markets',
      clauses: [
        { attribute: 'appVersion', op: 'semVerGreaterThan', values: ['2.0.0'] },
        { attribute: 'country', op: 'in', values: ['US', 'GB', 'DE'] },
      ],
      serve: { variation: 0 },
    }],
    fallthrough: { variation: 1 },
  },
  // 20. string flag: `in`, fallthrough to a fixed variation
  {
    key: 'homepage-layout', on: true, variations: ['grid', 'dashboard', 'list'], offVariation: 0, targets: [],
    rules: [{ id: 'enterprise', clauses: [{ attribute: 'plan', op: 'in', values: ['enterprise'] }], serve: { variation: 1 } }],
    fallthrough: { variation: 0 },
  },
];

const DEFAULTS: Record<FlagMeta['type'], Value> = { boolean: false, string: 'app-default', number: -1 };

export const FLAG_META: FlagMeta[] = FLAGS.map((f) => {
  const type = typeof f.variations[0] as FlagMeta['type'];
  return { key: f.key, type, defaultValue: DEFAULTS[type] };
});

/** The datafile the A vs B engine loads. */
export function avsbDatafile(): object {
  return {
    schemaVersion: 1,
    revision: 1,
    flags: FLAGS.map((f) => ({
      key: f.key,
      on: f.on,
      variations: f.variations,
      offVariation: f.offVariation,
      targets: f.targets,
      rules: f.rules.map((r) => ({
        id: r.id,
        clauses: r.clauses.map((c) => ({ contextKind: 'user', attribute: c.attribute, op: c.op, values: c.values })),
        serve: serveJson(r.serve),
      })),
      fallthrough: serveJson(f.fallthrough, f.experiment === true),
    })),
  };
}

/** The workload's flags `copies` times over, each copy's keys suffixed so they stay unique (the 1,000-flag rows: 50 copies). */
export function largeDatafile(copies: number): string {
  const base = avsbDatafile() as { flags: { key: string }[] };
  const flags = [];
  for (let c = 0; c < copies; c++) for (const f of base.flags) flags.push({ ...f, key: `${f.key}-${c}` });
  return JSON.stringify({ ...base, flags });
}

function serveJson(s: Serve, experiment = false): object {
  return 'variation' in s ? { variation: s.variation } : { rollout: { kind: experiment ? 'experiment' : 'rollout', variations: s.rollout.variations } };
}

// ---- contexts ----

/** A bench context as A vs B and LaunchDarkly take it: `{ kind: "user", key, …attributes }`, a new object per call (as a request builds it). */
export function userContext(c: BenchContext): { kind: 'user'; key: string; email: string; country: string; plan: string; age: number; appVersion: string } {
  return { kind: 'user', key: c.key, email: c.email, country: c.country, plan: c.plan, age: c.age, appVersion: c.appVersion };
}

export const CONTEXT_COUNT = 10_000;

export function contextKey(i: number): string {
  return `u-${String(i).padStart(5, '0')}`;
}

/** Deterministic PRNG (mulberry32), so every run sees the same contexts. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(rand: () => number, items: readonly (readonly [T, number])[]): T {
  let r = rand() * items.reduce((s, [, w]) => s + w, 0);
  for (const [item, w] of items) {
    if ((r -= w) < 0) return item;
  }
  return items[items.length - 1]![0];
}

const COUNTRIES = [['US', 25], ['GB', 10], ['DE', 10], ['FR', 8], ['ES', 5], ['IT', 5], ['NL', 4], ['NO', 3], ['SE', 3], ['DK', 2], ['FI', 2], ['CA', 6], ['JP', 7], ['BR', 6], ['IN', 4]] as const;
const PLANS = [['free', 40], ['pro', 30], ['team', 15], ['enterprise', 15]] as const;
const LOCALS = [['user', 50], ['qa-', 10], ['admin', 10], ['dev', 15], ['sales', 15]] as const;
const DOMAINS = [['example.com', 40], ['acme.io', 30], ['mail.test', 30]] as const;

export function makeContexts(count = CONTEXT_COUNT, seed = 0x5eed): BenchContext[] {
  const rand = prng(seed);
  const out: BenchContext[] = [];
  for (let i = 0; i < count; i++) {
    const major = pick(rand, [[1, 30], [2, 45], [3, 25]] as const);
    out.push({
      key: contextKey(i),
      email: `${pick(rand, LOCALS)}${i}@${pick(rand, DOMAINS)}`,
      country: pick(rand, COUNTRIES),
      plan: pick(rand, PLANS),
      age: 18 + Math.floor(rand() * 63),
      appVersion: `${major}.${Math.floor(rand() * 12)}.${Math.floor(rand() * 20)}`,
    });
  }
  return out;
}
