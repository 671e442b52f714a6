import { Backoff, clampDelay } from '@avsb/common';
import type { Platform, TimerHandle } from '../platform';
import { jitterSource } from '../platform';
import type { DataSink, DataSource, ServiceEndpoint } from './data-source';
import { DatafileRequestor } from './datafile-requestor';

export interface PollingOptions extends ServiceEndpoint {
  /** Time between two polls. Default 30 000 ms; at most `MAX_DELAY_MS` (one hour). */
  pollIntervalMs?: number;
  /**
   * After a failed poll the next one comes sooner: exponential backoff from
   * this delay (jitter keeps at least half of each delay), capped by the
   * interval. A `Retry-After` is honoured up to the interval. Default 1 000 ms.
   */
  initialRetryDelayMs?: number;
}

/**
 * Polls `GET /sdk/v1/datafile` with `If-None-Match`: `200` puts the datafile
 * into the sink, `304` means unchanged, `401`/`403` stop the source for good
 * (reported as `unauthorized`), anything else is reported and retried.
 */
export class PollingDataSource implements DataSource {
  private readonly _requestor: DatafileRequestor;
  /** A requestor shared with a stream is not aborted by this source's stop(). */
  private readonly _ownsRequestor: boolean;
  /** What a refused key stops: this source, or the stream it is the fallback of. */
  private readonly _owner: DataSource;
  private readonly _interval: number;
  private readonly _backoff: Backoff;
  private _running = false;
  private _timer: TimerHandle | null = null;

  /**
   * `requestor` and `owner` are given by a `StreamingDataSource` polling as
   * its fallback: its requestor (not aborted by this source's `stop`), and
   * itself, which a refused key stops as a whole.
   */
  constructor(
    options: PollingOptions,
    private readonly _sink: DataSink,
    private readonly _platform: Platform,
    requestor?: DatafileRequestor,
    owner?: DataSource,
  ) {
    this._owner = owner ?? this;
    this._requestor = requestor ?? new DatafileRequestor(options, _platform);
    this._ownsRequestor = requestor === undefined;
    const interval = options.pollIntervalMs;
    this._interval = Math.max(1, clampDelay(typeof interval === 'number' && interval > 0 ? interval : 30_000));
    this._backoff = new Backoff({
      initialMs: Math.min(options.initialRetryDelayMs ?? 1_000, this._interval),
      maxMs: this._interval,
      random: jitterSource(_platform),
      now: () => _platform.now(),
    });
  }

  start(): void {
    if (this._running) return;
    this._running = true;
    void this._poll();
  }

  stop(): void {
    this._running = false;
    if (this._timer !== null) this._platform.clearTimeout(this._timer);
    this._timer = null;
    if (this._ownsRequestor) this._requestor.abort();
  }

  private async _poll(): Promise<void> {
    if (!this._running) return;
    let delay = this._interval;
    try {
      const response = await this._requestor.fetch(true);
      if (!this._running) return;
      const sink = this._sink;
      if (response.status === 'error') {
        sink.error(response.error);
        if (response.error.kind === 'unauthorized') return this._owner.stop();
        // a failed poll retries sooner than the interval, but never sooner than the service's Retry-After (clamped below)
        delay = Math.max(Math.min(delay, this._backoff.next()), response.retryAfterMs ?? 0);
      } else if (response.status === 'ok' && sink.put(response.datafile, { source: 'poll', text: response.text }) === 'refused') {
        // a datafile the engine refuses is a failed poll: retried sooner, and the source is not reported as working
        sink.error({ kind: 'invalid-datafile', message: 'datafile request: the engine refused the datafile' });
        delay = Math.min(delay, this._backoff.next());
      } else {
        if (response.status === 'ok') this._requestor.accept(response.etag);
        this._backoff.reset();
        sink.valid();
      }
    } catch (e) {
      // never reject into the application: log and poll again later
      this._platform.logger.error(`polling failed unexpectedly: ${(e as Error)?.message ?? String(e)}`);
    }
    if (this._running) {
      this._timer = this._platform.setTimeout(() => {
        this._timer = null;
        void this._poll();
      }, clampDelay(delay));
    }
  }
}
