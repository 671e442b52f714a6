// @openfeature/flagd-core: flagd's in-process evaluator (JSON Logic targeting).
import type { FlagdCore } from '@openfeature/flagd-core';
import { FLAGS, FLAG_META, type BenchContext, type Clause, type Flag, type Serve } from '../workload.js';
import type { Peer } from './types.js';

type Logic = unknown;
type Ctx = Record<string, string | number>;

const variant = (i: number): string => `v${i}`;
const varOf = (attribute: Clause['attribute']): Logic => ({ var: attribute === 'key' ? 'targetingKey' : attribute });
const anyOf = (parts: Logic[]): Logic => (parts.length === 1 ? parts[0] : { or: parts });

function clause(c: Clause): Logic {
  switch (c.op) {
    case 'in':
      return { in: [varOf(c.attribute), c.values] };
    case 'startsWith':
      return anyOf(c.values.map((v) => ({ starts_with: [varOf(c.attribute), v] })));
    case 'greaterThan':
      return anyOf(c.values.map((v) => ({ '>': [varOf(c.attribute), v] })));
    case 'semVerGreaterThan':
      return anyOf(c.values.map((v) => ({ sem_ver: [varOf(c.attribute), '>', v] })));
  }
}

function serve(s: Serve): Logic {
  return 'variation' in s
    ? variant(s.variation)
    : { fractional: s.rollout.variations.map((w) => [variant(w.variation), w.weight]) };
}

function flagConfig(f: Flag): object {
  const variants = Object.fromEntries(f.variations.map((v, i) => [variant(i), v]));
  if (!f.on) {
    // flagd has no off-variation: DISABLED serves the caller's default, so an
    // off flag that serves a variation becomes a static flag serving it.
    return f.offVariation === null
      ? { state: 'DISABLED', variants, defaultVariant: variant(0) }
      : { state: 'ENABLED', variants, defaultVariant: variant(f.offVariation) };
  }
  const branches: Logic[] = [];
  for (const t of f.targets) branches.push({ in: [{ var: 'targetingKey' }, t.values] }, variant(t.variation));
  for (const r of f.rules) {
    const cs = r.clauses.map(clause);
    branches.push(cs.length === 1 ? cs[0] : { and: cs }, serve(r.serve));
  }
  const fixed = 'variation' in f.fallthrough ? f.fallthrough.variation : 0;
  if (branches.length === 0 && 'variation' in f.fallthrough) {
    return { state: 'ENABLED', variants, defaultVariant: variant(fixed) };
  }
  const targeting = branches.length === 0 ? serve(f.fallthrough) : { if: [...branches, serve(f.fallthrough)] };
  return { state: 'ENABLED', variants, defaultVariant: variant(fixed), targeting };
}

export function translate(): string {
  return JSON.stringify({ flags: Object.fromEntries(FLAGS.map((f) => [f.key, flagConfig(f)])) });
}

export function createPeer(): Peer<Ctx> {
  let core: FlagdCore;
  let evals: ((ctx: Ctx) => unknown)[] = [];
  return {
    label: '@openfeature/flagd-core 4.0.1',
    api: '`resolve{Boolean,String,Number}Evaluation(key, default, ctx)`',
    prepare: 'build the OpenFeature evaluation context object (`targetingKey` + 5 attributes)',
    bulkApi: '`resolveAll(ctx)`',
    async: false,
    sdkModule: '@openfeature/flagd-core',
    async load(payload) {
      const { FlagdCore } = await import('@openfeature/flagd-core');
      core = new FlagdCore();
      core.setConfigurations(payload);
      evals = FLAG_META.map(({ key, type, defaultValue }) => {
        if (type === 'boolean') return (ctx: Ctx) => core.resolveBooleanEvaluation(key, defaultValue as boolean, ctx).value;
        if (type === 'string') return (ctx: Ctx) => core.resolveStringEvaluation(key, defaultValue as string, ctx).value;
        return (ctx: Ctx) => core.resolveNumberEvaluation(key, defaultValue as number, ctx).value;
      });
    },
    prepareContext: (c: BenchContext): Ctx => ({
      targetingKey: c.key,
      email: c.email,
      country: c.country,
      plan: c.plan,
      age: c.age,
      appVersion: c.appVersion,
    }),
    evaluate: (ctx, flag) => evals[flag]!(ctx),
    evaluateAll: (ctx) => core.resolveAll(ctx),
  };
}
