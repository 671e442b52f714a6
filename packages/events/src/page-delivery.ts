import { describeError, jitterSource } from '@avsb/common';
import type { PageOptions } from './page-options';
import type { EventPlatform, TimerHandle, TransportResult } from './platform';
import { retryDelay, serverAsked, verdictOf } from './retry-policy';
import { splitBatch } from './split-batch';
import type { EventBatch, WireEvent } from './wire';

/** Recording and sending. */
export const OPEN = 0;
/** `close()` is sending what is left: nothing more is recorded. */
export const CLOSING = 1;
/** Closed, or stopped by a refused key: nothing more is recorded or sent. */
export const DONE = 2;

/**
 * The sending half of {@link PageEventPipeline}, its base class: the rows of
 * `EventPipeline`'s "Delivery guarantees" (README) for one page. Recorded
 * events, already in wire form, wait in one queue; up to `batchSize` of
 * those due are sealed into a batch (its id given) when it is first sent.
 * Batches go out one at a time, in order, each retried with the same id and
 * bytes: backoff (or exactly `Retry-After`) while the service is unavailable,
 * up to `maxAttempts` for a server error; a 413 splits one in halves, a 4xx
 * drops it, a 401/403 stops everything. Left out, as a page has no use for
 * them: counters, an outbox of unsealed batches, the split before sending.
 */
export abstract class PageDelivery {
  protected _state = OPEN;
  /** Recorded events not yet in a batch. */
  protected _queue: WireEvent[] = [];
  /** How many of the queue's first events are due (their window ended): only those are sealed into batches. */
  protected _due = 0;
  /** The flush interval's timer; once closing, `close()`'s bound. */
  protected _timer: TimerHandle | undefined;
  /** Topics logged in this flush window: one message of each per window. */
  protected _logged = new Set<string>();
  /** Sealed batches in order; the first is the one being sent or retried. */
  private _batches: EventBatch[] = [];
  /** Server errors of the first batch so far. */
  private _errors = 0;
  /** Consecutive failed attempts, for the backoff. */
  private _streak = 0;
  /** Whether the retry waited for is the server's `Retry-After`: no attempt before it, not even for `flush()`. */
  private _asked = false;
  private _retry: TimerHandle | undefined;
  private _running: Promise<void> | undefined;
  /** Ends `close()`'s wait once nothing is left to send. */
  private _idle: (() => void) | undefined;

  constructor(
    protected readonly _platform: EventPlatform,
    protected readonly _options: PageOptions,
  ) {}

  /** Events held: queued or in batches awaiting (re)delivery. */
  protected _held(): number {
    return this._batches.reduce((held, batch) => held + batch.events.length, this._queue.length);
  }

  /** Whether `topic` may be logged in this window (and marks it logged). */
  protected _once(topic: string): boolean {
    return this._logged.size < this._logged.add(topic).size;
  }

  /** Queues an event; a full batch of events not yet due is sent without waiting for the interval. */
  protected _add(event: WireEvent): void {
    if (this._queue.push(event) - this._due >= this._options.batchSize) {
      this._due = this._queue.length;
      void this._send(); // the send starts off the caller's stack (_loop): recording stays O(1)
    }
  }

  /**
   * Sends what is due. `urgent` (flush, close) cuts short a backoff wait but
   * never a server's `Retry-After`. Resolves when nothing due is left or a
   * failure left it waiting for a retry; never rejects.
   */
  protected _send(urgent?: boolean): Promise<void> {
    const platform = this._platform;
    if (urgent && !this._asked) {
      platform.clearTimeout(this._retry);
      this._retry = undefined;
    }
    if (!this._running && this._retry === undefined && this._state !== DONE && (this._batches.length || this._due)) this._running = this._loop();
    return this._running ?? Promise.resolve();
  }

  /**
   * Sends everything due within `timeoutMs`, retrying while there is time (a
   * backoff wait is cut short, a `Retry-After` is not), then stops: the rest
   * is dropped. Unlike `EventPipeline`, it waits out its bound when the next
   * retry falls after it, rather than giving up at once: a page closes rarely.
   */
  protected async _drain(timeoutMs: number): Promise<void> {
    void this._send(true);
    if (this._held()) {
      await new Promise<void>((resolve) => {
        this._idle = resolve;
        this._timer = this._platform.setTimeout(resolve, timeoutMs, true);
      });
    }
    this._end(false);
  }

  /** Sends batch after batch, until none is due, one waits for a retry, or it stops. */
  private async _loop(): Promise<void> {
    await null; // always asynchronous: `_running` is set before this function can clear it
    const platform = this._platform;
    const { logger } = platform;
    try {
      for (let batch; this._retry === undefined && (batch = this._batches[0] ?? this._seal()); ) {
        let result: TransportResult | undefined;
        let why: string;
        try {
          result = await platform.transport.send(batch);
          why = `HTTP ${result.status}${result.message ? `: ${result.message}` : ''}`;
        } catch (error) {
          why = `network: ${describeError(error)}`;
        }
        if (this._state === DONE) break;
        const count = batch.events.length;
        const verdict = verdictOf(result, count);
        const rejected = verdict === 'rejected';
        if (verdict === 'split') {
          this._batches.splice(0, 1, ...splitBatch(batch, () => platform.randomId()));
          this._errors = 0;
        } else if (verdict === 'auth') {
          logger.error(`the server refused the SDK key (HTTP ${result!.status}); no more events are sent: check the client key of the right environment`);
          this._end(true);
        } else if (verdict === 'delivered' || rejected || (verdict === 'server-error' && ++this._errors >= this._options.maxAttempts)) {
          // done with: delivered or dropped
          this._batches.shift();
          if (verdict === 'delivered') {
            if (this._streak) logger.info(`event delivery recovered after ${this._streak} failed attempts`);
            this._streak = 0;
          } else {
            if (!rejected) this._streak++;
            if (this._once(verdict)) logger.error(`a batch of ${count} events was dropped (${why}${rejected ? '' : `, attempt ${this._errors}`})`);
          }
          this._errors = 0;
        } else {
          // unavailable, or a server error with attempts left: wait (a background timer, but for close(), which awaits it)
          const delay = retryDelay(result?.retryAfterMs, ++this._streak, this._options, jitterSource(platform));
          this._asked = serverAsked(result?.retryAfterMs);
          logger[this._streak > 1 ? 'debug' : 'warn'](`event delivery failed (${why}); retrying in ${Math.round(delay)} ms`);
          this._retry = platform.setTimeout(
            () => {
              this._retry = undefined;
              void this._send();
            },
            delay,
            this._state === CLOSING,
          );
        }
      }
    } catch (error) {
      logger.error(`event delivery failed (${describeError(error)})`);
    } finally {
      this._running = undefined;
      if (!this._held()) this._idle?.();
    }
  }

  /** The next batch: up to `batchSize` of the events due, given its id; `undefined` when none is due. */
  private _seal(): EventBatch | undefined {
    if (!this._due) return undefined;
    const events = this._queue.splice(0, Math.min(this._due, this._options.batchSize));
    this._due -= events.length;
    const batch = { batchId: this._platform.randomId(), sdk: this._options.sdk, events };
    this._batches.push(batch);
    return batch;
  }

  /** Stops for good (closed, or the key `refused`): everything held is dropped, the timers stopped, the transport closed. */
  private _end(refused: boolean): void {
    const platform = this._platform;
    const held = this._held();
    if (held && !refused) platform.logger.warn(`${held} events could not be sent in time and were dropped`);
    this._state = DONE;
    platform.clearTimeout(this._retry);
    platform.clearTimeout(this._timer);
    this._queue = [];
    this._batches = [];
    this._due = 0;
    this._idle?.();
    platform.transport.close?.(); // the platform is used as given: what a transport throws here, close() logs
  }
}
