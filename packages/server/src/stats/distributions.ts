/**
 * Distribution functions for the experiment statistics: standard normal,
 * Student's t (fractional degrees of freedom allowed) and chi-square.
 *
 * Everything rests on two special functions, implemented here without
 * dependencies (see docs/STATS.md):
 * - the regularized incomplete gamma function P(a, x) / Q(a, x)
 *   (power series below x < a + 1, Lentz continued fraction above);
 * - the regularized incomplete beta function I_x(a, b)
 *   (Lentz continued fraction, with the symmetry I_x(a, b) = 1 − I_{1−x}(b, a)).
 * ln Γ uses the Lanczos approximation (g = 7, 9 terms).
 *
 * Lower and upper tails are computed directly (never as 1 − something small),
 * so p-values keep their relative accuracy far into the tails.
 */

// A little above the double epsilon (2.2e-16), so that a ratio oscillating by one ulp
// around 1 still ends the continued fractions.
const EPS = 3e-16;
const TINY = 1e-300;
const MAX_ITERATIONS = 100_000;
const LN_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (reflection below 0.5). Absolute error about 1e-15. */
export function logGamma(x: number): number {
  if (Number.isNaN(x) || x <= 0) return NaN;
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i]! / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return LN_SQRT_2PI + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** Stirling-series remainder ω(z) = ln Γ(z) − [(z − ½) ln z − z + ½ ln 2π], for z ≥ 20. */
function stirlingRemainder(z: number): number {
  const z2 = 1 / (z * z);
  return (1 / 12 - z2 * (1 / 360 - z2 * (1 / 1260 - z2 * (1 / 1680 - z2 / 1188)))) / z;
}

/**
 * ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b). For a large argument the
 * difference of the large ln Γ values is taken analytically (Stirling), which
 * avoids losing digits to cancellation when df is in the millions.
 */
export function logBeta(a: number, b: number): number {
  const small = Math.min(a, b);
  const big = Math.max(a, b);
  if (big < 20) return logGamma(a) + logGamma(b) - logGamma(a + b);
  const sum = a + b;
  if (small < 20) {
    // ln Γ(big) − ln Γ(big + small), expanded around big.
    const diff =
      -(big - 0.5) * Math.log1p(small / big) - small * Math.log(sum) + small +
      stirlingRemainder(big) - stirlingRemainder(sum);
    return logGamma(small) + diff;
  }
  return (
    LN_SQRT_2PI - 0.5 * Math.log(sum) + (a - 0.5) * Math.log(a / sum) + (b - 0.5) * Math.log(b / sum) +
    stirlingRemainder(a) + stirlingRemainder(b) - stirlingRemainder(sum)
  );
}

/**
 * Regularized incomplete gamma functions P(a, x) (lower) and Q(a, x) = 1 − P
 * (upper), both returned so that the caller can take the accurate one.
 */
function incompleteGamma(a: number, x: number): { p: number; q: number } {
  if (x <= 0) return { p: 0, q: 1 };
  if (x === Infinity) return { p: 1, q: 0 };
  const front = Math.exp(a * Math.log(x) - x - logGamma(a));
  if (x < a + 1) {
    // P(a, x) = e^-x x^a / Γ(a) · Σ x^n / (a (a+1) … (a+n))
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < MAX_ITERATIONS; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * EPS) break;
    }
    const p = Math.min(1, front * sum);
    return { p, q: 1 - p };
  }
  // Q(a, x) by its continued fraction, evaluated with the modified Lentz method.
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  const q = Math.min(1, front * h);
  return { p: 1 - q, q };
}

/** Continued fraction of I_x(a, b) (modified Lentz); converges for x < (a+1)/(a+b+2). */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < MAX_ITERATIONS; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return h;
}

/**
 * Regularized incomplete beta I_x(a, b) and its complement 1 − I_x(a, b).
 * `y` must be 1 − x, passed separately so that callers can compute it
 * without cancellation.
 */
function incompleteBeta(x: number, y: number, a: number, b: number): { p: number; q: number } {
  if (x <= 0) return { p: 0, q: 1 };
  if (y <= 0) return { p: 1, q: 0 };
  // ln x and ln y from whichever of x, y is the accurate small one.
  const lnX = x < 0.5 ? Math.log(x) : Math.log1p(-y);
  const lnY = y < 0.5 ? Math.log(y) : Math.log1p(-x);
  const lnFront = a * lnX + b * lnY - logBeta(a, b);
  if (x < (a + 1) / (a + b + 2)) {
    const p = Math.min(1, (Math.exp(lnFront) * betaContinuedFraction(x, a, b)) / a);
    return { p, q: 1 - p };
  }
  const q = Math.min(1, (Math.exp(lnFront) * betaContinuedFraction(y, b, a)) / b);
  return { p: 1 - q, q };
}

/** Standard normal cumulative distribution function Φ(x) = P(Z ≤ x). */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  // Φ(x) = erfc(−x/√2)/2 and erfc(u) = Q(1/2, u²) for u ≥ 0.
  const { p, q } = incompleteGamma(0.5, (x * x) / 2);
  return x < 0 ? 0.5 * q : 0.5 + 0.5 * p;
}

const ACKLAM_A = [-39.69683028665376, 220.9460984245205, -275.928510446969, 138.357751867269, -30.66479806614716, 2.506628277459239];
const ACKLAM_B = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
const ACKLAM_C = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const ACKLAM_D = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];

function polynomial(coefficients: number[], x: number): number {
  let r = 0;
  for (const c of coefficients) r = r * x + c;
  return r;
}

/** Lower-half normal quantile (q ≤ 0.5): Acklam's rational start, then Halley steps. */
function lowerNormalQuantile(q: number): number {
  let x: number;
  if (q < 0.02425) {
    const r = Math.sqrt(-2 * Math.log(q));
    x = polynomial(ACKLAM_C, r) / (polynomial(ACKLAM_D, r) * r + 1);
  } else {
    const r = q - 0.5;
    const s = r * r;
    x = (polynomial(ACKLAM_A, s) * r) / (polynomial(ACKLAM_B, s) * s + 1);
  }
  for (let i = 0; i < 4; i++) {
    const e = normalCdf(x) - q;
    const u = e * Math.exp(LN_SQRT_2PI + (x * x) / 2);
    if (!Number.isFinite(u)) break;
    const step = u / (1 + (x * u) / 2);
    x -= step;
    if (Math.abs(step) <= 1e-15 * Math.abs(x)) break;
  }
  return x;
}

/** Standard normal quantile Φ⁻¹(p): −∞ at 0, +∞ at 1, NaN outside [0, 1]. */
export function normalQuantile(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  return p < 0.5 ? lowerNormalQuantile(p) : -lowerNormalQuantile(1 - p);
}

/**
 * Student's t cumulative distribution function P(T ≤ t) with `df` degrees of
 * freedom; `df` may be fractional (Welch–Satterthwaite) or `Infinity` (normal).
 * Returns NaN for df ≤ 0 or NaN arguments.
 */
export function studentTCdf(t: number, df: number): number {
  if (Number.isNaN(t) || Number.isNaN(df) || df <= 0) return NaN;
  if (df === Infinity) return normalCdf(t);
  if (t === 0) return 0.5;
  if (df > LARGE_DF) {
    const tail = largeDfLowerTail(-Math.abs(t), df);
    return t < 0 ? tail : 1 - tail;
  }
  const t2 = t * t;
  // P(|T| ≥ |t|) = I_x(df/2, 1/2) with x = df / (df + t²); 1 − x = t² / (df + t²).
  const x = 1 / (1 + t2 / df);
  const y = 1 / (1 + df / t2);
  const tail = 0.5 * incompleteBeta(x, y, df / 2, 0.5).p;
  return t < 0 ? tail : 1 - tail;
}

/**
 * Above this many degrees of freedom the incomplete-beta continued fraction
 * loses digits (x = df/(df + t²) is within 1e-7 of 1), so the t CDF uses its
 * asymptotic expansion in 1/df instead.
 */
const LARGE_DF = 1e7;

/**
 * Lower tail P(T ≤ t), t ≤ 0, for large df:
 * F(t) = Φ(t) − φ(t) · Σ_{k=1..4} g_k(t) / df^k, with the polynomials
 * g_k derived in fixtures/derive-t-expansion.py (g_1 = t(t² + 1)/4, Fisher 1925).
 * Truncation error: about 2e-9 relative at worst (|t| near 38, df just above
 * 1e7), far less for smaller |t| or larger df.
 */
function largeDfLowerTail(t: number, df: number): number {
  const s = t * t;
  const u = 1 / df;
  const g1 = (s + 1) / 4;
  const g2 = ((s - 3) * ((3 * s + 2) * s + 1)) / 96;
  const g3 = (((((s - 11) * s + 14) * s + 6) * s - 3) * s - 15) / 384;
  const g4 =
    (((((((15 * s - 375) * s + 2225) * s - 2141) * s - 939) * s - 213) * s + 915) * s + 945) /
    92160;
  const series = t * u * (g1 + u * (g2 + u * (g3 + u * g4)));
  return normalCdf(t) - Math.exp(-s / 2 - LN_SQRT_2PI) * series;
}

/** Student's t density, 1 / (√df · B(df/2, 1/2)) · (1 + t²/df)^(−(df+1)/2). */
function studentTPdf(t: number, df: number): number {
  const lnC = -logBeta(df / 2, 0.5) - 0.5 * Math.log(df);
  return Math.exp(lnC - ((df + 1) / 2) * Math.log1p((t * t) / df));
}

/**
 * Student's t quantile: the t with P(T ≤ t) = p. Closed forms for df = 1 and 2,
 * otherwise Newton's method safeguarded by bisection, started at the normal
 * quantile. NaN for df ≤ 0 or p outside [0, 1].
 */
export function studentTQuantile(p: number, df: number): number {
  if (Number.isNaN(p) || Number.isNaN(df) || df <= 0 || p < 0 || p > 1) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  if (df === Infinity) return normalQuantile(p);
  if (p > 0.5) return -studentTQuantile(1 - p, df);
  if (df === 1) return -1 / Math.tan(Math.PI * p);
  if (df === 2) return (2 * p - 1) / Math.sqrt(2 * p * (1 - p));
  // Lower half: the root lies in (lo, 0] with cdf(lo) < p.
  let hi = 0;
  let lo = Math.min(normalQuantile(p), -1);
  while (studentTCdf(lo, df) > p) {
    hi = lo;
    lo *= 2;
    if (!Number.isFinite(lo)) return -Infinity;
  }
  let x = Math.max(lo, Math.min(hi, normalQuantile(p)));
  for (let i = 0; i < 200; i++) {
    const f = studentTCdf(x, df) - p;
    if (f === 0) return x;
    if (f > 0) hi = x;
    else lo = x;
    let next = x - f / studentTPdf(x, df);
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (Math.abs(next - x) <= 1e-15 * Math.abs(next) || hi - lo <= 1e-15 * Math.abs(lo)) {
      return next;
    }
    x = next;
  }
  return x;
}

/**
 * Chi-square survival function P(X ≥ x) with `df` degrees of freedom
 * (Q(df/2, x/2)). 1 for x ≤ 0; NaN for df ≤ 0 or NaN arguments.
 */
export function chiSquareSurvival(x: number, df: number): number {
  if (Number.isNaN(x) || Number.isNaN(df) || df <= 0) return NaN;
  if (x <= 0) return 1;
  return incompleteGamma(df / 2, x / 2).q;
}
