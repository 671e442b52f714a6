import type { Statement } from 'better-sqlite3';
import type { EnvironmentId } from '../records';
import type { Db } from './open';

/** Rows deleted per table per transaction: a few milliseconds of work between yields. */
export const PURGE_ROWS_PER_STEP = 1000;
/** Free pages given back to the file system per step (4 MiB of 4 KiB pages): moving pages is the slow part. */
export const VACUUM_PAGES_PER_STEP = 1024;

/** The bulk tables of an environment, emptied in chunks after it is deleted: table → its key columns. */
const BULK_TABLES: readonly (readonly [string, string])[] = [
  ['events', 'id'],
  ['event_batches', 'environment_id, batch_id'],
  ['exposure_units', 'environment_id, flag, kind, unit'],
  ['conversion_units', 'environment_id, metric, kind, unit'],
  ['unit_conversions', 'environment_id, metric, kind, unit, time, event_id'],
];

const yieldToIo = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Empties deleted environments in bounded steps and gives the space back.
 *
 * Deleting a project or an environment removes its small rows (keys, flags,
 * segments, history) in the deleting transaction, which also records the
 * environment in `purges`; its events and aggregates, which may be millions
 * of rows, are deleted afterwards by {@link Purger.run}, {@link PURGE_ROWS_PER_STEP}
 * rows per table per transaction, yielding to the event loop between steps
 * so that every other request is served meanwhile. Then the freed pages are
 * returned with `PRAGMA incremental_vacuum` in steps, and the WAL is
 * truncated (`wal_checkpoint(TRUNCATE)`). A purge interrupted by a stop or a
 * crash resumes from `purges` when the store opens again; environment ids
 * are never reused, so leftover rows can never be mistaken for a new
 * environment's.
 */
export class Purger {
  private readonly _record: Statement<[number]>;
  private readonly _pending: Statement<[], number>;
  private readonly _done: Statement<[number]>;
  private readonly _deletes: Statement<[number, number]>[];
  private _running: Promise<void> = Promise.resolve();

  constructor(private readonly _db: Db) {
    this._record = _db.prepare('INSERT OR IGNORE INTO purges (environment_id) VALUES (?)');
    this._pending = _db.prepare<[], number>('SELECT environment_id FROM purges ORDER BY environment_id').pluck();
    this._done = _db.prepare('DELETE FROM purges WHERE environment_id = ?');
    this._deletes = BULK_TABLES.map(([table, key]) =>
      _db.prepare(`DELETE FROM ${table} WHERE (${key}) IN (SELECT ${key} FROM ${table} WHERE environment_id = ? LIMIT ?)`),
    );
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
    const next = this._running.then(() => this._purge(stopped));
    this._running = next.catch(() => undefined);
    return next;
  }

  private async _purge(stopped: () => boolean): Promise<void> {
    if (stopped()) return;
    let purged = false;
    for (const environmentId of this._pending.all()) {
      for (const remove of this._deletes) {
        for (;;) {
          if (stopped()) return;
          if (remove.run(environmentId, PURGE_ROWS_PER_STEP).changes < PURGE_ROWS_PER_STEP) break;
          await yieldToIo();
        }
      }
      if (stopped()) return;
      this._done.run(environmentId);
      purged = true;
    }
    if (purged) await this._reclaim(stopped);
  }

  /** Gives free pages back to the file system, then truncates the WAL. */
  private async _reclaim(stopped: () => boolean): Promise<void> {
    // a no-op in a file created before auto_vacuum = INCREMENTAL: its free pages are reused instead (README)
    if (this._db.pragma('auto_vacuum', { simple: true }) === 2) {
      while (!stopped() && (this._db.pragma('freelist_count', { simple: true }) as number) > 0) {
        this._db.pragma(`incremental_vacuum(${VACUUM_PAGES_PER_STEP})`);
        await yieldToIo();
      }
    }
    if (!stopped()) this._db.pragma('wal_checkpoint(TRUNCATE)');
  }
}
