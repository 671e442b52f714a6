import type { Statement } from 'better-sqlite3';
import type { Db } from './open';

/** Rows deleted per table per transaction: a few milliseconds of work between pauses. */
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

/**
 * The purge of deleted environments as a sequence of short synchronous
 * steps on one connection: each {@link PurgeSteps.step} is one transaction
 * (up to {@link PURGE_ROWS_PER_STEP} rows of one table, or the end of an
 * environment's purge) or one `incremental_vacuum` of
 * {@link VACUUM_PAGES_PER_STEP} pages. The caller decides what happens
 * between steps (a turn of the event loop, a pause in the storage worker),
 * so the same steps run in the worker and, for an in-memory store, in the
 * main thread. Progress lives in the file (`purges` and the rows left), so
 * steps stopped anywhere resume from a fresh `PurgeSteps`.
 */
export class PurgeSteps {
  private readonly _pending: Statement<[], number>;
  private readonly _done: Statement<[number]>;
  private readonly _deletes: Statement<[number, number]>[];
  private _environment: number | null = null;
  private _table = 0;
  private _purged = false;

  constructor(private readonly _db: Db) {
    this._pending = _db.prepare<[], number>('SELECT environment_id FROM purges ORDER BY environment_id LIMIT 1').pluck();
    this._done = _db.prepare('DELETE FROM purges WHERE environment_id = ?');
    this._deletes = BULK_TABLES.map(([table, key]) =>
      _db.prepare(`DELETE FROM ${table} WHERE (${key}) IN (SELECT ${key} FROM ${table} WHERE environment_id = ? LIMIT ?)`),
    );
  }

  /** Does one step; false when nothing is left (every recorded environment purged and the free pages given back). */
  step(): boolean {
    if (this._environment === null) {
      this._environment = this._pending.get() ?? null;
      this._table = 0;
      if (this._environment === null) return this._vacuumStep();
    }
    const environmentId = this._environment;
    if (this._table < this._deletes.length) {
      if (this._deletes[this._table]!.run(environmentId, PURGE_ROWS_PER_STEP).changes < PURGE_ROWS_PER_STEP) this._table++;
      return true;
    }
    this._done.run(environmentId);
    this._environment = null;
    this._purged = true;
    return true;
  }

  /** Gives 4 MiB of free pages back to the file system after a purge; false when none are left. */
  private _vacuumStep(): boolean {
    if (!this._purged) return false;
    // a no-op in a file created before auto_vacuum = INCREMENTAL: its free pages are reused instead (README)
    if (this._db.pragma('auto_vacuum', { simple: true }) !== 2 || (this._db.pragma('freelist_count', { simple: true }) as number) === 0) {
      this._purged = false;
      return false;
    }
    this._db.pragma(`incremental_vacuum(${VACUUM_PAGES_PER_STEP})`);
    return true;
  }
}
