import type { AvsbContext, CustomRecord, EventRecorder, ExposureRecord, JsonValue } from '@avsb/core';

/** A custom event recorded by `MockAvsbServer`: what `track(key, { value, properties })` was called with. */
export interface TrackedEvent {
  readonly key: string;
  /** `undefined` when `track` had no (valid) value. */
  readonly value: number | undefined;
  /** `undefined` when `track` had no properties. */
  readonly properties: Record<string, unknown> | undefined;
  readonly context: AvsbContext;
}

/** One flag read recorded by `MockAvsbServer` (every read, not deduplicated). */
export interface RecordedExposure {
  readonly flag: string;
  /** The value served, or `undefined` when the caller's default was returned. */
  readonly value: JsonValue | undefined;
  /** The variation index served, or `null` when the caller's default was returned. */
  readonly variation: number | null;
  /** `TARGET_MATCH`, `RULE_MATCH`, `FALLTHROUGH`, `OFF`, `ERROR`… */
  readonly reason: string;
  readonly inExperiment: boolean;
  readonly context: AvsbContext;
  /** The datafile revision that answered, if any. */
  readonly revision: number | undefined;
}

/** An `EventRecorder` that keeps everything in memory, for assertions. */
export class MemoryEventRecorder implements EventRecorder {
  readonly exposures: RecordedExposure[] = [];
  readonly tracked: TrackedEvent[] = [];
  flushes = 0;
  private _closed = false;

  constructor(private readonly _valueOf: (flag: string, variation: number) => JsonValue | undefined) {}

  get closed(): boolean {
    return this._closed;
  }

  recordExposure(event: ExposureRecord): void {
    if (this._closed) return;
    this.exposures.push({
      flag: event.flag,
      value: event.variation === null ? undefined : this._valueOf(event.flag, event.variation),
      variation: event.variation,
      reason: event.reason,
      inExperiment: event.inExperiment,
      context: event.context,
      revision: event.revision,
    });
  }

  recordCustom(event: CustomRecord): void {
    if (this._closed) return;
    this.tracked.push({ key: event.key, value: event.value, properties: event.properties, context: event.context });
  }

  flush(): Promise<void> {
    // closed: nothing is left to send, as with the real pipeline
    if (!this._closed) this.flushes++;
    return Promise.resolve();
  }

  close(): Promise<void> {
    if (!this._closed) this.flushes++;
    this._closed = true;
    return Promise.resolve();
  }

  reset(): void {
    this.exposures.length = 0;
    this.tracked.length = 0;
    this.flushes = 0;
  }
}
