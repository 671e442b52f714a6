import { Backoff, clampDelay, parseRetryAfter } from '@avsb/common';
import { STREAM_SILENCE_MS } from '@avsb/protocol';
import type { DeleteUpdate, PatchUpdate } from '../datafile-format';
import type { Platform, TimerHandle } from '../platform';
import { jitterSource } from '../platform';
import type { DataSink, DataSource, DataSourceError, ServiceEndpoint } from './data-source';
import { authHeaders, endpointUrl, networkError, statusError } from './data-source';
import { DatafileRequestor } from './datafile-requestor';
import { PollingDataSource } from './polling-data-source';
import { SseParser } from './sse-parser';

export interface StreamingOptions extends ServiceEndpoint {
  /**
   * First reconnection delay; it doubles per failure, and jitter keeps at
   * least half of each delay. It starts over only after a connection stayed
   * up 60 s. Default 1 000 ms.
   */
  initialRetryDelayMs?: number;
  /** Cap of the reconnection delay. Default 30 000 ms. A `Retry-After` may ask for longer, up to `MAX_DELAY_MS` (one hour). */
  maxRetryDelayMs?: number;
  /**
   * Consecutive failed connections before polling starts alongside. Default 3; 0 never polls.
   * A failure whose `Retry-After` is longer than `pollIntervalMs` starts polling at once.
   */
  fallbackAfterFailures?: number;
  /** Interval of the fallback polling. Default 30 000 ms. */
  pollIntervalMs?: number;
  /** Reconnect when nothing (not even a heartbeat) arrived for this long. Default 45 000 ms. */
  readTimeoutMs?: number;
}

const WHAT = 'stream';

/**
 * Server-sent events from `GET /sdk/v1/stream` over `fetch`: `put` replaces
 * the datafile, `patch`/`delete` update one item (a patch out of sequence
 * refetches the datafile), comments are heartbeats. A dropped or failed
 * connection is retried with exponential backoff and jitter (`Backoff` of
 * `@avsb/common`: it starts over only after a connection stayed up 60 s);
 * event data that is not JSON or that the engine refuses is a broken stream,
 * dropped and retried like any failure. After `fallbackAfterFailures`
 * failures in a row, or at once when a `Retry-After` asks for a pause longer
 * than the polling interval, a `PollingDataSource` runs alongside until the
 * stream delivers a datafile again. `401`/`403` stop everything and are reported as
 * `unauthorized`.
 */
export class StreamingDataSource implements DataSource {
  private readonly _requestor: DatafileRequestor;
  private readonly _backoff: Backoff;
  private _running = false;
  /** Increases whenever a connection ends: what arrives for an older one is ignored. */
  private _connection = 0;
  private _failures = 0;
  /** Ends the open connection (its request, and its body once it is read). */
  private _end: (() => void) | null = null;
  /** The open connection's watchdog, or the retry between two connections: never both. */
  private _timer: TimerHandle | null = null;
  private _fallback: PollingDataSource | null = null;
  private _delivered = false;
  private _refetching = false;
  private _wantedRevision = -1;

  constructor(
    private readonly _options: StreamingOptions,
    private readonly _sink: DataSink,
    private readonly _platform: Platform,
  ) {
    this._requestor = new DatafileRequestor(_options, _platform);
    this._backoff = new Backoff({
      initialMs: _options.initialRetryDelayMs ?? 1_000,
      maxMs: _options.maxRetryDelayMs ?? 30_000,
      random: jitterSource(_platform),
      now: () => _platform.now(),
    });
  }

  start(): void {
    if (this._running) return;
    this._running = true;
    void this._connect();
  }

  stop(): void {
    this._running = false;
    this._close();
    this._stopFallback();
    this._requestor.abort();
  }

  /** Whether the fallback polling is running (the stream keeps failing). */
  get polling(): boolean {
    return this._fallback !== null;
  }

  /** Ends the open connection, if any, and clears the timer. */
  private _close(): void {
    this._connection++;
    this._after(-1, null);
    this._end?.();
    this._end = null;
  }

  /** Runs `fn` after `ms` instead of what the timer held (`null`: nothing). */
  private _after(ms: number, fn: (() => void) | null): void {
    if (this._timer !== null) this._platform.clearTimeout(this._timer);
    this._timer = null;
    if (fn !== null) {
      this._timer = this._platform.setTimeout(() => {
        this._timer = null;
        fn();
      }, clampDelay(ms));
    }
  }

  private _stopFallback(): void {
    this._fallback?.stop();
    this._fallback = null;
  }

  private async _connect(): Promise<void> {
    try {
      await this._connectOnce();
    } catch (e) {
      this._platform.logger.error(`the stream failed unexpectedly: ${(e as Error)?.message ?? String(e)}`);
      this._retry(0);
    }
  }

  private async _connectOnce(): Promise<void> {
    this._close();
    if (!this._running) return;
    const id = this._connection;
    const controller = this._platform.newAbortController();
    this._end = () => controller.abort();
    const live = () => this._running && id === this._connection;
    this._delivered = false;
    try {
      this._watch(id, this._options.requestTimeoutMs ?? 10_000);
      const response = await this._platform.fetch(endpointUrl(this._options, '/sdk/v1/stream'), {
        method: 'GET',
        headers: authHeaders(this._options, { Accept: 'text/event-stream', 'Cache-Control': 'no-cache' }),
        signal: controller.signal,
      });
      if (!live() || !response.ok || response.body === null) {
        response.body?.getReader().cancel().catch(() => {});
        if (!live()) return;
        const after = parseRetryAfter(response.headers.get('retry-after'), this._platform.now());
        this._failed(response.ok ? { kind: 'http', status: response.status, message: `${WHAT}: no body` } : statusError(response.status, WHAT), after);
        return;
      }
      const reader = response.body.getReader();
      this._end = () => {
        reader.cancel().catch(() => {});
        controller.abort();
      };
      const silence = this._options.readTimeoutMs ?? STREAM_SILENCE_MS;
      this._watch(id, silence);
      const parser = new SseParser((event, data) => {
        if (live()) this._onEvent(event, data);
      });
      for (;;) {
        const { done, value } = await reader.read();
        if (!live()) return;
        if (done) break;
        this._watch(id, silence);
        if (value !== undefined) parser.push(value);
      }
      if (live()) this._dropped({ kind: 'network', message: `${WHAT}: the service closed the connection` });
    } catch (e) {
      if (live()) this._dropped(networkError(e, WHAT));
    }
  }

  /** A connection ended: after a good datafile it is a drop, otherwise a failure. */
  private _dropped(error: DataSourceError): void {
    if (this._delivered) {
      this._platform.logger.debug(`${error.message}; reconnecting`);
      this._retry(0);
    } else {
      this._failed(error);
    }
  }

  private _failed(error: DataSourceError, retryAfter?: number): void {
    this._close();
    this._sink.error(error);
    if (error.kind === 'unauthorized') return this.stop();
    const fallbackAfter = this._options.fallbackAfterFailures ?? 3;
    this._failures++;
    if (fallbackAfter > 0 && this._failures >= fallbackAfter) {
      this._startFallback(`the stream failed ${this._failures} times in a row`);
    } else if (fallbackAfter > 0 && retryAfter !== undefined && retryAfter > (this._options.pollIntervalMs ?? 30_000)) {
      // a service that asks for a long pause (up to MAX_DELAY_MS) must not leave a new client without data that long
      this._startFallback(`the stream asked to wait ${Math.round(retryAfter / 1000)} s before reconnecting`);
    }
    this._retry(retryAfter ?? 0);
  }

  private _startFallback(why: string): void {
    if (this._fallback !== null) return;
    this._platform.logger.info(`${why}; polling the datafile while it keeps retrying`);
    // polling shares the requestor, and a key it finds refused stops the stream too
    this._fallback = new PollingDataSource(this._options, this._sink, this._platform, this._requestor, this);
    this._fallback.start();
  }

  private _retry(atLeastMs: number): void {
    this._close();
    if (this._running) this._after(Math.max(this._backoff.next(), atLeastMs), () => void this._connect());
  }

  /** Reconnects when nothing arrives on connection `id` for `ms`. */
  private _watch(id: number, ms: number): void {
    this._after(ms, () => {
      if (id === this._connection && this._running) this._dropped({ kind: 'network', message: `${WHAT}: timed out (nothing heard for ${ms} ms)` });
    });
  }

  /**
   * Applies one event. Data that is not a JSON object, or that the engine
   * refuses, breaks the stream: it is dropped and retried like any failure
   * (a datafile already loaded keeps serving).
   */
  private _onEvent(event: string, data: string): void {
    if (event !== 'put' && event !== 'patch' && event !== 'delete') return; // others are ignored (PROTOCOL.md)
    let body: unknown;
    try {
      body = JSON.parse(data);
    } catch (e) {
      return this._broken(`${WHAT}: a ${event} event is not JSON (${(e as Error).message})`);
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return this._broken(`${WHAT}: a ${event} event is not a JSON object`);
    const sink = this._sink;
    if (event === 'put') {
      // a bare datafile (no envelope) is the event data itself, which the engine reads as is
      const wrapped = (body as { datafile?: unknown }).datafile;
      const unwrapped = wrapped === undefined;
      if (this._options.compiled === true) {
        // the stream's datafile is JSON: an engine on compiled datafiles fetches its own form (a conditional request)
        const revision = ((unwrapped ? body : wrapped) as { revision?: unknown } | null)?.revision;
        void this._refetch(typeof revision === 'number' ? revision : -1, true);
      } else if (sink.put(unwrapped ? body : wrapped, { source: WHAT, text: unwrapped ? data : undefined }) === 'refused') {
        return this._broken(`${WHAT}: the engine refused the datafile of a put event`);
      }
      this._delivered = true;
      this._failures = 0;
      this._backoff.connected();
      this._stopFallback();
      sink.valid();
      return;
    }
    const result = event === 'patch' ? sink.patch(body as PatchUpdate) : sink.delete(body as DeleteUpdate);
    if (result === 'refused') return this._broken(`${WHAT}: the engine refused a ${event} event`);
    const revision = (body as { revision?: unknown }).revision;
    if (result === 'stale') void this._refetch(typeof revision === 'number' ? revision : -1);
  }

  /** Invalid data on the stream: a failure like a refused connection (backoff, then polling alongside). */
  private _broken(message: string): void {
    this._failed({ kind: 'invalid-datafile', message });
  }

  /**
   * A patch out of sequence (or, on compiled datafiles, any `put` and patch):
   * fetch the whole datafile (again while patches newer than what arrived
   * keep coming, three times at most), then fall back to reconnecting, which
   * starts with a `put`. `conditional`: with the ETag of the datafile held
   * (a `put` on connecting, which usually brings nothing new).
   */
  private async _refetch(revision: number, conditional = false): Promise<void> {
    this._wantedRevision = Math.max(this._wantedRevision, revision);
    if (this._refetching) return;
    this._refetching = true;
    try {
      for (let attempt = 0; attempt < 3 && this._running; attempt++) {
        const response = await this._requestor.fetch(conditional);
        if (!this._running) return;
        // (conditional only) what the sink holds is the service's current datafile
        if (response.status === 'not-modified') return;
        if (response.status === 'error') {
          this._sink.error(response.error);
          if (response.error.kind === 'unauthorized') this.stop();
          break;
        }
        if (response.status !== 'ok') continue;
        const result = this._sink.put(response.datafile, { onlyIfNewer: true, source: 'refetch', text: response.text });
        if (result !== 'refused') this._requestor.accept(response.etag);
        const got = (response.datafile as { revision?: unknown }).revision;
        if (typeof got === 'number' && got >= this._wantedRevision) return;
      }
      if (this._running) {
        // through the backoff: a service that keeps sending patches out of sequence must not cause a reconnect loop
        this._platform.logger.debug(`${WHAT}: refetching did not catch up; reconnecting`);
        this._retry(0);
      }
    } catch (e) {
      this._platform.logger.error(`refetching the datafile failed unexpectedly: ${(e as Error)?.message ?? String(e)}`);
    } finally {
      this._refetching = false;
    }
  }
}
