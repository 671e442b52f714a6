/**
 * Hypothesis tests for experiment results: two-proportion z-test (conversion
 * rate), Welch's t-test (value per exposed context) and the chi-square
 * sample-ratio-mismatch check. Formulas and degenerate cases: docs/STATS.md.
 *
 * Group 1 is the control, group 2 the treatment: differences and lifts are
 * treatment relative to control. None of these functions throws: undefined
 * numbers come back as NaN, an undefined interval as null.
 */
import { chiSquareSurvival, normalCdf, normalQuantile, studentTCdf, studentTQuantile } from './distributions';

/** A two-sided 95% interval `[low, high]`. */
export type Interval = [low: number, high: number];

/** Result of {@link twoProportionZTest}. */
export interface ProportionTestResult {
  /** (p2 − p1) / pooled standard error; NaN when the pooled rate is 0 or 1. */
  z: number;
  /** Two-sided p-value 2·Φ(−|z|); NaN with z. */
  pValue: number;
  /** p2 − p1. */
  diff: number;
  /** p2 / p1 − 1; NaN when p1 = 0. */
  relativeLift: number;
  /** 95% interval on the relative lift (delta method, unpooled variances); null when p1 = 0. */
  liftCI95: Interval | null;
}

/** Result of {@link welchTTest}. */
export interface WelchTestResult {
  /** (mean2 − mean1) / √(var1/n1 + var2/n2). */
  t: number;
  /** Welch–Satterthwaite degrees of freedom. */
  df: number;
  /** Two-sided p-value from Student's t with `df` degrees of freedom. */
  pValue: number;
  /** mean2 / mean1 − 1; NaN when mean1 = 0. */
  relativeLift: number;
  /** 95% interval on the relative lift (delta method, t critical value at `df`). */
  liftCI95: Interval | null;
}

/** Result of {@link sampleRatioMismatch}. */
export interface SrmResult {
  /** Pearson's Σ (observed − expected)² / expected; Infinity if a zero-weight arm has contexts. */
  chiSquare: number;
  /** Number of arms with positive weight, minus one. */
  df: number;
  /** P(χ²_df ≥ chiSquare). */
  pValue: number;
  /** pValue < {@link SRM_ALPHA}. */
  mismatch: boolean;
}

/** p-value below which a sample ratio mismatch is reported (the usual SRM alarm level). */
export const SRM_ALPHA = 0.001;

/** The 0.975 standard normal quantile, 1.959963984540054. */
const Z_975 = normalQuantile(0.975);

const isCount = (x: number): boolean => Number.isFinite(x) && x >= 0;

/**
 * Lift interval by the delta method on the ratio R = m2 / m1 of two
 * independent estimates with variances v1, v2:
 * Var(R) ≈ (v2 + R² · v1) / m1², interval R − 1 ± crit · √Var(R).
 */
function ratioLiftInterval(m1: number, v1: number, m2: number, v2: number, crit: number): Interval | null {
  if (m1 === 0 || !Number.isFinite(crit)) return null;
  const ratio = m2 / m1;
  const half = (crit * Math.sqrt(v2 + ratio * ratio * v1)) / Math.abs(m1);
  const interval: Interval = [ratio - 1 - half, ratio - 1 + half];
  return Number.isFinite(interval[0]) && Number.isFinite(interval[1]) ? interval : null;
}

/**
 * Two-proportion z-test of x1/n1 (control) against x2/n2 (treatment).
 *
 * The test statistic uses the pooled proportion p = (x1 + x2)/(n1 + n2):
 * z = (p2 − p1) / √(p(1 − p)(1/n1 + 1/n2)), two-sided p-value 2·Φ(−|z|).
 * The 95% interval on the relative lift p2/p1 − 1 uses the delta method on
 * the ratio with the unpooled variances pᵢ(1 − pᵢ)/nᵢ and the normal critical
 * value 1.96 (a Wald-type interval, symmetric around the lift).
 *
 * Degenerate inputs (n ≤ 0, x outside [0, n], non-finite) give NaN everywhere
 * and a null interval; both rates 0 or both 1 give z = NaN; p1 = 0 gives a NaN
 * lift and a null interval.
 */
export function twoProportionZTest(x1: number, n1: number, x2: number, n2: number): ProportionTestResult {
  if (!(isCount(x1) && isCount(x2) && n1 > 0 && n2 > 0 && x1 <= n1 && x2 <= n2 && Number.isFinite(n1 + n2))) {
    return { z: NaN, pValue: NaN, diff: NaN, relativeLift: NaN, liftCI95: null };
  }
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const pooled = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  const z = se > 0 ? (p2 - p1) / se : NaN;
  return {
    z,
    pValue: Number.isNaN(z) ? NaN : Math.min(1, 2 * normalCdf(-Math.abs(z))),
    diff: p2 - p1,
    relativeLift: p1 > 0 ? p2 / p1 - 1 : NaN,
    liftCI95: p1 > 0 ? ratioLiftInterval(p1, (p1 * (1 - p1)) / n1, p2, (p2 * (1 - p2)) / n2, Z_975) : null,
  };
}

/**
 * Welch's unequal-variances t-test of mean2 (treatment) against mean1
 * (control), from summary statistics; `var1`, `var2` are sample variances
 * (n − 1 denominator).
 *
 * t = (mean2 − mean1) / √(s1 + s2) with sᵢ = varᵢ/nᵢ; Welch–Satterthwaite
 * df = (s1 + s2)² / (s1²/(n1 − 1) + s2²/(n2 − 1)); two-sided p-value
 * 2·F_t(−|t|; df). The 95% interval on the relative lift mean2/mean1 − 1 uses
 * the delta method on the ratio of means with the critical value t_{0.975, df}.
 *
 * Degenerate inputs (n < 2, negative or non-finite variance, non-finite mean)
 * give NaN everywhere and a null interval; both variances 0 give NaN t, df and
 * p-value (and a null interval); mean1 = 0 gives a NaN lift and a null interval.
 */
export function welchTTest(
  mean1: number,
  var1: number,
  n1: number,
  mean2: number,
  var2: number,
  n2: number,
): WelchTestResult {
  const valid =
    Number.isFinite(mean1) && Number.isFinite(mean2) && isCount(var1) && isCount(var2) &&
    n1 >= 2 && n2 >= 2 && Number.isFinite(n1 + n2);
  if (!valid) return { t: NaN, df: NaN, pValue: NaN, relativeLift: NaN, liftCI95: null };
  const s1 = var1 / n1;
  const s2 = var2 / n2;
  const s = s1 + s2;
  const relativeLift = mean1 !== 0 ? mean2 / mean1 - 1 : NaN;
  if (!(s > 0) || !Number.isFinite(s)) return { t: NaN, df: NaN, pValue: NaN, relativeLift, liftCI95: null };
  const t = (mean2 - mean1) / Math.sqrt(s);
  // Written with the shares sᵢ/s so that huge variances cannot overflow s².
  const r1 = s1 / s;
  const r2 = s2 / s;
  const df = 1 / ((r1 * r1) / (n1 - 1) + (r2 * r2) / (n2 - 1));
  const pValue = Number.isFinite(t) ? Math.min(1, 2 * studentTCdf(-Math.abs(t), df)) : NaN;
  const liftCI95 = mean1 !== 0 ? ratioLiftInterval(mean1, s1, mean2, s2, studentTQuantile(0.975, df)) : null;
  return { t, df, pValue, relativeLift, liftCI95 };
}

/**
 * Sample ratio mismatch: Pearson's chi-square goodness-of-fit test of the
 * observed counts per arm against the configured weights (expected count
 * N · wᵢ / Σw). `mismatch` is true when the p-value is below
 * {@link SRM_ALPHA} = 0.001, the customary SRM alarm level: SRM is checked on
 * every look at every experiment, so a strict threshold keeps false alarms
 * rare while a real assignment bug soon drives the p-value far below it.
 *
 * Arms with weight 0 and no contexts are left out (and do not count towards
 * df); an arm with weight 0 but some contexts makes chiSquare Infinity,
 * pValue 0 and mismatch true. Mismatched lengths, negative or non-finite
 * numbers, no contexts, no positive weight, or fewer than two arms with
 * positive weight give NaN numbers and mismatch false.
 */
export function sampleRatioMismatch(
  observedCounts: readonly number[],
  expectedWeights: readonly number[],
): SrmResult {
  const undefinedResult: SrmResult = { chiSquare: NaN, df: NaN, pValue: NaN, mismatch: false };
  if (observedCounts.length !== expectedWeights.length) return undefinedResult;
  let total = 0;
  let weightSum = 0;
  for (let i = 0; i < observedCounts.length; i++) {
    const o = observedCounts[i]!;
    const w = expectedWeights[i]!;
    if (!isCount(o) || !isCount(w)) return undefinedResult;
    total += o;
    weightSum += w;
  }
  if (!(total > 0) || !(weightSum > 0) || !Number.isFinite(total + weightSum)) return undefinedResult;
  let chiSquare = 0;
  let arms = 0;
  for (let i = 0; i < observedCounts.length; i++) {
    const o = observedCounts[i]!;
    const w = expectedWeights[i]!;
    if (w === 0) {
      if (o > 0) chiSquare = Infinity;
      continue;
    }
    arms++;
    const expected = (total * w) / weightSum;
    chiSquare += ((o - expected) * (o - expected)) / expected;
  }
  const df = arms - 1;
  if (chiSquare === Infinity) return { chiSquare, df, pValue: 0, mismatch: true };
  if (df < 1) return { ...undefinedResult, df };
  const pValue = chiSquareSurvival(chiSquare, df);
  return { chiSquare, df, pValue, mismatch: pValue < SRM_ALPHA };
}
