import type { AvsbContext, ValidatedContext } from './context';

/** One flag read, as the event pipeline records it (exposure and summary counts). */
export interface ExposureRecord {
  readonly flag: string;
  /** The variation index served, or `null` when the caller's default was returned. */
  readonly variation: number | null;
  /** The reason kind (`RULE_MATCH`, `FALLTHROUGH`, `ERROR`, …). */
  readonly reason: string;
  readonly inExperiment: boolean;
  readonly context: AvsbContext;
  /** The context's validation (`validateContext(context)`), when known: recorders need not validate it again. */
  readonly identity?: ValidatedContext;
  /** The revision of the datafile that answered, if any. */
  readonly revision?: number;
}

/** A custom event from `track`. */
export interface CustomRecord {
  readonly key: string;
  readonly value?: number;
  readonly properties?: Record<string, unknown>;
  readonly context: AvsbContext;
  /** As {@link ExposureRecord.identity}. */
  readonly identity?: ValidatedContext;
}

/**
 * Where scoped clients record what happened. `EventPipeline` of
 * `@avsb/events` implements it; `@avsb/testing` can record in memory.
 * Both record methods must be cheap and must never throw.
 */
export interface EventRecorder {
  /**
   * Records a read. A recorder with {@link repeatExposure} returns a mark
   * (≥ 0) for an exposure it now remembers as sent for the context; any
   * other return (none, −1) leaves no mark.
   */
  recordExposure(event: ExposureRecord): number | void;
  /**
   * Counts a read in an experiment that {@link recordExposure} recorded for
   * the same context, flag and variation and marked with `mark`, as
   * `recordExposure` would count it (the exposure is already sent) without
   * its look-ups; `index` is the flag's index, as for {@link countEvaluation}.
   * `false` when the mark no longer holds (nothing recorded: record the read
   * with `recordExposure`). Must be cheap and never throw.
   */
  repeatExposure?(mark: number, flag: string, variation: number, index: number): boolean;
  recordCustom(event: CustomRecord): void;
  /**
   * `false` when reads outside an experiment are only counted: scoped clients
   * then call {@link countEvaluation} for them instead of building an
   * {@link ExposureRecord}. Absent or `true`: every read goes to `recordExposure`.
   */
  readonly recordsEveryRead?: boolean;
  /**
   * Counts a read outside an experiment (no exposure is sent); `variation`
   * `null` for one that served the caller's default (no variation, or one of
   * another type) of a flag the datafile has. `index` is the
   * flag's index in the datafile that served it (a hint a recorder may use
   * to find its counts without looking the key up). Must be cheap and never throw.
   */
  countEvaluation?(flag: string, variation: number | null, index?: number): void;
  /** Sends what is queued. */
  flush?(): Promise<unknown>;
  /** Flushes within `timeoutMs` and stops. */
  close?(timeoutMs?: number): Promise<unknown>;
}
