import type { CustomRecord, EventRecorder, ExposureRecord, Logger } from '@avsb/core';
import { describeError } from '@avsb/core';
import type { EventDiagnostics, EventPipeline } from '@avsb/events';

/** Records kept while the pipeline's module loads (a few milliseconds); more are dropped and counted. */
const MAX_EARLY = 10_000;

/**
 * The event pipeline of an `AvsbServer`, whose module (`@avsb/events`, a
 * third of what `import('@avsb/node')` would otherwise read and compile) is
 * imported when the server is made rather than with `@avsb/node`: what is
 * recorded before it has loaded (reads and `track` in the first
 * milliseconds, before a datafile can have arrived from the service) is kept
 * in order, up to {@link MAX_EARLY}, and handed to the pipeline once it is
 * there. Recording never throws; `flush`, `close` and the server's
 * `onReady` wait for the pipeline, so nothing recorded after `onReady` is
 * deferred, however many records one turn makes.
 */
export class DeferredEvents implements EventRecorder {
  private _pipeline: EventPipeline | null = null;
  private _early: ((pipeline: EventPipeline) => void)[] | null = [];
  private _dropped = 0;
  /** Settles once the pipeline has loaded (or failed to, logged): `AvsbServer.onReady` waits for it. */
  readonly loaded: Promise<EventPipeline | null>;

  constructor(
    make: () => Promise<EventPipeline>,
    /** The pipeline's own (`exposures: "all"`): scoped clients read it when they are made. */
    readonly recordsEveryRead: boolean,
    logger: Logger,
  ) {
    this.loaded = make().then(
      (pipeline) => {
        this._pipeline = pipeline;
        for (const record of this._early!) record(pipeline);
        this._early = null;
        return pipeline;
      },
      (error: unknown) => {
        this._dropped += this._early!.length;
        this._early = null;
        logger.error(`the event pipeline could not be loaded; no events are sent: ${describeError(error)}`);
        return null;
      },
    );
  }

  recordExposure(event: ExposureRecord): number {
    if (this._pipeline !== null) return this._pipeline.recordExposure(event);
    this._defer((p) => p.recordExposure(event));
    return -1;
  }

  repeatExposure(mark: number, flag: string, variation: number, index: number): boolean {
    // a mark comes from the pipeline: before it has loaded there is none
    return this._pipeline !== null && this._pipeline.repeatExposure(mark, flag, variation, index);
  }

  recordCustom(event: CustomRecord): void {
    if (this._pipeline !== null) this._pipeline.recordCustom(event);
    else this._defer((p) => p.recordCustom(event));
  }

  countEvaluation(flag: string, variation: number | null, index?: number): void {
    if (this._pipeline !== null) this._pipeline.countEvaluation(flag, variation, index);
    else this._defer((p) => p.countEvaluation(flag, variation, index));
  }

  async flush(): Promise<unknown> {
    return (await this.loaded)?.flush();
  }

  async close(timeoutMs?: number): Promise<unknown> {
    return (await this.loaded)?.close(timeoutMs);
  }

  /** The pipeline's counters (with what was dropped before it loaded); before it loads, what is kept for it. */
  diagnostics(): EventDiagnostics {
    const pipeline = this._pipeline;
    if (pipeline === null) {
      return { queued: this._early?.length ?? 0, dropped: this._dropped, sent: 0, failedBatches: 0, invalid: 0, lastError: null, stoppedForAuth: false };
    }
    const d = pipeline.diagnostics();
    return this._dropped === 0 ? d : { ...d, dropped: d.dropped + this._dropped };
  }

  private _defer(record: (pipeline: EventPipeline) => void): void {
    const early = this._early;
    if (early !== null && early.length < MAX_EARLY) early.push(record);
    else this._dropped++;
  }
}
