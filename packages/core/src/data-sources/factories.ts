import type { DataSourceFactory } from './data-source';
import type { PollingOptions } from './polling-data-source';
import { PollingDataSource } from './polling-data-source';
import type { StreamingOptions } from './streaming-data-source';
import { StreamingDataSource } from './streaming-data-source';

/** A factory of `StreamingDataSource` (with polling as its fallback), for `ClientCore`. */
export function streamingDataSource(options: StreamingOptions): DataSourceFactory {
  return (sink, platform) => new StreamingDataSource(options, sink, platform);
}

/** A factory of `PollingDataSource`, for `ClientCore`. */
export function pollingDataSource(options: PollingOptions): DataSourceFactory {
  return (sink, platform) => new PollingDataSource(options, sink, platform);
}
