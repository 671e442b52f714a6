/** Experiment statistics: distributions, hypothesis tests and experiment results (docs/STATS.md). */
export {
  chiSquareSurvival,
  logBeta,
  logGamma,
  normalCdf,
  normalQuantile,
  studentTCdf,
  studentTQuantile,
} from './distributions';
export {
  SRM_ALPHA,
  sampleRatioMismatch,
  twoProportionZTest,
  welchTTest,
  type Interval,
  type ProportionTestResult,
  type SrmResult,
  type WelchTestResult,
} from './tests';
export {
  experimentResults,
  resultsFromUnits,
  ResultsTally,
  type ControlVariationResult,
  type ConversionRow,
  type ExperimentResults,
  type ExposureRow,
  type LiftStats,
  type SrmSummary,
  type TreatmentVariationResult,
  type UnitOutcome,
  type VariationCounts,
  type VariationInfo,
  type VariationResult,
} from './experiment-results';
