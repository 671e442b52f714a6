import { describeError } from '@avsb/common';
import { identityOf } from './context-keys';
import { ContextRedactor } from './context-redactor';
import { DeliveryBase } from './delivery-base';
import type { DeliveryHooks } from './delivery-base';
import { guardPlatform } from './guarded-platform';
import type { GuardedPlatform } from './guarded-platform';
import type { CustomEventInput, ExposureInput } from './inputs';
import { customEvent, customProblem, isIndex, isName, isVariationIndex } from './inputs';
import { DedupeCache, NO_CONTEXT, exposureCode, seededTextHash } from './dedupe-cache';
import { resolveOptions } from './options';
import type { EventPipelineOptions, ResolvedOptions } from './options';
import type { EventPlatform, TimerHandle } from './platform';
import type { Counters } from './pipeline-stats';
import { LogGate, newCounters } from './pipeline-stats';
import { newQueue } from './queued-event';
import type { QueuedEvent } from './queued-event';
import { IndexedSummaryCounter } from './indexed-summary-counter';
import { lastSlot, writeBatch } from './batch-writer';
import type { WrittenBatch } from './batch-writer';
import { ExposureTails } from './exposure-tails';
import { EventRing, ringSlots } from './event-ring';

/** What `recordExposure` returns when it leaves no mark for `repeatExposure`. */
const NO_MARK = -1;

/** How long `close()` waits by default. */
export const DEFAULT_CLOSE_TIMEOUT_MS = 5_000;

/** Options of {@link EventPipelineBase}: those of `EventPipeline` but `exposures` (always `"experiments"`). */
export type EventPipelineBaseOptions = Omit<EventPipelineOptions, 'exposures'>;

/**
 * `EventPipeline` without its server additions (a page uses the smaller
 * `PageEventPipeline`): records exposures (of experiment reads) and
 * custom events, deduplicates them, counts evaluations per flag, and sends
 * batches to `POST /sdk/v1/events` through the platform's transport,
 * retrying a failed batch with the same id and splitting one the server
 * answers 413. `EventPipeline` adds what server SDKs use: `exposures: "all"`,
 * `diagnostics()`, and splitting a body over 1 MiB before sending it.
 *
 * Recording is O(1) and never throws or blocks: a bad argument is counted
 * and logged once. See README.md for the delivery guarantees.
 */
export class EventPipelineBase {
  protected readonly _platform: GuardedPlatform;
  protected readonly _options: ResolvedOptions;
  protected readonly _counters: Counters = newCounters();
  protected readonly _delivery: DeliveryBase;
  private readonly _gate = new LogGate();
  private readonly _redactor: ContextRedactor;
  private readonly _summary = new IndexedSummaryCounter();
  private readonly _seen: DedupeCache;
  private readonly _tails = new ExposureTails();
  /** Exposures and context events until their batch is written (the queue and the outbox hold their slots). */
  private readonly _ring: EventRing;
  /** Set by `EventPipeline` for `exposures: "all"`. */
  protected _allExposures = false;
  /** How the warning about an ignored argument ends: `EventPipeline` points to `diagnostics()`. */
  protected _invalidNote = 'logged once';
  protected _queue: QueuedEvent[] = newQueue();
  private _dedupeStart: number;
  private _interval: TimerHandle | null = null;
  private _sizeFlushPending = false;
  private _invalidLogged = false;
  /** No more recording: closed, or stopped by a 401/403. */
  private _stopped = false;
  private _closing: Promise<void> | null = null;

  /** Starts the flush interval (a background timer: `unrefTimer`) right away. */
  constructor(platform: EventPlatform, options: EventPipelineBaseOptions = {}) {
    this._platform = guardPlatform(platform);
    this._options = resolveOptions(options);
    this._redactor = this._newRedactor();
    this._seen = new DedupeCache(this._options.dedupeCapacity, seededTextHash(() => this._platform.random()));
    // Full (its slots' events recorded and not yet written: an application recording thousands of new exposures
    // without yielding, or batches waiting behind a slow server), the ring has the queue and the outbox written now,
    // in order, instead of growing or dropping: the batches keep their place and go out as usual. `delivery` and the
    // hooks' `ring` are variables, not members: the build names the package's members by how often they are used,
    // and more uses of a member reorder the page pipeline's names (its bundle +6 to +15 B gzipped).
    const ring = new EventRing(ringSlots(this._options.batchSize, this._options.capacity), () => {
      delivery.sealAll(this._queue);
      this._queue = newQueue();
    });
    this._ring = ring;
    this._dedupeStart = this._now();
    const delivery = (this._delivery = this._newDelivery(this._gate, {
      toWire: (records, batchId) => this._write(records, batchId, ring),
      onAuthStop: () => {
        this._stop();
        // the outbox was dropped with the queue: nothing refers to a slot any more
        ring.clear();
      },
    }));
    this._armInterval();
  }

  /** How contexts are redacted for their events (called by the constructor: it may use only the options). */
  protected _newRedactor(): ContextRedactor {
    return new ContextRedactor(this._options);
  }

  /** The delivery of this pipeline's batches (called by the constructor: it may use only the platform and options). */
  protected _newDelivery(gate: LogGate, hooks: DeliveryHooks): DeliveryBase {
    return new DeliveryBase(this._platform, this._options, this._counters, gate, hooks);
  }

  /**
   * Records that a context was served a variation of a flag: counted in the
   * summary, and sent as an `exposure` event when it is in an experiment (or
   * with `exposures: "all"`). Never throws. Returns a mark (≥ 0) when the
   * exposure is now remembered as sent for the context this window (new or
   * not), for {@link repeatExposure}; −1 otherwise.
   */
  recordExposure(input: ExposureInput): number {
    try {
      if (typeof input !== 'object' || input === null) return (this._invalid('recordExposure: expected an object'), NO_MARK);
      const { flag, variation } = input;
      if (!isName(flag)) return (this._invalid('recordExposure: flag must be a string of 1–256 characters'), NO_MARK);
      if (variation !== null && !isVariationIndex(variation)) {
        return (this._invalid('recordExposure: variation must be an integer in [0, 4093] or null'), NO_MARK);
      }
      const inExperiment = input.inExperiment === true;
      if (!inExperiment && !this._allExposures) {
        // counted only: the read sends no exposure, so neither the context nor its identity is needed
        if (!this._stopped) this._countEvaluation(flag, variation);
        return NO_MARK;
      }
      if (this._stopped) return (this._counters.dropped++, NO_MARK);
      const identity = identityOf(input.context, input.identity);
      if (typeof identity === 'string') return (this._invalid(`recordExposure: ${identity}`), NO_MARK);
      this._countEvaluation(flag, variation);
      const code = exposureCode(variation, inExperiment);
      let time = -1;
      let seen = this._seen.context(identity.canonicalKey);
      // a new context's event and its first exposure share one clock read
      if (seen === NO_CONTEXT) seen = this._noteContext(identity.canonicalKey, input.context, (time = this._now()));
      const mark = this._seen.mark(seen);
      // remembered even when the buffer is full: a lost exposure is counted once, not once per read
      if (!this._seen.noteExposure(seen, flag, code) || !this._admit()) return mark;
      const reason = typeof input.reason === 'string' ? input.reason : undefined;
      const revision = isIndex(input.revision) ? input.revision : undefined;
      // the members after the keys are written once per flag, variation, reason and revision (exposure-tails.ts)
      const tail = this._tails.get(flag, variation, inExperiment, reason, revision);
      // a validation handed in by a caller is trusted for its keys; its kinds only when they are an array
      const kinds = Array.isArray(identity.kinds) ? identity.kinds : [];
      this._push(this._ring.exposure(time < 0 ? this._now() : time, kinds, identity.keys, tail));
      return mark;
    } catch (error) {
      return (this._invalid(`recordExposure: ${describeError(error)}`), NO_MARK);
    }
  }

  /**
   * A read that `recordExposure` already recorded for the same context, flag and variation, `mark` being what it
   * returned then: counted in the summary (at `index`, the flag's index in the datafile that served it, a hint as
   * for {@link countEvaluation}) as `recordExposure` counts an exposure already sent, without validating the context
   * again, hashing its key or looking the exposure up (a scoped client's returning read in an experiment, ≈ 10 % of
   * a held user's reads). `true` when counted; `false`, nothing recorded, when the mark no longer holds (the window
   * ended, the context was forgotten, the pipeline stopped): the caller records the read with `recordExposure`.
   * Never throws.
   */
  repeatExposure(mark: number, flag: string, variation: number, index: number): boolean {
    try {
      if (this._stopped || !(mark >= 0) || !this._seen.holds(mark)) return false;
      // as a read outside an experiment is counted (its flag and variation were checked when it was recorded)
      this.countEvaluation(flag, variation, index);
      return true;
    } catch (error) {
      this._invalid(`repeatExposure: ${describeError(error)}`);
      return false;
    }
  }

  /** `false` by default (`exposures: "experiments"`): reads outside an experiment may be given to {@link countEvaluation}. */
  get recordsEveryRead(): boolean {
    return this._allExposures;
  }

  /**
   * Counts a read in the summary without recording an exposure: what
   * `recordExposure` does for a read outside an experiment by default, minus
   * building the record. `index`, the flag's index in the datafile that
   * served it, is a hint that spares looking the key up (a scoped client
   * passes it); any other index is counted by key. Never throws.
   */
  countEvaluation(flag: string, variation: number | null, index?: number): void {
    try {
      if (this._stopped) return;
      const valid = variation === null || isVariationIndex(variation);
      // a slot holds only a key already checked in this window
      if (valid && index !== undefined && this._summary.countAt(flag, index, variation)) return;
      if (!isName(flag)) return this._invalid('countEvaluation: flag must be a string of 1–256 characters');
      if (!valid) return this._invalid('countEvaluation: variation must be an integer in [0, 4093] or null');
      this._countEvaluation(flag, variation, index);
    } catch (error) {
      this._invalid(`countEvaluation: ${describeError(error)}`);
    }
  }

  /** Records a custom event (`track`). Never throws. */
  recordCustom(input: CustomEventInput): void {
    try {
      if (this._stopped) return void this._counters.dropped++;
      if (typeof input !== 'object' || input === null) return this._invalid('recordCustom: expected an object');
      const problem = customProblem(input);
      if (problem !== undefined) return this._invalid(`recordCustom: ${problem}`);
      const identity = identityOf(input.context, input.identity);
      if (typeof identity === 'string') return this._invalid(`recordCustom: ${identity}`);
      const time = this._now();
      if (this._seen.context(identity.canonicalKey) === NO_CONTEXT) this._noteContext(identity.canonicalKey, input.context, time);
      if (!this._admit()) return;
      this._push(customEvent(input, identity.keys, time));
    } catch (error) {
      this._invalid(`recordCustom: ${describeError(error)}`);
    }
  }

  /**
   * Sends everything recorded so far, with the current summary. Resolves
   * when it was delivered, dropped, or left waiting for a retry (the server
   * is unavailable); never rejects.
   */
  flush(): Promise<void> {
    try {
      if (this._stopped) return Promise.resolve();
      this._endWindow(false);
      return this._delivery.deliver(true);
    } catch (error) {
      this._platform.logger.error(`flush failed: ${describeError(error)}`);
      return Promise.resolve();
    }
  }

  /**
   * Sends what is pending within `timeoutMs` (default 5 000), then stops:
   * timers end, nothing more is recorded or sent, and whatever could not be
   * delivered in time is counted as dropped. Never rejects; safe to call twice.
   */
  close(timeoutMs: number = DEFAULT_CLOSE_TIMEOUT_MS): Promise<void> {
    this._closing ??= (async () => {
      try {
        if (this._stopped) return;
        this._endWindow(true);
        this._stop();
        const bound = typeof timeoutMs === 'number' && timeoutMs >= 0 ? timeoutMs : DEFAULT_CLOSE_TIMEOUT_MS;
        await this._delivery.close(bound);
      } catch (error) {
        this._platform.logger.error(`close failed: ${describeError(error)}`);
      }
    })();
    return this._closing;
  }

  /** Counts a checked read by key, keeping its counts at `index` (its flag's index in its datafile, a hint) when given. */
  private _countEvaluation(flag: string, variation: number | null, index?: number): void {
    const summary = this._summary;
    if (summary.isEmpty) summary.start(this._now());
    if (index === undefined) summary.count(flag, variation);
    else summary.countAndKeep(flag, index, variation);
  }

  /** Remembers a context new in this window and queues its `context` event (if the buffer has room). */
  private _noteContext(id: string, context: unknown, time: number): number {
    const seen = this._seen.addContext(id);
    if (this._admit()) this._push(this._ring.context(time, context as object));
    return seen;
  }

  /** Whether one more event fits; counts (and logs once per window) a drop when not. */
  private _admit(): boolean {
    if (this._queue.length + this._delivery.pendingEvents < this._options.capacity) return true;
    this._counters.dropped++;
    if (this._gate.allow('capacity')) {
      this._platform.logger.warn(
        `the event buffer is full (${this._options.capacity} events waiting to be sent); new events are dropped ` +
          `until the server accepts more (${this._counters.dropped} dropped so far)`,
      );
    }
    return false;
  }

  private _push(event: QueuedEvent): void {
    this._queue.push(event);
    if (this._queue.length >= this._options.batchSize && !this._sizeFlushPending) {
      // off the caller's stack: recording stays O(1)
      this._sizeFlushPending = true;
      void Promise.resolve().then(() => this._sizeFlush());
    }
  }

  private _sizeFlush(): void {
    this._sizeFlushPending = false;
    if (this._stopped) return;
    try {
      this._moveQueue();
      void this._delivery.deliver(false);
    } catch (error) {
      this._platform.logger.error(`event flush failed: ${describeError(error)}`);
    }
  }

  private _tick(): void {
    this._interval = null;
    try {
      this._gate.reset();
      this._endWindow(false);
      void this._delivery.deliver(false);
    } catch (error) {
      this._platform.logger.error(`event flush failed: ${describeError(error)}`);
    }
    this._armInterval();
  }

  /** Ends a flush window: the queue and the summary go to the outbox; dedupe forgets after its window. */
  private _endWindow(closing: boolean): void {
    const now = this._now();
    this._moveQueue();
    if (!this._summary.isEmpty) {
      // with a full buffer the counters keep adding up until there is room (or until close)
      const room = this._delivery.pendingEvents < this._options.capacity;
      const summary = room || closing ? this._summary.take(now) : undefined;
      if (summary) this._delivery.add([summary]);
    }
    if (now - this._dedupeStart >= this._options.dedupeWindowMs) {
      this._seen.clear();
      this._dedupeStart = now;
    }
  }

  private _moveQueue(): void {
    if (this._queue.length === 0) return;
    const queue = this._queue;
    this._queue = newQueue();
    this._delivery.add(queue);
  }

  private _armInterval(): void {
    if (this._stopped) return;
    // a background timer: the guarded platform never lets it keep the process alive
    this._interval = this._platform.setTimeout(() => this._tick(), this._options.flushIntervalMs);
  }

  /** Closed or refused: record nothing more, stop the interval; the queue is dropped (a 401) or already moved (close). */
  private _stop(): void {
    this._stopped = true;
    if (this._interval !== null) this._platform.clearTimeout(this._interval);
    this._interval = null;
    this._counters.dropped += this._queue.length;
    this._queue = newQueue();
    this._summary.clear();
  }

  private _write(records: readonly QueuedEvent[], batchId: string, ring: EventRing): WrittenBatch {
    try {
      return writeBatch(records, batchId, this._options.sdk, this._redactor, ring, () => this._counters.dropped++);
    } finally {
      // written or not (a batch that cannot be written is dropped), its slots are done with, and so are any before them
      const slot = lastSlot(records);
      if (slot >= 0) ring.releaseThrough(slot);
    }
  }

  private _invalid(message: string): void {
    this._counters.invalid++;
    if (this._invalidLogged) return;
    this._invalidLogged = true;
    try {
      this._platform.logger.warn(`${message}; the event was ignored (${this._invalidNote})`);
    } catch {
      // a logger that throws must not turn a bad argument into an exception
    }
  }

  private _now(): number {
    return this._platform.now();
  }
}
