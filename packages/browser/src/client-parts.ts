import type { AvsbContext, DataSourceFactory, JsonValue, Platform } from '@avsb/core/page';
import type { PageEventPipeline } from '@avsb/events';
import type { DatafileCache } from './datafile-cache';

/** What `createClient` puts together for an `AvsbBrowserClient`. */
export interface ClientParts {
  readonly platform: Platform;
  readonly context: AvsbContext;
  readonly bootstrap: Record<string, JsonValue> | null;
  /** The data source, asking for compiled datafiles (an engine on the evaluator) or JSON; `served` is the revision served. */
  readonly dataSource: (compiled: boolean, served: () => number | null) => DataSourceFactory;
  /** The full engine, for a service that answers JSON datafiles to a page on the evaluator. */
  readonly fullEngine: () => Promise<WebAssembly.Module>;
  readonly events: PageEventPipeline | null;
  readonly cache: DatafileCache | null;
  readonly startupTimeoutMs: number;
  /** Removes the page lifecycle listeners. */
  readonly detach: () => void;
}
