import type { Platform } from '../platform';
import type { DataSink, ServiceEndpoint } from './data-source';
import { serverBody } from '../datafile-format';
import { DatafileRequestor } from './datafile-requestor';
import { PageDataSource } from './page-data-source';

export interface PollingOptions extends ServiceEndpoint {
  /** Time between two polls. Default 30 000 ms; at most `MAX_DELAY_MS` (one hour). */
  pollIntervalMs?: number;
  /**
   * After a failed poll the next one comes sooner: exponential backoff from
   * this delay (jitter keeps at least half of each delay), capped by the
   * interval. A `Retry-After` is honoured. Default 1 000 ms.
   */
  initialRetryDelayMs?: number;
}

/** The first delay of a failed poll's backoff: `initialRetryDelayMs` when positive, else 1 s (capped by the interval where it is used). */
export function pollRetryMs(options: { initialRetryDelayMs?: number }): number {
  const ms = options.initialRetryDelayMs;
  return typeof ms === 'number' && ms > 0 ? ms : 1_000;
}

/**
 * Polls `GET /sdk/v1/datafile` with `If-None-Match`: the polling loop of
 * {@link PageDataSource}, alone. `200` puts the datafile into the sink, `304`
 * means unchanged, `401`/`403` stop the source for good (reported as
 * `unauthorized`), anything else is reported and retried sooner (backoff
 * from `initialRetryDelayMs`, capped by the interval, never sooner than a
 * `Retry-After`).
 */
export class PollingDataSource extends PageDataSource {
  constructor(options: PollingOptions, sink: DataSink, platform: Platform) {
    super(options, sink, platform);
    this._pollRetryMs = pollRetryMs(options);
    this._requestor = new DatafileRequestor(options, platform, serverBody(options));
  }

  override start(): void {
    if (this._running) return;
    this._running = true;
    void this._poll(++this._polls);
  }
}
