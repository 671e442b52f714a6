// The agreement check, run before any timing. Results that do not depend on
// bucketing (targets, rules, off, fallthrough to a fixed variation) must equal
// the reference evaluator's; each rollout's observed split over the contexts
// that reach it must be within ±2 percentage points of its weights.
import { expected } from './reference.js';
import { FLAGS, FLAG_META, type BenchContext } from './workload.js';
import type { Peer } from './peers/types.js';

export const SPLIT_TOLERANCE = 0.02;

export interface SplitCheck {
  id: string;
  n: number;
  expected: number[];
  observed: number[];
  ok: boolean;
}

export interface Agreement {
  ok: boolean;
  fixedChecked: number;
  fixedMismatches: number;
  /** Mismatches per flag key. */
  mismatchesByFlag: Record<string, number>;
  examples: string[];
  splits: SplitCheck[];
}

export async function checkAgreement<C>(peer: Peer<C>, contexts: BenchContext[], prepared: C[]): Promise<Agreement> {
  let fixedChecked = 0;
  let fixedMismatches = 0;
  const mismatchesByFlag: Record<string, number> = {};
  const examples: string[] = [];
  const splits = new Map<string, { weights: number[]; counts: number[]; n: number }>();
  const miss = (flag: number, msg: string): void => {
    fixedMismatches++;
    const key = FLAG_META[flag]!.key;
    mismatchesByFlag[key] = (mismatchesByFlag[key] ?? 0) + 1;
    if (examples.length < 8) examples.push(msg);
  };

  for (let i = 0; i < contexts.length; i++) {
    for (let f = 0; f < FLAGS.length; f++) {
      const flag = FLAGS[f]!;
      const exp = expected(flag, contexts[i]!);
      const got = peer.async ? await peer.evaluate(prepared[i]!, f) : peer.evaluate(prepared[i]!, f);
      if (exp.kind === 'value') {
        fixedChecked++;
        const want = exp.value ?? FLAG_META[f]!.defaultValue;
        if (got !== want) miss(f, `${flag.key} for ${contexts[i]!.key}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
        continue;
      }
      const vs = exp.serve.rollout.variations;
      let s = splits.get(exp.id);
      if (!s) splits.set(exp.id, (s = { weights: vs.map((w) => w.weight / 100000), counts: vs.map(() => 0), n: 0 }));
      s.n++;
      const slot = vs.findIndex((w) => flag.variations[w.variation] === got);
      if (slot >= 0) s.counts[slot]!++;
      else miss(f, `${flag.key} for ${contexts[i]!.key}: ${JSON.stringify(got)} is not a variation of the rollout`);
    }
  }

  const splitChecks: SplitCheck[] = [...splits].map(([id, s]) => {
    const observed = s.counts.map((c) => c / s.n);
    return { id, n: s.n, expected: s.weights, observed, ok: observed.every((o, k) => Math.abs(o - s.weights[k]!) <= SPLIT_TOLERANCE) };
  });
  return {
    ok: fixedMismatches === 0 && splitChecks.every((s) => s.ok),
    fixedChecked,
    fixedMismatches,
    mismatchesByFlag,
    examples,
    splits: splitChecks,
  };
}
