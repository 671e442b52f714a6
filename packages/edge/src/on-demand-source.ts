import { Backoff, clampDelay, describeError, jitterSource } from '@avsb/common';
import type { DataSink, DataSource, Platform, ServiceEndpoint } from '@avsb/core';
import { DatafileRequestor } from '@avsb/core';

/** Options of {@link OnDemandDataSource}. */
export interface OnDemandOptions extends ServiceEndpoint {
  /** A datafile older than this is checked again (conditional GET) by the next request. Default 30 000 ms. */
  maxAgeMs?: number;
}

/**
 * The data source of an isolate that cannot keep a stream or a timer: it
 * fetches `GET /sdk/v1/datafile` (with `If-None-Match`) only when a request
 * asks, and only when the datafile is older than `maxAgeMs` or missing.
 * Failures back off (and honour `Retry-After`) so a broken service is not
 * asked on every request; `401`/`403` stop it for good.
 *
 * Edge runtimes cancel the I/O of a request once its response is sent unless
 * it was handed to `waitUntil`, so a refresh may never settle: one still
 * pending after the request time limit (plus a second) is abandoned and the
 * next request starts another, rather than every later request waiting on it.
 */
export class OnDemandDataSource implements DataSource {
  private readonly _requestor: DatafileRequestor;
  private readonly _maxAge: number;
  private readonly _abandonAfter: number;
  private readonly _backoff: Backoff;
  private _nextAt = 0;
  private _inFlight: { readonly promise: Promise<void>; readonly since: number } | null = null;
  private _stopped = false;

  constructor(
    options: OnDemandOptions,
    private readonly _sink: DataSink,
    private readonly _platform: Platform,
  ) {
    this._requestor = new DatafileRequestor(options, _platform);
    const maxAge = options.maxAgeMs;
    this._maxAge = clampDelay(typeof maxAge === 'number' && maxAge >= 0 ? maxAge : 30_000);
    this._abandonAfter = clampDelay(options.requestTimeoutMs ?? 10_000) + 1_000;
    this._backoff = new Backoff({
      initialMs: Math.min(1_000, Math.max(1, this._maxAge)), maxMs: Math.max(1, this._maxAge),
      random: jitterSource(_platform),
      now: () => _platform.now(),
    });
  }

  /** Nothing to start: requests call {@link refresh}. */
  start(): void {}

  stop(): void {
    this._stopped = true;
    this._requestor.abort();
  }

  /**
   * The refresh in flight, a new one when the datafile is due, or `null`
   * when it is fresh (or the source stopped). Never rejects.
   */
  refresh(): Promise<void> | null {
    if (this._stopped) return null;
    const now = this._platform.now();
    const running = this._inFlight;
    if (running !== null && now - running.since < this._abandonAfter) return running.promise;
    if (running === null && now < this._nextAt) return null;
    const promise = this._fetch().finally(() => {
      if (this._inFlight?.promise === promise) this._inFlight = null;
    });
    this._inFlight = { promise, since: now };
    return promise;
  }

  private async _fetch(): Promise<void> {
    try {
      const response = await this._requestor.fetch(true);
      if (this._stopped) return;
      const now = this._platform.now();
      if (response.status === 'error') {
        this._sink.error(response.error);
        if (response.error.kind === 'unauthorized') return this.stop();
        this._nextAt = now + Math.max(Math.min(this._maxAge, this._backoff.next()), response.retryAfterMs ?? 0);
        return;
      }
      if (response.status === 'ok') {
        if (this._sink.put(response.datafile, { source: 'poll', text: response.text }) === 'refused') {
          this._sink.error({ kind: 'invalid-datafile', message: 'datafile request: the engine refused the datafile' });
          this._nextAt = now + Math.min(this._maxAge, this._backoff.next());
          return;
        }
        this._requestor.accept(response.etag);
      }
      this._backoff.reset();
      this._sink.valid();
      this._nextAt = now + this._maxAge;
    } catch (e) {
      // never reject into a request: report it as the source's problem and try again later
      this._sink.error({ kind: 'network', message: `datafile request failed unexpectedly: ${describeError(e)}` });
      this._nextAt = this._platform.now() + Math.min(this._maxAge, this._backoff.next());
    }
  }
}
