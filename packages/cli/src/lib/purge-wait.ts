import type { Logger, SqliteStore } from '@avsb/server';

/**
 * Waits for a store's background purge, up to its first failure. The store
 * retries a failed purge until it succeeds (right for a server); a command
 * waiting for that could hang, so it stops at the first failure and says so.
 */
export class PurgeWait {
  private _failed = false;
  private _onFailure: (() => void) | null = null;

  /** For the store's `logger` option: only the purge reports errors there; each one ends the wait. */
  readonly logger: Logger;

  constructor(stderr: { write(text: string): unknown }) {
    this.logger = {
      info: () => {},
      warn: (message) => void stderr.write(`warning: ${message}\n`),
      error: () => {
        this._failed = true;
        this._onFailure?.();
      },
    };
  }

  /**
   * Resolves with null once the events of every deleted environment are
   * purged and their space given back, or with why the first attempt failed.
   * `onPending` is told first which environments (`project/environment`) are left, if any.
   */
  async wait(store: SqliteStore, onPending: (environments: readonly string[]) => void): Promise<string | null> {
    const { pending } = await store.purgeStatus();
    if (pending.length > 0) onPending(pending.map((p) => `${p.projectKey ?? '?'}/${p.environmentKey ?? '?'}`));
    if (!this._failed) await Promise.race([store.whenPurged(), new Promise<void>((resolve) => (this._onFailure = resolve))]);
    this._onFailure = null;
    if (!this._failed) return null;
    return (await store.purgeStatus()).lastError ?? 'unknown error';
  }
}
