import { backoffFigures } from '@avsb/common';
import type { DeleteUpdate, PatchUpdate } from '../datafile-format';
import { DatafileText, datafileInEnvelope, serverBody } from '../datafile-format';
import { DatafileRequestor } from './datafile-requestor';
import type { UpdateResult } from '../page-store';
import type { Platform } from '../platform';
import type { DataSink, ServiceEndpoint } from './data-source';
import { PageDataSource } from './page-data-source';
import { pollRetryMs } from './polling-data-source';

export interface StreamingOptions extends ServiceEndpoint {
  /**
   * First reconnection delay; it doubles per failure, and jitter keeps at
   * least half of each delay. It starts over only after a connection stayed
   * up 60 s. Default 1 000 ms. Also the first delay of the fallback polling's
   * backoff after a failed poll.
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

/**
 * A server's stream: the connection mechanism of {@link PageDataSource}
 * (server-sent events from `GET /sdk/v1/stream`, reconnecting with backoff
 * and jitter, the silence limit, polling alongside after failures or a long
 * `Retry-After`, `401`/`403` stopping everything) with its figures from
 * options, and `patch`/`delete` events applied in place through the
 * `DatafileStore` (one out of sequence, or any on a compiled datafile,
 * fetches the datafile, recorded as `refetch`).
 */
export class StreamingDataSource extends PageDataSource {
  protected declare readonly _sink: DataSink;

  constructor(options: StreamingOptions, sink: DataSink, platform: Platform) {
    super(options, sink, platform);
    ({ initialMs: this._retryMs, maxMs: this._retryMaxMs } = backoffFigures({ initialMs: options.initialRetryDelayMs, maxMs: options.maxRetryDelayMs }));
    const fallbackAfter = options.fallbackAfterFailures ?? 3;
    // 0 never polls: no count of failures, nor any Retry-After, reaches an interval that is only the fallback's
    if (!(fallbackAfter > 0)) this._interval = Infinity;
    this._fallbackAfter = fallbackAfter > 0 ? fallbackAfter : Infinity;
    this._silence = options.readTimeoutMs ?? this._silence;
    this._pollRetryMs = pollRetryMs(options);
    this._fetchedAs = 'refetch';
    this._requestor = new DatafileRequestor(options, platform, serverBody(options));
  }

  /** Whether the fallback polling is running (the stream keeps failing). */
  get polling(): boolean {
    return this._polling === true;
  }

  protected override _parse(event: string, data: string): unknown {
    // a put's envelope: its datafile handed on as text, unparsed (DatafileText; the store of a lazy engine loads it as it is)
    const inner = event === 'put' ? datafileInEnvelope(data) : null;
    return inner !== null ? { datafile: new DatafileText(inner) } : super._parse(event, data);
  }

  protected override _apply(event: 'patch' | 'delete', body: object): UpdateResult {
    return event === 'patch' ? this._sink.patch(body as PatchUpdate) : this._sink.delete(body as DeleteUpdate);
  }
}
