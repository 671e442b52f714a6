import { contextKeysOf, describeError } from '@avsb/common';
import type { ContextIdentity } from '@avsb/common';
import { ContextRedactor } from './context-redactor';
import { DEFAULT_CLOSE_TIMEOUT_MS } from './event-pipeline-base';
import type { EventPipelineBaseOptions } from './event-pipeline-base';
import type { CustomEventInput, ExposureInput } from './inputs';
import { customProblem, isIndex, isName, isVariationIndex } from './inputs';
import { toJsonObject } from './json-safe';
import { CLOSING, OPEN, PageDelivery } from './page-delivery';
import { pageOptions } from './page-options';
import type { EventPlatform } from './platform';
import { SummaryCounter } from './summary-counter';
import type { CustomEvent, ExposureEvent } from './wire';

/** A wire event being built (the wire types are read-only). */
type Building<T> = { -readonly [K in keyof T]: T[K] };

/**
 * The event pipeline of a web page (`@avsb/browser` uses it): what
 * `EventPipeline` records and sends, for one visitor at a time. It counts
 * every read per flag (the summary), sends an exposure for each read in an
 * experiment (once per visitor, flag and variation in a dedupe window) and
 * the custom events of `track`, each visitor's context once per window with
 * its private attributes removed, and delivers them as `EventPipeline` does
 * (batches by size and interval, the same id on every retry, `Retry-After`
 * honoured, a 413 split, a refused key stops it: {@link PageDelivery}).
 *
 * What a page has no use for is left out: `diagnostics()`, `exposures:
 * "all"`, a cache of many contexts (a new visitor, after `identify`, starts
 * the dedupe over), the split before sending. Events are put in wire form as
 * they are recorded: a visitor's context is redacted once, when its context
 * event is queued, and `track`'s properties are copied then. Recording never
 * throws or blocks: a bad argument is logged once and ignored.
 */
export class PageEventPipeline extends PageDelivery {
  private readonly _redactor: ContextRedactor;
  private readonly _summary = new SummaryCounter();
  /** The canonical key of the visitor whose context event was queued in this dedupe window. */
  private _visitor: string | undefined;
  /** That visitor's exposures queued in this dedupe window, as `<variation> <flag>` (all in an experiment). */
  private _exposures = new Set<string>();
  private _dedupeStart: number;
  /** The last context object checked, and what `contextKeysOf` said of it (one visitor at a time). */
  private _checked: unknown = {};
  private _identity: ContextIdentity | string = '';
  private _invalidLogged = false;
  private _closing: Promise<void> | undefined;

  /**
   * Starts the flush interval right away. `platform` is used as it is, not
   * guarded as `EventPipeline` guards an application's: pass a `Platform` of
   * `@avsb/common` (timers clamped to what a runtime honours, a logger that
   * never throws, `globalPlatform()` in a page) with the transport added.
   */
  constructor(platform: EventPlatform, options: EventPipelineBaseOptions = {}) {
    super(platform, pageOptions(options));
    this._redactor = new ContextRedactor(Object(options));
    this._dedupeStart = platform.now();
    this._arm();
  }

  /**
   * Records a read: counted in the summary, and sent as an `exposure` event
   * when it put the visitor in an experiment. Never throws.
   */
  recordExposure(input: ExposureInput): void {
    if (this._state !== OPEN) return;
    try {
      const { flag, variation, context } = input;
      // a read in an experiment is counted only when its visitor can be: the same reads as EventPipeline's summary
      const identity = input.inExperiment === true ? this._identify(context) : undefined;
      if (typeof identity === 'string') return this._ignore('recordExposure', identity);
      if (!isName(flag) || (variation !== null && !isVariationIndex(variation))) {
        return this._ignore('recordExposure', 'flag must be a string of 1–256 characters, variation an integer in [0, 4093] or null');
      }
      if (this._summary.isEmpty) this._summary.start(this._platform.now());
      this._summary.count(flag, variation);
      if (!identity) return;
      const time = this._visit(identity.canonicalKey, context);
      const seen = `${variation} ${flag}`;
      const exposures = this._exposures;
      if (exposures.has(seen)) return;
      // bounded: a visitor past dedupeCapacity exposures has them sent again
      if (exposures.size >= this._options.dedupeCapacity) exposures.clear();
      exposures.add(seen);
      if (!this._admit()) return;
      const event: Building<ExposureEvent> = { kind: 'exposure', time, contextKeys: identity.keys, flag, variation, inExperiment: true };
      if (typeof input.reason === 'string') event.reason = input.reason;
      if (isIndex(input.revision)) event.revision = input.revision;
      this._add(event);
    } catch (error) {
      this._ignore('recordExposure', describeError(error));
    }
  }

  /** Records a custom event (`track`): its `properties` are copied as JSON now. Never throws. */
  recordCustom(input: CustomEventInput): void {
    if (this._state !== OPEN) return;
    try {
      const problem = customProblem(input);
      if (problem) return this._ignore('recordCustom', problem);
      const identity = this._identify(input.context);
      if (typeof identity === 'string') return this._ignore('recordCustom', identity);
      const time = this._visit(identity.canonicalKey, input.context);
      if (!this._admit()) return;
      const event: Building<CustomEvent> = { kind: 'custom', time, contextKeys: identity.keys, key: input.key };
      if (input.value != null) event.value = input.value;
      // null, or properties whose JSON is not an object: none are sent
      const properties = toJsonObject(input.properties);
      if (properties) event.properties = properties;
      this._add(event);
    } catch (error) {
      this._ignore('recordCustom', describeError(error));
    }
  }

  /**
   * Sends everything recorded so far, with the current summary. Resolves
   * when it was delivered, dropped, or left waiting for a retry; never rejects.
   */
  flush(): Promise<void> {
    if (this._state !== OPEN) return Promise.resolve();
    this._endWindow();
    return this._send(true);
  }

  /**
   * Sends what is pending within `timeoutMs` (default 5 000), then stops for
   * good: what could not be sent in time is dropped. Never rejects; safe to call twice.
   */
  close(timeoutMs?: number): Promise<void> {
    return (this._closing ??= (async () => {
      if (this._state !== OPEN) return;
      this._endWindow(true);
      this._state = CLOSING;
      this._platform.clearTimeout(this._timer);
      await this._drain(typeof timeoutMs === 'number' && timeoutMs >= 0 ? timeoutMs : DEFAULT_CLOSE_TIMEOUT_MS);
    })().catch((error: unknown) => this._platform.logger.error(`close failed: ${describeError(error)}`)));
  }

  /**
   * The keys and canonical key of an event's context, worked out once per
   * context object by `contextKeysOf` (the last one is remembered), or why
   * it is not a context. A caller's `identity` is not needed: a page has one.
   */
  private _identify(context: object): ContextIdentity | string {
    if (context !== this._checked) {
      this._identity = contextKeysOf(context); // may throw (a getter): then nothing is remembered
      this._checked = context;
    }
    return this._identity;
  }

  /**
   * Notes the visitor of an event, and returns the event's time: a new one
   * (the page's first, another after `identify`, or the same in a new dedupe
   * window) gets its context event, without its private attributes.
   */
  private _visit(id: string, context: object): number {
    const time = this._platform.now();
    if (this._visitor !== id) {
      this._visitor = id;
      this._exposures.clear();
      let redacted;
      try {
        redacted = this._redactor.redact(context as Record<string, unknown>);
      } catch {
        // a context that throws when read is attributed by its keys alone
      }
      if (redacted && this._admit()) this._add({ kind: 'context', time, context: redacted });
    }
    return time;
  }

  /** Whether one more event fits; warns (once per window) when not. */
  private _admit(): boolean {
    const { capacity } = this._options;
    if (this._held() < capacity) return true;
    if (this._once('capacity')) this._platform.logger.warn(`the event buffer is full (${capacity} events): new events are dropped`);
    return false;
  }

  /** Ends a flush window: the queue and the summary are due; dedupe forgets after its window. */
  private _endWindow(closing?: boolean): void {
    const now = this._platform.now();
    // with a full buffer the counters keep adding up until there is room (or until close)
    if (!this._summary.isEmpty && (closing || this._held() < this._options.capacity)) this._add(this._summary.take(now)!);
    this._due = this._queue.length;
    if (now - this._dedupeStart >= this._options.dedupeWindowMs) {
      this._visitor = undefined;
      this._dedupeStart = now;
    }
  }

  /** The flush interval: a background timer, which a `Platform` never lets keep a process alive. */
  private _arm(): void {
    this._timer = this._platform.setTimeout(() => {
      this._logged.clear();
      this._endWindow();
      void this._send();
      this._arm(); // open: close() and a refused key clear this timer
    }, this._options.flushIntervalMs);
  }

  /**
   * Logs why a recording was ignored (a bad argument, or what reading it
   * threw), the first time only. Each recording calls it where it finds the
   * problem, with no callback between, so that the production build finds
   * the texts in a message position and writes them as codes
   * (tools/build/message-flow.ts).
   */
  private _ignore(method: string, problem: string): void {
    if (this._invalidLogged) return;
    this._invalidLogged = true;
    this._platform.logger.warn(`${method}: ${problem}; the event was ignored (logged once)`);
  }
}
