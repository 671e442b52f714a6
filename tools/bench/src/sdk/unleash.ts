// unleash-client: offline from `bootstrap.data` (the workload translated
// below), `refreshInterval: 0` (no polling), in-memory storage. Metrics ON
// (Unleash's only events: per-toggle yes/no and variant counters, sent every
// 60 s by default, plus a registration at start) to `url` = a loopback sink.
// Boolean flags are read with `isEnabled`, the others with `getVariant`
// (strategy variants carrying the value as payload).
import type { Context, Unleash } from 'unleash-client';
import { FLAGS, FLAG_META, type BenchContext, type Clause, type Flag, type Serve, type Value } from '../workload.js';
import { describeSink, loopbackSink, type LoopbackSink } from './sink.js';
import type { SdkPeer } from './types.js';

interface Constraint {
  contextName: string;
  operator: string;
  inverted: boolean;
  values: string[];
  value?: string;
}

const contextName = (a: Clause['attribute']): string => (a === 'key' ? 'userId' : a);

function constraints(c: Clause): Constraint[] {
  const base = { contextName: contextName(c.attribute), inverted: false };
  switch (c.op) {
    case 'in':
      return [{ ...base, operator: 'IN', values: c.values.map(String) }];
    case 'startsWith':
      return [{ ...base, operator: 'STR_STARTS_WITH', values: c.values.map(String) }];
    case 'greaterThan':
    case 'semVerGreaterThan':
      // NUM_GT and SEMVER_GT compare with one `value`: more than one value would need one strategy per value
      if (c.values.length !== 1) throw new Error(`unleash: ${c.op} with ${c.values.length} values is not translated`);
      return [{ ...base, operator: c.op === 'greaterThan' ? 'NUM_GT' : 'SEMVER_GT', values: [], value: String(c.values[0]) }];
  }
}

/** Variant weights out of 1,000 (Unleash's unit), rounded, the rounding error given to the largest. */
function weights(s: Serve): { variation: number; weight: number }[] {
  if ('variation' in s) return [{ variation: s.variation, weight: 1000 }];
  const ws = s.rollout.variations.map((w) => ({ variation: w.variation, weight: Math.round(w.weight / 100) }));
  const max = ws.reduce((a, b) => (b.weight > a.weight ? b : a));
  max.weight += 1000 - ws.reduce((n, w) => n + w.weight, 0);
  return ws;
}

function strategy(f: Flag, id: string, cs: Constraint[], s: Serve): object {
  const boolean = typeof f.variations[0] === 'boolean';
  if (boolean) {
    // isEnabled: a matching strategy means `true`; its rollout percentage is the share of `true`
    const share = 'variation' in s ? (f.variations[s.variation] === true ? 100 : 0) : s.rollout.variations.filter((w) => f.variations[w.variation] === true).reduce((n, w) => n + w.weight, 0) / 1000;
    if (share === 0) throw new Error(`unleash: ${f.key}/${id} serves only false, which isEnabled cannot express after other strategies`);
    return { name: 'flexibleRollout', parameters: { rollout: String(share), stickiness: 'default', groupId: f.key }, constraints: cs };
  }
  const type = typeof f.variations[0] === 'number' ? 'number' : 'string';
  return {
    name: 'flexibleRollout',
    parameters: { rollout: '100', stickiness: 'default', groupId: `${f.key}-${id}` },
    constraints: cs,
    variants: weights(s).map((w) => ({
      name: `v${w.variation}`,
      weight: w.weight,
      weightType: 'variable',
      stickiness: 'default',
      payload: { type, value: String(f.variations[w.variation]) },
    })),
  };
}

function feature(f: Flag): object {
  const boolean = typeof f.variations[0] === 'boolean';
  const strategies: object[] = [];
  // Unleash has no off state that serves a variation: such a flag becomes an enabled one with one strategy serving it.
  if (!f.on) {
    if (f.offVariation === null || (boolean && f.variations[f.offVariation] === false)) return { name: f.key, enabled: false, strategies: [] };
    strategies.push(strategy(f, 'off', [], { variation: f.offVariation }));
    return { name: f.key, enabled: true, strategies };
  }
  f.targets.forEach((t, i) => strategies.push(strategy(f, `t${i}`, [{ contextName: 'userId', operator: 'IN', inverted: false, values: t.values }], t)));
  for (const r of f.rules) strategies.push(strategy(f, r.id, r.clauses.flatMap(constraints), r.serve));
  const ft = f.fallthrough;
  if (!(boolean && 'variation' in ft && f.variations[ft.variation] === false)) strategies.push(strategy(f, 'fallthrough', [], ft));
  return { name: f.key, enabled: true, impressionData: false, strategies };
}

export function translate(): string {
  return JSON.stringify(FLAGS.map(feature));
}

export function createSdk(): SdkPeer<Context> {
  let unleash: Unleash;
  let sink: LoopbackSink;
  let warnings = 0;
  const readers = FLAG_META.map(({ key, type, defaultValue }): ((ctx: Context) => Value) => {
    if (type === 'boolean') return (ctx) => unleash.isEnabled(key, ctx);
    const fallback = { name: 'disabled', enabled: false };
    return (ctx) => {
      const v = unleash.getVariant(key, ctx, fallback);
      if (!v.enabled || !v.payload) return defaultValue;
      return type === 'number' ? Number(v.payload.value) : v.payload.value;
    };
  });
  return {
    label: 'unleash-client 6.12.1',
    readApi: '`unleash.isEnabled(key, ctx)` (booleans), `unleash.getVariant(key, ctx).payload` (strings, numbers)',
    requestApi: 'build the Unleash `Context` (`userId` + `properties`) + 20 reads (nothing to close)',
    events:
      'metrics on: per-toggle yes/no and per-variant counters, posted every 60 s (default) and at shutdown to `url` = a loopback sink answering 202; no per-read exposure events exist',
    trackApi: '– (no custom-event API)',
    async: false,
    async load() {
      const { Unleash, InMemStorageProvider } = await import('unleash-client');
      sink = await loopbackSink(() => 202);
      unleash = new Unleash({
        appName: 'avsb-bench',
        url: `${sink.url}/api/`,
        refreshInterval: 0, // no polling: bootstrap only
        bootstrap: { data: JSON.parse(translate()) },
        storageProvider: new InMemStorageProvider(),
        skipInstanceCountWarning: true,
      });
      unleash.on('warn', () => void warnings++);
      unleash.on('error', () => void warnings++);
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('unleash: not ready after 10 s')), 10_000);
        unleash.once('ready', () => (clearTimeout(timer), resolve()));
      });
    },
    scope: (c: BenchContext): Context => ({
      userId: c.key,
      properties: { email: c.email, country: c.country, plan: c.plan, age: String(c.age), appVersion: c.appVersion },
    }),
    get: (ctx, flag) => readers[flag]!(ctx),
    async eventStats() {
      await unleash.flushMetrics();
      return `sink: ${describeSink(sink.stats)}; ${warnings} warn/error events`;
    },
    async shutdown() {
      unleash.destroy();
      await sink.close();
    },
  };
}
