import type { AvsbContext, DataSourceFactory, JsonValue, Platform } from '@avsb/core/page';
import type { PageEventPipeline } from '@avsb/events';
import type { DatafileCache } from './datafile-cache';

/** What `createClient` puts together for an `AvsbBrowserClient`. */
export interface ClientParts {
  readonly platform: Platform;
  readonly context: AvsbContext;
  readonly bootstrap: Record<string, JsonValue> | null;
  readonly dataSource: DataSourceFactory;
  readonly events: PageEventPipeline | null;
  readonly cache: DatafileCache | null;
  readonly startupTimeoutMs: number;
  /** Removes the page lifecycle listeners. */
  readonly detach: () => void;
}
