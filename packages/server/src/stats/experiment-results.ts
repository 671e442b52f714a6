/**
 * Experiment results of one flag for one metric: attribution of exposures and
 * conversions to variations, then the statistics of ./tests.ts. Pure: no I/O,
 * no clock. The JSON shape is the one of ADMIN-API.md ("Events and results");
 * the rules are in docs/STATS.md.
 */
import { sampleRatioMismatch, twoProportionZTest, welchTTest, type Interval } from './tests';

/** One in-experiment exposure of a context to a variation. */
export interface ExposureRow {
  contextKey: string;
  variation: number;
  time: number;
}

/** One custom event of the metric key; `value` is null for events without a value. */
export interface ConversionRow {
  contextKey: string;
  time: number;
  value: number | null;
}

/** A variation of the experiment's rollout, in rollout order: the first is the control. */
export interface VariationInfo {
  variation: number;
  value: unknown;
  weight: number;
}

/** A treatment-versus-control comparison; null where undefined (see docs/STATS.md). */
export interface LiftStats {
  /** Relative lift treatment / control − 1. */
  lift: number | null;
  /** 95% interval on the relative lift. */
  liftCI95: Interval | null;
  /** Two-sided p-value. */
  pValue: number | null;
}

/** Counts and totals of one variation. */
export interface VariationCounts {
  variation: number;
  value: unknown;
  weight: number;
  /** Distinct contexts attributed to this variation. */
  exposed: number;
  /** Distinct attributed contexts with at least one conversion at or after their first exposure. */
  conversions: number;
  /** conversions / exposed; null without exposures. */
  conversionRate: number | null;
  /** Sum of the values of the attributed conversion events. */
  valueTotal: number;
  /** valueTotal / exposed (value per exposed context); null without exposures. */
  valueMean: number | null;
}

/** The control (first variation of the rollout). */
export interface ControlVariationResult extends VariationCounts {
  isControl: true;
}

/** A non-control variation with its comparisons against the control. */
export interface TreatmentVariationResult extends VariationCounts {
  /** Conversion rate: two-proportion z-test. */
  conversion: LiftStats;
  /** Value per exposed context: Welch's t-test. */
  valueStats: LiftStats;
}

export type VariationResult = ControlVariationResult | TreatmentVariationResult;

/** Sample ratio mismatch of the exposed counts against the weights. */
export interface SrmSummary {
  chiSquare: number | null;
  pValue: number | null;
  mismatch: boolean;
}

/** Answer of `GET …/results/:flag?metric=…`. */
export interface ExperimentResults {
  flag: string;
  metric: string;
  variations: VariationResult[];
  srm: SrmSummary;
  /** Contexts exposed to more than one variation (counted once, in their first variation). */
  crossovers: number;
}

interface ContextState extends UnitOutcome {
  firstTime: number;
  /** Variation of some other exposure, to detect crossovers in unsorted input. */
  seen: number;
}

interface Accumulator {
  exposed: number;
  conversions: number;
  valueTotal: number;
  /** Per-context value sums of the contexts with at least one value event. */
  valueSums: number[];
}

const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

/**
 * Computes the results of experiment `flag` for conversion metric `metric`.
 *
 * Attribution: a context counts once, in the variation of its first exposure
 * (earliest `time`; on a tie, the row seen first). Its exposures to other
 * variations are ignored and the context is counted in `crossovers`. A
 * conversion counts only if its time is ≥ that first exposure time; a
 * context's value is the sum of the values of its counted conversion events
 * (null and non-finite values are skipped). Contexts whose first exposure is
 * to a variation missing from `variations`, rows with a non-finite time, and
 * conversions of contexts never exposed are ignored.
 *
 * `valueMean` and the Welch test are over all exposed contexts, those without
 * value events counting as 0: they compare value per exposed context.
 * Undefined statistics are null (see docs/STATS.md for the degenerate cases).
 */
export function experimentResults(
  flag: string,
  metric: string,
  variations: VariationInfo[],
  exposures: Iterable<ExposureRow>,
  conversions: Iterable<ConversionRow>,
): ExperimentResults {
  const contexts = new Map<string, ContextState>();
  for (const { contextKey, variation, time } of exposures) {
    if (!Number.isFinite(time)) continue;
    const state = contexts.get(contextKey);
    if (state === undefined) {
      contexts.set(contextKey, {
        variation, firstTime: time, seen: variation, crossed: false, converted: false, valueSum: 0, hasValue: false,
      });
      continue;
    }
    if (variation !== state.seen) state.crossed = true;
    if (time < state.firstTime) {
      state.firstTime = time;
      state.variation = variation;
    }
  }

  for (const { contextKey, time, value } of conversions) {
    const state = contexts.get(contextKey);
    if (state === undefined || !(time >= state.firstTime)) continue;
    state.converted = true;
    if (typeof value === 'number' && Number.isFinite(value)) {
      state.valueSum += value;
      state.hasValue = true;
    }
  }

  return resultsFromUnits(flag, metric, variations, contexts.values());
}

/**
 * One attributed unit (context) of an experiment: the variation of its first
 * exposure, whether it was also exposed to another variation, and what its
 * counted conversions (those at or after its first exposure) add up to.
 */
export interface UnitOutcome {
  variation: number;
  crossed: boolean;
  converted: boolean;
  /** Sum of the finite values of its counted conversions (0 without any). */
  valueSum: number;
  /** Whether at least one counted conversion had a finite value. */
  hasValue: boolean;
}

/**
 * The statistics of {@link experimentResults} from units already attributed
 * (by the store's aggregates, or by `experimentResults` itself). Units are
 * summed in the order given: for results identical to the bit, give them in
 * the order of their first exposure, as `experimentResults` does. Units whose
 * variation is not in `variations` are ignored.
 */
export function resultsFromUnits(
  flag: string,
  metric: string,
  variations: VariationInfo[],
  units: Iterable<UnitOutcome>,
): ExperimentResults {
  const tally = new ResultsTally(variations);
  for (const unit of units) tally.add(unit);
  return tally.results(flag, metric);
}

/**
 * {@link resultsFromUnits} one unit at a time, for units that arrive in
 * chunks: it keeps the counts and the per-unit values, never the units.
 */
export class ResultsTally {
  private readonly _index = new Map<number, number>();
  private readonly _accumulators: Accumulator[];
  private _crossovers = 0;

  constructor(private readonly _variations: VariationInfo[]) {
    _variations.forEach((v, i) => {
      if (!this._index.has(v.variation)) this._index.set(v.variation, i);
    });
    this._accumulators = _variations.map(() => ({ exposed: 0, conversions: 0, valueTotal: 0, valueSums: [] }));
  }

  /** Counts a unit (see {@link resultsFromUnits} on their order). */
  add(unit: UnitOutcome): void {
    const i = this._index.get(unit.variation);
    if (i === undefined) return;
    const acc = this._accumulators[i]!;
    acc.exposed++;
    if (unit.crossed) this._crossovers++;
    if (unit.converted) acc.conversions++;
    if (unit.hasValue) {
      acc.valueTotal += unit.valueSum;
      acc.valueSums.push(unit.valueSum);
    }
  }

  /** The results of the units counted so far. */
  results(flag: string, metric: string): ExperimentResults {
    const variations = this._variations;
    const accumulators = this._accumulators;
    const control = accumulators[0];
    const controlMoments = control && valueMoments(control);
    const results = variations.map((info, i): VariationResult => {
      const acc = accumulators[i]!;
      const counts: VariationCounts = {
        variation: info.variation,
        value: info.value,
        weight: info.weight,
        exposed: acc.exposed,
        conversions: acc.conversions,
        conversionRate: acc.exposed > 0 ? acc.conversions / acc.exposed : null,
        valueTotal: acc.valueTotal,
        valueMean: acc.exposed > 0 ? acc.valueTotal / acc.exposed : null,
      };
      if (i === 0 || !control || !controlMoments) return { ...counts, isControl: true };
      const z = twoProportionZTest(control.conversions, control.exposed, acc.conversions, acc.exposed);
      const m = valueMoments(acc);
      const w = welchTTest(controlMoments.mean, controlMoments.variance, control.exposed, m.mean, m.variance, acc.exposed);
      return {
        ...counts,
        conversion: { lift: finiteOrNull(z.relativeLift), liftCI95: z.liftCI95, pValue: finiteOrNull(z.pValue) },
        valueStats: { lift: finiteOrNull(w.relativeLift), liftCI95: w.liftCI95, pValue: finiteOrNull(w.pValue) },
      };
    });

    const srm = sampleRatioMismatch(
      accumulators.map((a) => a.exposed),
      variations.map((v) => v.weight),
    );
    return {
      flag,
      metric,
      variations: results,
      srm: { chiSquare: finiteOrNull(srm.chiSquare), pValue: finiteOrNull(srm.pValue), mismatch: srm.mismatch },
      crossovers: this._crossovers,
    };
  }
}

/**
 * Mean and sample variance (n − 1) of the per-context value over all exposed
 * contexts, the contexts without value events contributing zeros. Two passes
 * over the non-zero contexts, the zeros folded in analytically.
 */
function valueMoments(acc: Accumulator): { mean: number; variance: number } {
  const n = acc.exposed;
  if (n === 0) return { mean: NaN, variance: NaN };
  const mean = acc.valueTotal / n;
  let sumSquares = (n - acc.valueSums.length) * mean * mean;
  for (const v of acc.valueSums) sumSquares += (v - mean) * (v - mean);
  return { mean, variance: n > 1 ? sumSquares / (n - 1) : NaN };
}
