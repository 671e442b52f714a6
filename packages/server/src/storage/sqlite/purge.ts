import type { Statement } from 'better-sqlite3';
import type { EnvironmentId } from '../records';
import type { Db } from './open';
import { PurgeSteps } from './purge-steps';
import type { StorageWorker } from './storage-worker-client';

export { PURGE_ROWS_PER_STEP, VACUUM_PAGES_PER_STEP } from './purge-steps';

const yieldToIo = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Empties deleted environments in bounded steps and gives the space back.
 *
 * Deleting a project or an environment removes its small rows (keys, flags,
 * segments, history) in the deleting transaction, which also records the
 * environment in `purges`; its events and aggregates, which may be millions
 * of rows, are deleted afterwards by {@link Purger.run} in {@link PurgeSteps}
 * (one short transaction each), then the freed pages are given back with
 * `PRAGMA incremental_vacuum`. A store on a file runs the steps in its
 * storage worker (storage-worker.ts), on the worker's own connection, so the
 * main thread never waits for their commits or the checkpoints and fsyncs
 * they cause; it only waits for the write lock when it writes during a step.
 * Without a worker (an in-memory store, or the worker failed) the steps run
 * here, with a turn of the event loop between them. A purge interrupted by a
 * stop or a crash resumes from `purges` when the store opens again;
 * environment ids are never reused, so leftover rows can never be mistaken
 * for a new environment's.
 */
export class Purger {
  private readonly _record: Statement<[number]>;
  private _running: Promise<void> = Promise.resolve();

  /** `worker()` is the storage worker to purge in, or null to purge on `_db` in this thread. */
  constructor(
    private readonly _db: Db,
    private readonly _worker: () => StorageWorker | null,
  ) {
    this._record = _db.prepare('INSERT OR IGNORE INTO purges (environment_id) VALUES (?)');
  }

  /** Marks an environment for purging; call in the transaction that deletes it. */
  record(environmentId: EnvironmentId): void {
    this._record.run(environmentId);
  }

  /**
   * Purges every recorded environment, then reclaims the space; resolves when
   * done or when `stopped()` turns true (the rest is resumed by a later run).
   * Runs are serialised: a second call waits for the first.
   */
  run(stopped: () => boolean): Promise<void> {
    const next = this._running.then(() => {
      if (stopped()) return;
      const worker = this._worker();
      return worker ? worker.purge() : this._purgeHere(stopped);
    });
    this._running = next.catch(() => undefined);
    return next;
  }

  private async _purgeHere(stopped: () => boolean): Promise<void> {
    const steps = new PurgeSteps(this._db);
    let any = false;
    while (!stopped() && steps.step()) {
      any = true;
      await yieldToIo();
    }
    if (any && !stopped()) this._db.pragma('wal_checkpoint(TRUNCATE)');
  }
}
