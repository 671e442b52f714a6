import type { AvsbContext } from './context';
import type { DataSourceError } from './data-sources/data-source';
import type { UpdateListener } from './datafile-store';
import type { JsonValue } from './flag-detail';
import type { ReadyResult } from './ready-error';
import type { AllFlagsOptions, ScopedClient } from './scoped-client';

/**
 * The surface `AvsbServer` (`@avsb/node`), `MockAvsbServer`
 * (`@avsb/testing`) and `ClientCore` share: what framework adapters such as
 * `@avsb/express` should accept.
 */
export interface AvsbClient {
  /** Whether a datafile is loaded. */
  readonly ready: boolean;
  /** The revision of the datafile being served, or `null`. */
  readonly revision: number | null;
  /** Resolves once a datafile is loaded, or with `{ ready: false, error }` (kind `closed` once closed); never rejects. */
  onReady(options?: { timeoutMs?: number }): Promise<ReadyResult>;
  /**
   * A scoped client for one context; never throws. `{ key }` without a
   * `kind` is a `user` context. Close it when done (or
   * `using`). Once the client is closed, the scoped clients it returns serve
   * defaults with reason `CLIENT_CLOSED` and record nothing.
   */
  forUser(context: AvsbContext): ScopedClient;
  /** The values of every flag served to `context` (no exposures recorded), in an object without a prototype. */
  allFlags(context: AvsbContext, options?: AllFlagsOptions): Record<string, JsonValue>;
  /** `listener(changedKeys)` after every datafile change. */
  on(event: 'update', listener: UpdateListener): this;
  off(event: 'update', listener: UpdateListener): this;
  /** The last data source problem, `null` while it works. */
  readonly lastError: DataSourceError | null;
  /** Sends queued events now; never rejects. */
  flush(): Promise<void>;
  /** Flushes events (bounded) and stops everything for good; idempotent; never rejects. */
  close(): Promise<void>;
}
