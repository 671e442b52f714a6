// The floor of issue 9's "within 1.2× of a hand-written JS evaluator": the
// workload's 20 flags compiled once into plain JS (a Set per target list and
// per `in` clause, semver and numbers compared in place, a 32-bit FNV-1a
// bucket for rollouts), evaluated for a context object built per request as
// the `avsb` row builds it. No SDK, no events, nothing to release: what an
// application could write by hand for exactly these flags. `reference.ts` is
// not it (it stops at rollouts and returns descriptions, not values).
import { FLAGS, FLAG_META, userContext, type BenchContext, type Clause, type Flag, type Serve, type Value } from '../workload.js';
import type { SdkPeer } from './types.js';

type Context = ReturnType<typeof userContext>;
type Evaluate = (c: Context) => Value;

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** `a > b` for plain `x.y.z` versions; `false` for anything else. */
function semverGreater(a: unknown, b: readonly number[]): boolean {
  if (typeof a !== 'string') return false;
  const parts = a.split('.');
  for (let i = 0; i < 3; i++) {
    const x = Number(parts[i] ?? 0);
    if (x !== b[i]) return x > b[i]!;
  }
  return false;
}

function clause(c: Clause): (ctx: Context) => boolean {
  const name = c.attribute;
  switch (c.op) {
    case 'in': {
      const values = new Set<unknown>(c.values);
      return (ctx) => values.has(ctx[name]);
    }
    case 'startsWith': {
      const prefixes = c.values as string[];
      return (ctx) => {
        const v = ctx[name];
        return typeof v === 'string' && prefixes.some((p) => v.startsWith(p));
      };
    }
    case 'greaterThan': {
      const min = Math.min(...(c.values as number[]));
      return (ctx) => {
        const v = ctx[name];
        return typeof v === 'number' && v > min;
      };
    }
    case 'semVerGreaterThan': {
      const versions = (c.values as string[]).map((v) => v.split('.').map(Number));
      return (ctx) => versions.some((v) => semverGreater(ctx[name], v));
    }
  }
}

function serve(flag: Flag, s: Serve): Evaluate {
  if ('variation' in s) {
    const value = flag.variations[s.variation]!;
    return () => value;
  }
  const bounds: number[] = [];
  let sum = 0;
  for (const w of s.rollout.variations) bounds.push((sum += w.weight));
  const values = s.rollout.variations.map((w) => flag.variations[w.variation]!);
  const salt = `${flag.key}.`;
  return (ctx) => {
    const bucket = fnv1a(salt + ctx.key) % 100000;
    let i = 0;
    while (i < bounds.length - 1 && bucket >= bounds[i]!) i++;
    return values[i]!;
  };
}

function compile(flag: Flag, defaultValue: Value): Evaluate {
  if (!flag.on) {
    const off = flag.offVariation === null ? defaultValue : flag.variations[flag.offVariation]!;
    return () => off;
  }
  const targets = new Map<string, Value>();
  for (const t of flag.targets) for (const key of t.values) if (!targets.has(key)) targets.set(key, flag.variations[t.variation]!);
  const rules = flag.rules.map((r) => ({ when: r.clauses.map(clause), then: serve(flag, r.serve) }));
  const fallthrough = serve(flag, flag.fallthrough);
  return (ctx) => {
    if (targets.size > 0) {
      const target = targets.get(ctx.key);
      if (target !== undefined) return target;
    }
    for (const rule of rules) if (rule.when.every((matches) => matches(ctx))) return rule.then(ctx);
    return fallthrough(ctx);
  };
}

export function createSdk(): SdkPeer<Context> {
  const flags = FLAGS.map((f, i) => compile(f, FLAG_META[i]!.defaultValue));
  return {
    label: 'hand-written JS (the floor)',
    readApi: 'a closure per flag compiled from the workload (`src/sdk/hand.ts`)',
    requestApi: 'the context object built as the `avsb` row builds it + 20 reads (nothing to close)',
    events: 'none',
    trackApi: '–',
    async: false,
    async load() {},
    scope: (c: BenchContext) => userContext(c),
    get: (ctx, flag) => flags[flag]!(ctx),
    async eventStats() {
      return 'no events';
    },
    async shutdown() {},
  };
}
