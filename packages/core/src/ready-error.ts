import type { DataSourceError } from './data-sources/data-source';

/**
 * Why `onReady()` settled without a datafile. `engine`: the engine's
 * `.wasm` could not be loaded (browsers, where it is fetched).
 */
export type ReadyErrorKind = 'timeout' | 'unauthorized' | 'closed' | 'engine';

/** The error of a `ReadyResult` that is not ready; `message` says what happened and what to do. */
export class AvsbReadyError extends Error {
  override readonly name = 'AvsbReadyError';
  readonly kind: ReadyErrorKind;
  /** The last problem the data source reported, if any. */
  readonly lastError: DataSourceError | null;

  constructor(kind: ReadyErrorKind, message: string, lastError: DataSourceError | null) {
    super(message);
    this.kind = kind;
    this.lastError = lastError;
  }
}

/**
 * What `onReady()` resolves with. It never rejects, so `await server.onReady()`
 * is safe at start-up; check `ready` to fail fast:
 *
 * ```ts
 * const result = await server.onReady({ timeoutMs: 5000 });
 * if (!result.ready) console.warn(result.error.message); // reads serve defaults meanwhile
 * ```
 */
export type ReadyResult =
  | { readonly ready: true; readonly revision: number | null }
  | { readonly ready: false; readonly error: AvsbReadyError };
