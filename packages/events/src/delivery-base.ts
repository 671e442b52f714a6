import type { ResolvedOptions } from './options';
import type { GuardedPlatform } from './guarded-platform';
import type { TimerHandle, TransportResult } from './platform';
import type { Counters, LogGate } from './pipeline-stats';
import { describeError } from '@avsb/common';
import { retryDelay, serverAsked, verdictOf } from './retry-policy';
import type { QueuedEvent } from './queued-event';
import { Outbox } from './outbox';
import { splitBatch } from './split-batch';
import type { OutboxBatch } from './outbox';
import type { EventBatch } from './wire';

/** What an attempt leaves the send loop to do: the next batch, wait for a retry, or stop. */
export type Outcome = 'next' | 'wait' | 'stop';

/** What {@link DeliveryBase} needs from the pipeline. */
export interface DeliveryHooks {
  /** A batch's wire form with its id, when it is sealed, and the events it holds (unrepresentable ones are left out and counted). */
  toWire(records: readonly QueuedEvent[], batchId: string): { readonly wire: EventBatch; readonly count: number };
  /** The server refused the key: the pipeline stops recording. */
  onAuthStop(): void;
}

/**
 * The outbox and its sender: batches go out one at a time, in order. A
 * batch that fails is retried with the same `batchId` after a backoff
 * (honouring `Retry-After`); a 4xx drops it (a 413 splits it in two halves
 * instead); a 401/403 stops
 * everything.
 */
export class DeliveryBase {
  protected readonly _outbox: Outbox;
  private _running: Promise<void> | null = null;
  private _retryTimer: TimerHandle | null = null;
  /** A `Retry-After` deadline: no attempt before it, not even for `flush()`. */
  private _notBefore = 0;
  /** Consecutive failed attempts, for the backoff. */
  private _streak = 0;
  private _state: 'open' | 'closing' | 'closed' | 'stopped' = 'open';
  private _deadline = Infinity;
  private _idle: (() => void)[] = [];

  constructor(
    protected readonly _platform: GuardedPlatform,
    protected readonly _options: ResolvedOptions,
    protected readonly _counters: Counters,
    private readonly _gate: LogGate,
    private readonly _hooks: DeliveryHooks,
  ) {
    this._outbox = new Outbox(_options.batchSize);
  }

  /** Events in the outbox (sealed or not). */
  get pendingEvents(): number {
    return this._outbox.events;
  }

  /** Adds events to the outbox, filling the last unsealed batch first. */
  add(records: QueuedEvent[]): void {
    if (records.length === 0) return;
    if (this._state === 'closed' || this._state === 'stopped') {
      this._counters.dropped += records.length;
      return;
    }
    this._outbox.add(records);
  }

  /**
   * Sends what is in the outbox. `urgent` (flush, close) cuts short a
   * backoff wait but never a server's `Retry-After`. Resolves when the
   * outbox is empty or a failure left it waiting for a retry; never rejects.
   */
  deliver(urgent: boolean): Promise<void> {
    if (urgent && this._retryTimer !== null && this._platform.now() >= this._notBefore) {
      this._platform.clearTimeout(this._retryTimer);
      this._retryTimer = null;
    }
    if (this._running === null && this._sendable()) this._running = this._loop();
    return this._running ?? Promise.resolve();
  }

  /**
   * Sends everything within `timeoutMs` (retrying as usual while there is
   * time), then stops for good: what is still unsent is dropped and counted.
   */
  async close(timeoutMs: number): Promise<void> {
    if (this._state !== 'open') return;
    this._state = 'closing';
    const now = this._platform.now();
    this._deadline = now + timeoutMs;
    if (this._retryTimer !== null) {
      this._platform.clearTimeout(this._retryTimer);
      this._retryTimer = null;
      // a Retry-After still in force: wait for it if it ends in time, else give up now
      if (this._notBefore > now) {
        if (this._notBefore > this._deadline) return this._finish();
        this._retryTimer = this._timer(() => this._retry(), this._notBefore - now, false);
      }
    }
    void this.deliver(false);
    let deadlineTimer: TimerHandle | null = null;
    await Promise.race([
      this._whenIdle(),
      new Promise<void>((resolve) => (deadlineTimer = this._timer(resolve, timeoutMs, false))),
    ]);
    if (deadlineTimer !== null) this._platform.clearTimeout(deadlineTimer);
    this._finish();
  }

  /** Stops for good after a 401/403: everything held is dropped and counted. */
  private _stopForAuth(status: number): void {
    this._counters.stoppedForAuth = true;
    this._counters.lastError = `HTTP ${status}: the SDK key was refused`;
    this._platform.logger.error(`the server refused the SDK key (HTTP ${status}); events will not be sent again by this client. ${this._keyAdvice()}`);
    this._state = 'stopped';
    this._dropAll();
    this._hooks.onAuthStop();
  }

  private _finish(): void {
    if (this._state === 'closed' || this._state === 'stopped') return;
    this._state = 'closed';
    if (this._outbox.events > 0) {
      this._platform.logger.warn(`close(): ${this._outbox.events} events could not be sent in time and were dropped`);
    }
    this._dropAll();
    try {
      this._platform.transport.close?.();
    } catch {
      // a transport that fails to close has nothing more to send anyway
    }
  }

  private _dropAll(): void {
    if (this._retryTimer !== null) this._platform.clearTimeout(this._retryTimer);
    this._retryTimer = null;
    const held = this._outbox.clear();
    this._counters.dropped += held.events;
    this._counters.failedBatches += held.batches;
    this._notifyIdle();
  }

  private _sendable(): boolean {
    return (this._state === 'open' || this._state === 'closing') && this._retryTimer === null && this._outbox.batches > 0;
  }

  private async _loop(): Promise<void> {
    await null; // always asynchronous: `_running` is set before this function can clear it
    try {
      while (this._sendable()) {
        if ((await this._attempt(this._outbox.head()!)) !== 'next') break;
      }
    } catch (error) {
      this._platform.logger.error(`event delivery failed unexpectedly: ${describeError(error)}`);
    } finally {
      this._running = null;
      if (this._outbox.batches === 0) this._notifyIdle();
    }
  }

  /**
   * Adds `records`, then writes every batch not written yet, in order (the pipeline needs the
   * memory its records hold): each keeps its place and goes out in turn, as
   * if it had been written when it came to the head.
   */
  sealAll(records: QueuedEvent[]): void {
    this.add(records);
    for (const batch of this._outbox.unsealed()) this.seal(batch);
  }

  /**
   * Writes a batch and seals it in the outbox; `false` when it could not be
   * written and was dropped (counted and logged). Public, as `sealAll`: the
   * build shortens `_` members by how often the package uses them, and one
   * more member used this often pushed one of the page pipeline's out of the
   * one-letter names (+15 B gzipped on a page).
   */
  seal(batch: OutboxBatch): boolean {
    let written;
    try {
      written = this._hooks.toWire(batch.records ?? [], this._platform.randomId());
    } catch (error) {
      // left in the outbox, it would fail again on every attempt and hold back every batch behind it
      this._outbox.remove(batch);
      this._counters.dropped += batch.count;
      this._counters.failedBatches++;
      this._platform.logger.error(`a batch of ${batch.count} events could not be written and was dropped (${describeError(error)})`);
      return false;
    }
    this._outbox.seal(batch, written.wire, written.count);
    return true;
  }

  private async _attempt(batch: OutboxBatch): Promise<Outcome> {
    if (batch.wire === null && !this.seal(batch)) return 'next';
    if (batch.count === 0) {
      this._outbox.remove(batch);
      return 'next';
    }
    const early = this._beforeSend(batch);
    if (early !== null) return early;
    let result: TransportResult | undefined;
    let failure = '';
    try {
      result = await this._platform.transport.send(batch.wire!);
      if (typeof result?.status !== 'number') throw new Error('the transport answered without a status');
    } catch (error) {
      result = undefined;
      failure = `network: ${describeError(error)}`;
    }
    if (this._state === 'closed' || this._state === 'stopped') {
      // given up on while in flight (counted as dropped); a late success still counts as sent
      if (result && result.status >= 200 && result.status < 300) this._moveDroppedToSent(batch.count);
      return 'stop';
    }
    const verdict = verdictOf(result, batch.count);
    const why = result === undefined ? failure : `HTTP ${result.status}${result.message ? `: ${result.message}` : ''}`;
    switch (verdict) {
      case 'delivered':
        this._outbox.remove(batch);
        this._counters.sent += batch.count;
        if (this._streak > 0) this._platform.logger.info(`event delivery recovered after ${this._streak} failed attempts`);
        this._streak = 0;
        return 'next';
      case 'auth':
        this._stopForAuth(result!.status);
        return 'stop';
      case 'split':
        return this._split(batch);
      case 'rejected':
        this._give(batch, why, 'the server rejected');
        return 'next';
      case 'server-error':
        if (++batch.errorAttempts >= this._options.maxAttempts) {
          this._give(batch, `${why}, attempt ${batch.errorAttempts} of ${this._options.maxAttempts}`, 'gave up on');
          this._streak++;
          return 'next';
        }
        return this._scheduleRetry(why, result?.retryAfterMs);
      case 'unavailable':
        return this._scheduleRetry(why, result?.retryAfterMs);
    }
  }

  private _scheduleRetry(failure: string, retryAfterMs: number | undefined): Outcome {
    this._counters.lastError = failure;
    this._streak++;
    const delay = retryDelay(retryAfterMs, this._streak, this._options, () => this._platform.random());
    const now = this._platform.now();
    this._notBefore = serverAsked(retryAfterMs) ? now + delay : 0;
    if (this._state === 'closing' && now + delay > this._deadline) {
      this._finish();
      return 'stop';
    }
    const message = `event delivery failed (${failure}); retrying in ${Math.round(delay)} ms`;
    if (this._streak === 1) {
      this._platform.logger.warn(`${message}; events are kept (up to the buffer capacity) until the server answers`);
    } else {
      this._platform.logger.debug(message);
    }
    this._retryTimer = this._timer(() => this._retry(), delay, this._state === 'open');
    return 'wait';
  }

  private _retry(): void {
    this._retryTimer = null;
    void this.deliver(false);
  }

  /** What to check when the key is refused: a client key by default (`Delivery` names the server key). */
  protected _keyAdvice(): string {
    return 'Check the SDK key (the client key of the right environment).';
  }

  /** Before a sealed batch is sent: `null` to send it, else what to do instead (`Delivery` splits one over 1 MiB). */
  protected _beforeSend(_batch: OutboxBatch): Outcome | null {
    return null;
  }

  /**
   * Too large (a 413, or over 1 MiB before sending in `Delivery`): the same
   * events in two halves, with ids derived from the batch's (README,
   * "Delivery guarantees"): a 413 must never drop events that fit in
   * smaller batches.
   */
  protected _split(batch: OutboxBatch): Outcome {
    this._platform.logger.debug(`a batch of ${batch.count} events is too large; sending it in two halves`);
    const halves = splitBatch(batch.wire!, () => this._platform.randomId()).map(
      (wire): OutboxBatch => ({ records: null, wire, count: wire.events.length, errorAttempts: 0 }),
    );
    this._outbox.replace(batch, halves);
    return 'next';
  }

  protected _give(batch: OutboxBatch, why: string, verb: string): void {
    this._outbox.remove(batch);
    this._counters.dropped += batch.count;
    this._counters.failedBatches++;
    this._counters.lastError = why;
    if (this._gate.allow(verb)) {
      this._platform.logger.error(`${verb} a batch of ${batch.count} events (${why}); it was dropped`);
    }
  }

  private _moveDroppedToSent(count: number): void {
    this._counters.dropped -= count;
    this._counters.failedBatches--;
    this._counters.sent += count;
  }

  private _timer(callback: () => void, ms: number, background: boolean): TimerHandle {
    // a background timer (a retry) never keeps the process alive; close()'s timers do
    return this._platform.setTimeout(callback, ms, !background);
  }

  private _whenIdle(): Promise<void> {
    if (this._outbox.batches === 0 && this._running === null) return Promise.resolve();
    return new Promise((resolve) => this._idle.push(resolve));
  }

  private _notifyIdle(): void {
    const waiting = this._idle;
    this._idle = [];
    for (const resolve of waiting) resolve();
  }
}
