import { backoffDelay, clampDelay, isObject } from '@avsb/common';
import { STREAM_SILENCE_MS } from '@avsb/protocol';
import type { Platform, TimerHandle } from '../platform';
import { jitterSource } from '../platform';
import type { UpdateResult } from '../page-store';
import type { DataSource, DataSourceError, PageSink, PageSourceFactory, ServiceEndpoint } from './data-source';
import { failedResponse, getFromService, networkError } from './data-source';
import { DatafileRequestor } from './datafile-requestor';
import { SseParser } from './sse-parser';

/** Options of {@link PageDataSource}. */
export interface PageSourceOptions extends ServiceEndpoint {
  /** Keep the datafile live over server-sent events (`true`, the default), or only poll (`false`). */
  streaming?: boolean;
  /** Interval of polling, alone or as the stream's fallback. Default 30 000 ms; at most one hour. */
  pollIntervalMs?: number;
  /**
   * The revision the client serves (a cached datafile's too), or `null`: a
   * stream event that announces it, or an older one, fetches nothing (a
   * returning visitor whose cache is current asks for no datafile).
   */
  served?: () => number | null;
}

const STREAM = 'stream';
const POLL = 'poll';
/**
 * A connection up at least this long starts the next failure's reconnect delays from the first again (PROTOCOL.md).
 * This and the page's reconnect figures below are `BACKOFF_DEFAULTS` of `@avsb/common` written out (importing the
 * object costs a page 31 B): page-data-source.test.ts fails when they disagree.
 */
export const RESET_AFTER_MS = 60_000;

/**
 * The data source of a web page, and the connection mechanism of every
 * source: the servers' `StreamingDataSource` and `PollingDataSource` extend
 * it with options for its figures and patches applied in place. A page's
 * figures are the protocol's (PROTOCOL.md: reconnecting after 1 s doubling
 * to 30 s with jitter, restarting the sequence after a connection stayed up
 * 60 s, `Retry-After` honoured up to an hour, 45 s of silence dropping a
 * connection; polling alongside after 3 failures in a row, or at once when a
 * `Retry-After` is longer than the polling interval; a failed poll retried
 * after 1 s doubling up to the interval), and one loop polls alone and as
 * the fallback.
 *
 * On compiled datafiles every event of the stream (whose `put` is JSON) is
 * the news of a revision, which the source fetches (a conditional request);
 * on JSON ones a `put` is served as it comes, and a `patch` or `delete` is
 * fetched the same way (a page's store is replaced whole; a server's source
 * applies them, {@link _apply}), again while a newer revision was announced
 * (three times at most, then the stream reconnects).
 * Event data that is not a JSON object, or that the engine refuses, breaks
 * the stream like a failed connection. `401`/`403` stop everything.
 */
export class PageDataSource implements DataSource {
  /** Its datafile requests; a server's source makes one that hands JSON bodies on as text (`serverBody`). */
  protected _requestor: DatafileRequestor;
  /** The first reconnect delay (then doubling, with jitter); a server's source sets its own. */
  protected _retryMs = 1_000;
  /** The longest reconnect delay. */
  protected _retryMaxMs = 30_000;
  /** The polling interval; a `Retry-After` longer than this starts polling at once. */
  protected _interval: number;
  /** Failed connections in a row before polling starts alongside. */
  protected _fallbackAfter = 3;
  /** A connection silent this long is dropped. */
  protected _silence = STREAM_SILENCE_MS;
  /** The first delay of a failed poll's backoff (then doubling up to the interval). */
  protected _pollRetryMs = 1_000;
  /** The `source` of a datafile fetched for the stream (a page's update names the stream). */
  protected _fetchedAs = STREAM;
  protected _running?: boolean;
  /** Increases whenever a stream connection ends: what arrives for an older one is ignored. */
  private _connection = 0;
  /** Failed connections in a row, for the fallback to polling (a delivered datafile starts it over). */
  private _failures = 0;
  /** Reconnects since the backoff last started over (a connection that stayed up {@link RESET_AFTER_MS}). */
  private _reconnects = 0;
  /** When the connection that delivered a datafile came up, until the next reconnect. */
  private _upSince: number | null = null;
  /** Ends the open connection (its request, and its body once it is read); calling it again does nothing. */
  private _end?: () => void;
  /** The open connection's watchdog, or the wait before the next one: never both. */
  private _timer: TimerHandle | null = null;
  /** Increases whenever polling starts or stops: a poll of an older run schedules nothing. */
  protected _polls = 0;
  protected _polling?: boolean;
  private _pollTimer: TimerHandle | null = null;
  /** Failed polls in a row: the next poll comes sooner (backoff from 1 s, capped by the interval). */
  private _pollFailures = 0;
  private _delivered?: boolean;
  private _fetching?: boolean;
  private _wanted = -1;

  constructor(
    private readonly _options: PageSourceOptions,
    protected readonly _sink: PageSink,
    private readonly _platform: Platform,
  ) {
    const interval = _options.pollIntervalMs;
    this._interval = Math.max(1, clampDelay(typeof interval === 'number' && interval > 0 ? interval : 30_000));
    this._requestor = new DatafileRequestor(_options, _platform);
  }

  start(): void {
    if (this._running) return;
    this._running = true;
    if (this._options.streaming === false) this._poll(++this._polls);
    else void this._connect();
  }

  stop(): void {
    this._running = false;
    this._close();
    this._stopPolling();
    this._requestor.abort();
  }

  /** Ends the open connection, if any, and clears its timer. */
  private _close(): void {
    this._connection++;
    this._later(0, null);
    this._end?.();
  }

  /** Runs `fn` after `ms` instead of what the stream's timer held (`null`: nothing). */
  private _later(ms: number, fn: (() => void) | null): void {
    if (this._timer !== null) this._platform.clearTimeout(this._timer);
    this._timer = fn && this._platform.setTimeout(fn, clampDelay(ms));
  }

  private async _connect(): Promise<void> {
    this._close();
    const id = this._connection;
    const live = (): boolean => id === this._connection;
    const controller = this._platform.newAbortController();
    let error: DataSourceError;
    this._end = () => controller.abort();
    this._delivered = false;
    try {
      this._watch(id, this._options.requestTimeoutMs ?? 10_000);
      const response = await getFromService(this._platform, this._options, '/sdk/v1/stream', { Accept: 'text/event-stream', 'Cache-Control': 'no-cache' }, controller.signal);
      const body = response.body;
      if (!live() || !response.ok || body === null) {
        const { error, retryAfterMs } = failedResponse(response, STREAM, this._platform.now());
        if (live()) this._failed(error, retryAfterMs); // (a 200 without a body: "HTTP 200")
        return;
      }
      const reader = body.getReader();
      this._end = () => {
        reader.cancel().catch(() => {});
        controller.abort();
      };
      const parser = new SseParser((event, data) => live() && this._onEvent(event, data));
      // watched again after each chunk, before it is parsed: an event may end this connection
      for (this._watch(id, this._silence); ; ) {
        const { done, value } = await reader.read();
        if (!live()) return;
        if (done) break;
        this._watch(id, this._silence);
        if (value !== undefined) parser.push(value);
      }
      error = { kind: 'network', message: `${STREAM}: the service closed the connection` };
    } catch (e) {
      error = networkError(e, STREAM);
    }
    if (live()) this._dropped(error);
  }

  /** Drops connection `id` when nothing arrives on it for `ms`. */
  private _watch(id: number, ms: number): void {
    this._later(ms, () => id === this._connection && this._dropped({ kind: 'network', message: `${STREAM}: timed out (nothing heard for ${ms} ms)` }));
  }

  /** A connection ended: after a good datafile it is a drop, reconnected without a report; before, a failure. */
  private _dropped(error: DataSourceError): void {
    if (this._delivered) this._retry();
    else this._failed(error);
  }

  private _failed(error: DataSourceError, retryAfter = 0): void {
    this._close();
    this._sink.error(error);
    if (error.kind === 'unauthorized') return this.stop();
    // a service that asks for a long pause (up to an hour) must not leave the page without data that long
    if ((++this._failures >= this._fallbackAfter || retryAfter > this._interval) && !this._polling) {
      this._platform.logger.info(`${error.message}; polling the datafile while the stream retries`);
      this._poll(++this._polls);
    }
    this._retry(retryAfter);
  }

  private _retry(atLeastMs = 0): void {
    this._close();
    if (!this._running) return;
    // the reconnect delays, held here rather than in a Backoff of @avsb/common (0.16 KB of a page's gzipped JS)
    const upSince = this._upSince;
    if (upSince !== null && this._platform.now() - upSince >= RESET_AFTER_MS) this._reconnects = 0;
    this._upSince = null;
    const delay = backoffDelay(this._reconnects++, this._retryMs, this._retryMaxMs, jitterSource(this._platform));
    this._later(Math.max(delay, atLeastMs), () => void this._connect());
  }

  /** Data that is not a JSON object, or that the engine refuses, breaks the stream. */
  private _onEvent(event: string, data: string): void {
    if (event !== 'put' && event !== 'patch' && event !== 'delete') return; // others are ignored (PROTOCOL.md)
    let parsed: unknown;
    try {
      parsed = this._parse(event, data);
    } catch {
      // not JSON: broken below
    }
    if (!isObject(parsed)) return this._broken(`${STREAM}: a ${event} event is not a JSON object`);
    const body = parsed as { datafile?: unknown; revision?: unknown };
    const sink = this._sink;
    // a put's datafile, in its envelope or bare (then the event's text is the datafile's)
    const datafile = event === 'put' ? (body.datafile ?? body) : null;
    // the stream's datafile is JSON: an engine on compiled datafiles fetches its own form; a patch or delete, the new revision
    const result =
      datafile === null
        ? this._apply(event as 'patch' | 'delete', body)
        : this._options.compiled === true
          ? 'stale'
          : sink.put(datafile, { source: STREAM, text: datafile === body ? data : undefined });
    if (result === 'refused') return this._broken(`${STREAM}: the engine refused a ${event} event`);
    const revision = ((datafile ?? body) as { revision?: unknown }).revision;
    if (result === 'stale' && !(typeof revision === 'number' && revision <= (this._options.served?.() ?? -1))) void this._fetch(revision);
    if (datafile !== null) {
      this._delivered = true;
      this._failures = 0;
      this._upSince ??= this._platform.now();
      this._stopPolling();
      sink.valid();
    }
  }

  /** An event's data, parsed (a server's stream hands a put's datafile on as text). */
  protected _parse(_event: string, data: string): unknown {
    return JSON.parse(data);
  }

  /**
   * Applies a `patch` or `delete` event; `stale` fetches the revision it
   * announces. A page's store is replaced whole: every one is fetched.
   */
  protected _apply(_event: 'patch' | 'delete', _body: object): UpdateResult {
    return 'stale';
  }

  private _broken(message: string): void {
    this._failed({ kind: 'invalid-datafile', message });
  }

  /**
   * Fetches the datafile for the stream, until it has `revision` (three
   * requests at most: then through the reconnect's backoff, so a service that
   * keeps announcing revisions it does not serve causes no request loop).
   */
  private async _fetch(revision: unknown): Promise<void> {
    this._wanted = Math.max(this._wanted, typeof revision === 'number' ? revision : -1);
    if (this._fetching) return;
    this._fetching = true;
    try {
      for (let attempt = 0; ; attempt++) {
        const got = await this._request(this._fetchedAs);
        if (typeof got === 'number' && got >= this._wanted) break;
        // a failure (reported) or no catching up: reconnecting starts with a put
        if (typeof got !== 'number' || attempt === 2) return this._retry();
      }
    } finally {
      this._fetching = false;
    }
  }

  /** Polls now, then every interval; a failed poll comes back sooner (backoff), never sooner than a `Retry-After`. */
  protected async _poll(run: number): Promise<void> {
    this._polling = true;
    const got = await this._request(POLL);
    if (run !== this._polls) return;
    let delay = this._interval;
    if (typeof got === 'number') this._pollFailures = 0;
    else delay = Math.max(backoffDelay(this._pollFailures++, Math.min(this._pollRetryMs, delay), delay, jitterSource(this._platform)), got.retryAfter);
    this._pollTimer = this._platform.setTimeout(() => void this._poll(run), clampDelay(delay));
  }

  private _stopPolling(): void {
    this._polls++;
    this._polling = false;
    if (this._pollTimer !== null) this._platform.clearTimeout(this._pollTimer);
    this._pollTimer = null;
  }

  /**
   * One conditional datafile request, its datafile put into the sink.
   * Resolves the revision the service serves (`Infinity` when it answered
   * `304`, or a datafile without one), or the problem's `Retry-After`
   * (0 when none) once it was reported.
   */
  private async _request(source: string): Promise<number | { retryAfter: number }> {
    const response = await this._requestor.fetch(true);
    if (!this._running) return { retryAfter: 0 };
    const sink = this._sink;
    let error = response.status === 'error' ? response.error : null;
    let revision: unknown;
    if (response.status === 'ok') {
      // a poll takes what the service serves (its revision may go back); a fetch for the stream only what is newer
      if (sink.put(response.datafile, { source, text: response.text, onlyIfNewer: source !== POLL }) === 'refused') {
        error = { kind: 'invalid-datafile', message: 'datafile request: the engine refused the datafile' };
      } else {
        this._requestor.accept(response.etag);
        revision = (response.datafile as { revision?: unknown }).revision;
      }
    }
    if (error === null) {
      sink.valid();
      return typeof revision === 'number' ? revision : Infinity;
    }
    sink.error(error);
    if (error.kind === 'unauthorized') this.stop();
    return { retryAfter: (response.status === 'error' && response.retryAfterMs) || 0 };
  }
}

/** A factory of {@link PageDataSource}, for `PageCore`. */
export function pageDataSource(options: PageSourceOptions): PageSourceFactory {
  return (sink, platform) => new PageDataSource(options, sink, platform);
}
