import type { AvsbContext } from './context';
import type { FlagDetail } from './flag-detail';

/** The read that ran an evaluation (the `…Details` variants included). */
export type EvaluationMethod =
  | 'getBoolFlag'
  | 'getStringFlag'
  | 'getNumberFlag'
  | 'getJsonFlag'
  | 'getBoolFlagDetails'
  | 'getStringFlagDetails'
  | 'getNumberFlagDetails'
  | 'getJsonFlagDetails';

/** What a hook is told about one flag read, before and after it is evaluated. */
export interface EvaluationSeriesContext {
  /** The flag key as the application passed it (it may not exist in the datafile). */
  readonly flagKey: string;
  /**
   * The context of the scoped client, as the application gave it: private
   * attributes included (they are removed from what the SDK sends to A vs B,
   * not from what runs in this process). Do not mutate it; a hook that sends
   * data out of the process must leave private attributes out itself.
   */
  readonly context: AvsbContext;
  /** The caller's default value. */
  readonly defaultValue: unknown;
  readonly method: EvaluationMethod;
  /** The revision of the datafile that answers this read, or `null` before the first datafile. */
  readonly revision: number | null;
}

/**
 * What a hook's `beforeEvaluation` hands to its own `afterEvaluation` for
 * the same read (a start time, a span…). Each hook sees only its own data.
 */
export type EvaluationSeriesData = Readonly<Record<string, unknown>>;

/** What a hook is told about one `track()` that was recorded. */
export interface TrackSeriesContext {
  readonly key: string;
  /** As in {@link EvaluationSeriesContext.context}: the application's context, private attributes included. */
  readonly context: AvsbContext;
  readonly value?: number;
  readonly properties?: Record<string, unknown>;
}

/**
 * Observes flag reads and `track()` calls of every scoped client of a
 * server: for logging, metrics and tracing (`@avsb/opentelemetry` is one).
 * Register hooks with `new AvsbServer({ hooks: [...] })` or
 * `server.addHook(hook)` (`MockAvsbServer` takes the same).
 *
 * Every stage is optional and runs synchronously, inside the read, in the
 * order the hooks were added (`afterEvaluation` in reverse order, so the
 * first hook wraps the others). A hook observes and cannot change the
 * result: a typed read (`getBoolFlag`…) hands it the engine's detail of that
 * result, frozen and shared by every read with the same result, a `…Details`
 * read a copy of the detail it returns (whose reason and JSON values are
 * frozen); either way the read returns what it would without hooks and
 * records the same events. A hook that throws is logged
 * once (per hook and stage) and the read goes on as if the hook had
 * returned nothing; a stage that returns a promise is not awaited, and its
 * rejection is logged the same way. Keep hooks cheap: they add to the cost of every read
 * (a server without hooks pays nothing).
 *
 * Every read calls the hooks, including reads that serve the caller's
 * default (not ready, closed, unknown flag, wrong type: reason `ERROR`).
 * `allFlags()` does not (it records no exposure either); `afterTrack` runs
 * for each custom event that is recorded, not for a dropped one (closed
 * client, empty key).
 */
export interface AvsbHook {
  /** Names the hook in log messages (e.g. when it throws). */
  readonly name?: string;
  /** Before the evaluation. What it returns is passed to this hook's `afterEvaluation` for the same read. */
  beforeEvaluation?(series: EvaluationSeriesContext, data: EvaluationSeriesData): EvaluationSeriesData | void;
  /**
   * After the evaluation, with what the read returns (value, variation index, reason): frozen for a typed read
   * (keep it as it is: it never changes), a copy for a `…Details` read.
   */
  afterEvaluation?(series: EvaluationSeriesContext, data: EvaluationSeriesData, detail: FlagDetail<unknown>): EvaluationSeriesData | void;
  /** After a `track()` call was recorded. */
  afterTrack?(series: TrackSeriesContext): void;
}
