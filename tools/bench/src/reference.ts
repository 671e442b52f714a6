// An independent, deliberately plain evaluator of the workload's subset of the
// A vs B semantics (SPEC.md §9), used as the oracle of the agreement check.
// It stops at rollouts: bucketing differs between SDKs, so a rollout is only
// named here, and each SDK's split over all contexts is checked separately.
import type { BenchContext, Clause, Flag, Serve, Value } from './workload.js';

export type Expected =
  | { kind: 'value'; value: Value | null } // null: the caller's default
  | { kind: 'rollout'; id: string; serve: Extract<Serve, { rollout: unknown }> };

function semver(v: string): [number, number, number] {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(v);
  if (!m) throw new Error(`workload uses a version outside the plain x.y.z subset: ${v}`);
  return [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)];
}

function semverGreater(a: string, b: string): boolean {
  const x = semver(a);
  const y = semver(b);
  for (let i = 0; i < 3; i++) {
    if (x[i]! !== y[i]!) return x[i]! > y[i]!;
  }
  return false;
}

function clauseMatches(c: Clause, ctx: BenchContext): boolean {
  const attr = ctx[c.attribute];
  return c.values.some((v) => {
    switch (c.op) {
      case 'in':
        return attr === v;
      case 'startsWith':
        return typeof attr === 'string' && typeof v === 'string' && attr.startsWith(v);
      case 'greaterThan':
        return typeof attr === 'number' && typeof v === 'number' && attr > v;
      case 'semVerGreaterThan':
        return typeof attr === 'string' && typeof v === 'string' && semverGreater(attr, v);
    }
  });
}

function serve(flag: Flag, s: Serve, id: string): Expected {
  return 'variation' in s ? { kind: 'value', value: flag.variations[s.variation]! } : { kind: 'rollout', id, serve: s };
}

export function expected(flag: Flag, ctx: BenchContext): Expected {
  if (!flag.on) {
    return { kind: 'value', value: flag.offVariation === null ? null : flag.variations[flag.offVariation]! };
  }
  for (const t of flag.targets) {
    if (t.values.includes(ctx.key)) return { kind: 'value', value: flag.variations[t.variation]! };
  }
  for (const r of flag.rules) {
    if (r.clauses.every((c) => clauseMatches(c, ctx))) return serve(flag, r.serve, `${flag.key}/rule:${r.id}`);
  }
  return serve(flag, flag.fallthrough, `${flag.key}/fallthrough`);
}
