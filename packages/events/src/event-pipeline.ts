import { Delivery } from './delivery';
import type { DeliveryBase, DeliveryHooks } from './delivery-base';
import { EventPipelineBase } from './event-pipeline-base';
import type { EventPipelineOptions } from './options';
import type { EventPlatform } from './platform';
import type { ContextRedactor } from './context-redactor';
import { privateAttributesProblem } from './context-redactor';
import { WholeContextRedactor } from './whole-context-redactor';
import type { EventDiagnostics, LogGate } from './pipeline-stats';

export { DEFAULT_CLOSE_TIMEOUT_MS } from './event-pipeline-base';

/**
 * The event pipeline of server SDKs: {@link EventPipelineBase} with the
 * `exposures` option (`"all"` sends an exposure for every read),
 * `diagnostics()`, and a body over 1 MiB split in two halves before it is
 * sent (the base splits only on the server's 413).
 *
 * Recording is O(1) and never throws or blocks: a bad argument is counted
 * (`diagnostics().invalid`) and logged once. See README.md for the delivery
 * guarantees.
 */
export class EventPipeline extends EventPipelineBase {
  /** Starts the flush interval (a background timer: `unrefTimer`) right away. */
  constructor(platform: EventPlatform, options: EventPipelineOptions = {}) {
    super(platform, options);
    this._allExposures = this._options.exposures === 'all';
    this._invalidNote = 'logged once; see diagnostics().invalid';
    const asked = (options as { exposures?: unknown } | null)?.exposures;
    if (asked !== undefined && asked !== this._options.exposures) {
      this._platform.logger.warn(`events option exposures: ${describeValue(asked)} is neither "experiments" nor "all"; sending exposures for experiment reads only ("experiments")`);
    }
    const privateProblem = privateAttributesProblem((options as { privateAttributes?: unknown } | null)?.privateAttributes);
    if (privateProblem !== null) this._platform.logger.warn(`${privateProblem}: every attribute but kind, key and anonymous is kept private until it is fixed`);
  }

  /** Counters for monitoring: what is held, sent and dropped, and why delivery last failed. */
  diagnostics(): EventDiagnostics {
    const c = this._counters;
    return {
      queued: this._queue.length + this._delivery.pendingEvents,
      dropped: c.dropped,
      sent: c.sent,
      failedBatches: c.failedBatches,
      invalid: c.invalid,
      lastError: c.lastError,
      stoppedForAuth: c.stoppedForAuth,
    };
  }

  /** One walk for a context with nothing private (whole-context-redactor.ts). */
  protected override _newRedactor(): ContextRedactor {
    return new WholeContextRedactor(this._options);
  }

  protected override _newDelivery(gate: LogGate, hooks: DeliveryHooks): DeliveryBase {
    return new Delivery(this._platform, this._options, this._counters, gate, hooks);
  }
}

function describeValue(value: unknown): string {
  try {
    return typeof value === 'string' ? JSON.stringify(value) : String(value);
  } catch {
    return typeof value;
  }
}
