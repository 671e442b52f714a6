// @growthbook/growthbook: GrowthBookClient (the multi-user server API) with a
// user-scoped instance per request; conditions are MongoDB-style queries.
import type { FeatureRule, GrowthBookClient, UserScopedGrowthBook } from '@growthbook/growthbook';
import { FLAGS, FLAG_META, type BenchContext, type Clause, type Flag, type Serve, type Value } from '../workload.js';
import type { Peer } from './types.js';

type Condition = Record<string, unknown>;

const attr = (a: Clause['attribute']): string => (a === 'key' ? 'id' : a);
const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
const anyOf = (a: string, parts: unknown[]): Condition =>
  parts.length === 1 ? { [a]: parts[0] } : { $or: parts.map((p) => ({ [a]: p })) };

function clause(c: Clause): Condition {
  const a = attr(c.attribute);
  switch (c.op) {
    case 'in':
      return { [a]: { $in: c.values } };
    case 'startsWith':
      return anyOf(a, c.values.map((v) => ({ $regex: `^${escapeRegex(String(v))}` })));
    case 'greaterThan':
      return anyOf(a, c.values.map((v) => ({ $gt: v })));
    case 'semVerGreaterThan':
      return anyOf(a, c.values.map((v) => ({ $vgt: v })));
  }
}

function rule(f: Flag, s: Serve, id: string, condition?: Condition): FeatureRule<Value> {
  const base: FeatureRule<Value> = condition ? { id, condition: condition as FeatureRule['condition'] } : { id };
  if ('variation' in s) return { ...base, force: f.variations[s.variation]! };
  return {
    ...base,
    key: id,
    hashAttribute: 'id',
    hashVersion: 2,
    variations: s.rollout.variations.map((w) => f.variations[w.variation]!),
    weights: s.rollout.variations.map((w) => w.weight / 100000),
  };
}

function feature(f: Flag): { defaultValue: Value; rules?: FeatureRule<Value>[] } {
  // GrowthBook has no off state that serves a variation: an off flag becomes
  // a feature with that default value and no rules.
  if (!f.on) return { defaultValue: f.variations[f.offVariation!]! };
  const rules: FeatureRule<Value>[] = [];
  f.targets.forEach((t, i) => rules.push(rule(f, { variation: t.variation }, `${f.key}-t${i}`, { id: { $in: t.values } })));
  for (const r of f.rules) {
    const cs = r.clauses.map(clause);
    rules.push(rule(f, r.serve, `${f.key}-${r.id}`, cs.length === 1 ? cs[0] : { $and: cs }));
  }
  if ('variation' in f.fallthrough) return { defaultValue: f.variations[f.fallthrough.variation]!, rules };
  rules.push(rule(f, f.fallthrough, `${f.key}-fallthrough`));
  return { defaultValue: f.variations[0]!, rules };
}

export function translate(): string {
  // An off flag that serves the caller's default is left out, as a feature that is not delivered.
  const features = FLAGS.filter((f) => f.on || f.offVariation !== null).map((f) => [f.key, feature(f)]);
  return JSON.stringify({ features: Object.fromEntries(features) });
}

export function createPeer(): Peer<UserScopedGrowthBook> {
  let client: GrowthBookClient;
  return {
    label: '@growthbook/growthbook 1.8.0',
    api: '`scoped.getFeatureValue(key, default)`',
    prepare: '`client.createScopedInstance({ attributes })`',
    async: false,
    sdkModule: '@growthbook/growthbook',
    async load(payload) {
      const { GrowthBookClient } = await import('@growthbook/growthbook');
      client = new GrowthBookClient({ enabled: true });
      client.initSync({ payload: JSON.parse(payload) });
    },
    prepareContext: (c: BenchContext) => client.createScopedInstance({ attributes: gbAttributes(c) }),
    evaluate: (gb, flag) => {
      const m = FLAG_META[flag]!;
      return gb.getFeatureValue(m.key, m.defaultValue);
    },
    close: () => client.destroy(),
  };
}

/** A bench context as GrowthBook's attributes (`id` is the key). */
export function gbAttributes(c: BenchContext): Record<string, string | number> {
  return { id: c.key, email: c.email, country: c.country, plan: c.plan, age: c.age, appVersion: c.appVersion };
}
