import { jitterSource } from '@avsb/common';
import type { ContextRedactor } from './context-redactor';
import type { ResolvedOptions } from './options';
import { LogGate, describeError } from './pipeline-stats';
import type { EventPlatform, TimerHandle, TransportResult } from './platform';
import type { QueuedEvent } from './queued-event';
import { toWireEvent } from './queued-event';
import { retryDelay, serverAsked, verdictOf } from './retry-policy';
import { splitBatch } from './split-batch';
import type { EventBatch, WireEvent } from './wire';

const OPEN = 0;
const CLOSING = 1;
/** Closed, or stopped by a refused key: nothing more is sent. */
const DONE = 2;

/**
 * The sender of a page's events ({@link PageEventPipeline}): the guarantees
 * of `EventPipeline`'s delivery (README, "Delivery guarantees") without what
 * only a server uses: no counters behind `diagnostics()`, no outbox of
 * unsealed batches (recorded events wait in one queue and are sealed, up to
 * `batchSize`, when their batch is first sent), no split before sending.
 * Batches go out one at a time, in order, each retried with the same id
 * and bytes: backoff (or exactly `Retry-After`) while the service is
 * unavailable, up to `maxAttempts` for a server error; a 413 splits one in
 * halves, a 4xx drops it, a 401/403 stops everything.
 */
export class PageDelivery {
  /** Log one message of each topic per flush window. */
  readonly gate = new LogGate();
  /** Recorded events not yet in a batch. */
  private _queue: QueuedEvent[] = [];
  /** How many of the queue's first events are due (their window ended): only those are sealed into batches. */
  private _due = 0;
  /** Sealed batches in order; the first is the one being sent or retried. */
  private _batches: EventBatch[] = [];
  /** Events in `_batches`. */
  private _sealed = 0;
  /** Server errors of the first batch so far. */
  private _errors = 0;
  /** Consecutive failed attempts, for the backoff. */
  private _streak = 0;
  /** A `Retry-After` deadline: no attempt before it, not even for `flush()`. */
  private _notBefore = 0;
  private _state = OPEN;
  private _retry: TimerHandle | undefined;
  private _running: Promise<void> | undefined;
  private _idle: (() => void)[] = [];

  constructor(
    private readonly _platform: EventPlatform,
    private readonly _options: ResolvedOptions,
    private readonly _redactor: ContextRedactor,
    /** The server refused the key: the pipeline stops recording. */
    private readonly _onAuthStop: () => void,
  ) {}

  /** Events held: queued or in batches awaiting (re)delivery. */
  get held(): number {
    return this._queue.length + this._sealed;
  }

  /** Queues an event; a full batch of events not yet due is sent without waiting for the interval. */
  add(event: QueuedEvent): void {
    if (this._state === DONE) return;
    this._queue.push(event);
    if (this._queue.length - this._due >= this._options.batchSize) {
      // the send itself starts off the caller's stack (_loop): recording stays O(1)
      this.due();
      void this.send(false);
    }
  }

  /** Everything queued is due: the end of a flush window. */
  due(): void {
    this._due = this._queue.length;
  }

  /**
   * Sends what is due. `urgent` (flush, close) cuts short a backoff wait but
   * never a server's `Retry-After`. Resolves when nothing due is left or a
   * failure left it waiting for a retry; never rejects.
   */
  send(urgent: boolean): Promise<void> {
    if (urgent && this._retry !== undefined && this._platform.now() >= this._notBefore) this._clearRetry();
    if (this._running === undefined && this._sendable()) this._running = this._loop();
    return this._running ?? Promise.resolve();
  }

  /**
   * Sends everything within `timeoutMs`, retrying while there is time (a
   * backoff wait is cut short, a `Retry-After` is not), then stops: the rest
   * is dropped. Unlike `EventPipeline`, it waits out its bound when the next
   * retry falls after it, rather than giving up at once: a page closes rarely.
   */
  async close(timeoutMs: number): Promise<void> {
    if (this._state !== OPEN) return;
    this._state = CLOSING;
    this.due();
    void this.send(true);
    let timer: TimerHandle | undefined;
    await Promise.race([
      this._running === undefined && this._batches.length === 0 && this._due === 0 ? undefined : new Promise<void>((resolve) => this._idle.push(resolve)),
      new Promise<void>((resolve) => (timer = this._platform.setTimeout(resolve, timeoutMs, true))),
    ]);
    if (timer !== undefined) this._platform.clearTimeout(timer);
    this._end();
  }

  private _sendable(): boolean {
    return this._state !== DONE && this._retry === undefined && (this._batches.length > 0 || this._due > 0);
  }

  private async _loop(): Promise<void> {
    await null; // always asynchronous: `_running` is set before this function can clear it
    try {
      while (this._sendable() && (await this._attempt()));
    } catch (error) {
      this._platform.logger.error(`event delivery failed unexpectedly: ${describeError(error)}`);
    } finally {
      this._running = undefined;
      if (this._batches.length === 0 && this._due === 0) this._notifyIdle();
    }
  }

  /** One attempt of the first batch (sealed now if need be); whether to go on with the next. */
  private async _attempt(): Promise<boolean> {
    let batch = this._batches[0];
    if (batch === undefined) {
      const records = this._queue.splice(0, Math.min(this._due, this._options.batchSize));
      this._due -= records.length;
      const events: WireEvent[] = [];
      for (const record of records) {
        const event = toWireEvent(record, this._redactor);
        if (event !== undefined) events.push(event);
      }
      if (events.length === 0) return true;
      this._batches.push((batch = { batchId: this._platform.randomId(), sdk: this._options.sdk, events }));
      this._sealed += events.length;
      this._errors = 0;
    }
    let result: TransportResult | undefined;
    let why: string;
    try {
      result = await this._platform.transport.send(batch);
      if (typeof result?.status !== 'number') throw new Error('the transport answered without a status');
      why = `HTTP ${result.status}${result.message ? `: ${result.message}` : ''}`;
    } catch (error) {
      result = undefined;
      why = `network: ${describeError(error)}`;
    }
    if (this._state === DONE) return false;
    const count = batch.events.length;
    switch (verdictOf(result, count)) {
      case 'delivered':
        this._shift();
        if (this._streak > 0) this._platform.logger.info(`event delivery recovered after ${this._streak} failed attempts`);
        this._streak = 0;
        return true;
      case 'auth':
        this._platform.logger.error(
          `the server refused the SDK key (HTTP ${result!.status}); events will not be sent again by this client. ` +
            'Check the SDK key (the client key of the right environment).',
        );
        this._end(true);
        this._onAuthStop();
        return false;
      case 'split':
        this._batches.splice(0, 1, ...splitBatch(batch, () => this._platform.randomId()));
        this._errors = 0;
        return true;
      case 'rejected':
        this._give(why, 'the server rejected', count);
        return true;
      case 'server-error':
        if (++this._errors >= this._options.maxAttempts) {
          this._give(`${why}, attempt ${this._errors} of ${this._options.maxAttempts}`, 'gave up on', count);
          this._streak++;
          return true;
        }
    }
    // unavailable, or a server error with attempts left: wait
    const delay = retryDelay(result?.retryAfterMs, ++this._streak, this._options, jitterSource(this._platform));
    this._notBefore = serverAsked(result?.retryAfterMs) ? this._platform.now() + delay : 0;
    const message = `event delivery failed (${why}); retrying in ${Math.round(delay)} ms`;
    if (this._streak === 1) this._platform.logger.warn(`${message}; events are kept (up to the buffer capacity) until the server answers`);
    else this._platform.logger.debug(message);
    // a background timer, but for close(), which awaits it
    this._retry = this._platform.setTimeout(
      () => {
        this._retry = undefined;
        void this.send(false);
      },
      delay,
      this._state === CLOSING,
    );
    return false;
  }

  /** The first batch is done with (delivered or dropped). */
  private _shift(): void {
    this._sealed -= this._batches.shift()!.events.length;
    this._errors = 0;
  }

  private _give(why: string, verb: string, count: number): void {
    this._shift();
    if (this.gate.allow(verb)) this._platform.logger.error(`${verb} a batch of ${count} events (${why}); it was dropped`);
  }

  private _clearRetry(): void {
    this._platform.clearTimeout(this._retry!);
    this._retry = undefined;
  }

  /** Stops for good (closed, or the key `refused`): everything held is dropped, the transport closed. */
  private _end(refused = false): void {
    if (this._state === DONE) return;
    if (!refused && this.held > 0) {
      this._platform.logger.warn(`close(): ${this.held} events could not be sent in time and were dropped`);
    }
    this._state = DONE;
    if (this._retry !== undefined) this._clearRetry();
    this._queue = [];
    this._batches = [];
    this._sealed = this._due = 0;
    this._notifyIdle();
    try {
      this._platform.transport.close?.();
    } catch {
      // a transport that fails to close has nothing more to send anyway
    }
  }

  private _notifyIdle(): void {
    const waiting = this._idle;
    this._idle = [];
    for (const resolve of waiting) resolve();
  }
}
