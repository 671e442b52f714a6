import { Backoff } from '@avsb/common';
import type { BackoffOptions } from '@avsb/common';
import type { Statement } from 'better-sqlite3';
import type { Logger } from '../../logger';
import type { EnvironmentId, PendingPurge, PurgeStatus } from '../records';
import type { Db } from './open';
import { PurgeSteps } from './purge-steps';
import type { StorageWorker } from './storage-worker-client';

export { PURGE_ROWS_PER_STEP, VACUUM_PAGES_PER_STEP } from './purge-steps';

const yieldToIo = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

interface PurgeRow {
  project_key: string | null;
  environment_key: string | null;
  deleted_at: number | null;
}

/** Options of {@link Purger}. */
export interface PurgerOptions {
  /** Where a failed attempt is reported. */
  readonly logger: Logger;
  /** The delays between failed attempts; `@avsb/common`'s defaults (1 s doubling to 30 s, with jitter). */
  readonly retry?: BackoffOptions;
}

/**
 * Empties deleted environments in bounded steps and gives the space back,
 * in the background.
 *
 * Deleting a project or an environment removes its small rows (keys, flags,
 * segments, history) in the deleting transaction, which also records the
 * environment in `purges`; that is all the deleting request waits for. Its
 * events and aggregates, which may be millions of rows, are deleted
 * afterwards in {@link PurgeSteps} (one short transaction each), then the
 * freed pages are given back with `PRAGMA incremental_vacuum`. A store on a
 * file runs the steps in its storage worker (storage-worker.ts), on the
 * worker's own connection, so the main thread never waits for their commits
 * or the checkpoints and fsyncs they cause; it only waits for the write lock
 * when it writes during a step. Without a worker (an in-memory store, or the
 * worker failed) the steps run here, with a turn of the event loop between
 * them. A failed attempt is logged and retried after a backoff; one
 * interrupted by a stop or a crash resumes from `purges` when the store
 * opens again. Environment ids are never reused, so leftover rows can never
 * be mistaken for a new environment's, and folding skips them (see
 * `ExperimentUnits`); nor are the ids of the events it deletes (a trigger
 * keeps the highest, see migration 5).
 */
export class Purger {
  private readonly _record: Statement<[number, string, string, number]>;
  private readonly _pending: Statement<[], PurgeRow>;
  private readonly _backoff: Backoff;
  private readonly _logger: Logger;
  private _running = false;
  private _wanted = false;
  private _retryTimer: ReturnType<typeof setTimeout> | null = null;
  private _lastError: string | null = null;
  private _stopped = false;
  private _waiters: (() => void)[] = [];

  /** `worker()` is the storage worker to purge in, or null to purge on `_db` in this thread. */
  constructor(
    private readonly _db: Db,
    private readonly _worker: () => StorageWorker | null,
    options: PurgerOptions,
  ) {
    this._record = _db.prepare(
      'INSERT OR IGNORE INTO purges (environment_id, project_key, environment_key, deleted_at) VALUES (?, ?, ?, ?)',
    );
    this._pending = _db.prepare('SELECT project_key, environment_key, deleted_at FROM purges ORDER BY environment_id');
    this._backoff = new Backoff(options.retry);
    this._logger = options.logger;
  }

  /** Marks an environment for purging; call in the transaction that deletes it, then {@link Purger.start}. */
  record(environmentId: EnvironmentId, projectKey: string, environmentKey: string): void {
    this._record.run(environmentId, projectKey, environmentKey, Date.now());
  }

  /**
   * Purges every recorded environment in the background, then reclaims the
   * space. Never waits and never throws: a call during a run makes it look
   * again when it ends; a call while a retry waits leaves it to the retry.
   */
  start(): void {
    this._wanted = true;
    if (this._running || this._retryTimer !== null || this._stopped) return;
    this._running = true;
    void this._loop();
  }

  /** What is still being purged, and why the last attempt failed if it did. */
  status(): PurgeStatus {
    const pending = this._pending.all().map(
      (row): PendingPurge => ({ projectKey: row.project_key, environmentKey: row.environment_key, deletedAt: row.deleted_at }),
    );
    // once nothing is pending, an error of an earlier attempt is history (the space may still be being given back)
    return { pending, running: this._running, lastError: pending.length > 0 ? this._lastError : null };
  }

  /**
   * Resolves once no purge runs or waits for a retry: everything recorded is
   * purged, or the purger is stopped (or never started: a read-only store).
   */
  whenDone(): Promise<void> {
    if (this._stopped || (!this._running && this._retryTimer === null)) return Promise.resolve();
    return new Promise((resolve) => this._waiters.push(resolve));
  }

  /** Stops between two steps (the rest resumes when the store opens again) and cancels a waiting retry. */
  stop(): void {
    this._stopped = true;
    if (this._retryTimer !== null) clearTimeout(this._retryTimer);
    this._retryTimer = null;
    this._settle();
  }

  /** Runs until nothing more is asked; `_running` turns false in the same turn as the last look at `_wanted`, so no `start()` is lost. */
  private async _loop(): Promise<void> {
    try {
      while (this._wanted && !this._stopped) {
        this._wanted = false;
        const worker = this._worker();
        await (worker ? worker.purge() : this._purgeHere());
      }
      this._running = false;
      this._backoff.reset();
      this._lastError = null;
      this._settle();
    } catch (error) {
      this._running = false;
      if (this._stopped) return;
      const delay = this._backoff.next();
      this._lastError = error instanceof Error ? error.message : String(error);
      this._logger.error(`purging deleted environments failed, retrying in ${Math.round(delay)} ms: ${this._lastError}`);
      this._retryTimer = setTimeout(() => {
        this._retryTimer = null;
        this.start();
      }, delay);
      // a stop or an exit meanwhile is fine: the purge resumes when the store opens again
      this._retryTimer.unref();
    }
  }

  private async _purgeHere(): Promise<void> {
    const steps = new PurgeSteps(this._db);
    let any = false;
    while (!this._stopped && steps.step()) {
      any = true;
      await yieldToIo();
    }
    if (any && !this._stopped) this._db.pragma('wal_checkpoint(TRUNCATE)');
  }

  private _settle(): void {
    for (const resolve of this._waiters.splice(0)) resolve();
  }
}
