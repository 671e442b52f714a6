import type { Statement, Transaction } from 'better-sqlite3';
import type { EnvironmentId, EventInput } from '../records';
import type { ExperimentUnitList } from '../unit-list';
import type { Db } from './open';
import { StoredBatches } from './stored-batches';

/** The columns of a stored event that the experiment aggregates read. */
export interface UnitEvent {
  readonly kind: string;
  readonly time: number | null;
  readonly key: string | null;
  readonly variation: number | null;
  readonly inExperiment: boolean;
  readonly value: number | null;
  readonly contextKeys: Readonly<Record<string, string>> | null;
}

/**
 * The last unit key of a chunk of an experiment's units, in unit-key order:
 * none when fewer are left (bound: environment, flag, kind, after, limit − 1).
 */
export const CHUNK_END_SQL = `
  SELECT unit FROM exposure_units
  WHERE environment_id = ? AND flag = ? AND kind = ? AND unit > ? ORDER BY unit LIMIT 1 OFFSET ?`;

/**
 * The name of the aggregate that sums values in the order SQLite hands them,
 * `0 + v1 + v2 + …` as `experimentResults` does, null without any: the
 * built-in `sum()` compensates rounding errors (Kahan–Babuška–Neumaier), so
 * its sums differ in the last bits.
 */
export const SUM_IN_ORDER = 'avsb_sum_in_order';

/**
 * The name of the aggregate through which {@link outcomesSql} hands each
 * unit's numbers to JavaScript as arguments of a call: a row of several
 * columns handed back as an array costs several times more.
 */
const TAKE_UNIT = 'avsb_take_unit';

/**
 * Each unit of a range of unit keys attributed in SQLite, as
 * `experimentResults` attributes it, handed to {@link TAKE_UNIT}: first id,
 * variation, crossed, whether a conversion came at or after the first
 * exposure, and the sum of the values of those conversions (null without
 * any value). A unit whose conversions all came from its first exposure on
 * has its sum in `conversion_units`; only one that converted before it too
 * sums its valued events, from that time on, in stored order. Unit keys
 * and per-event values never cross into JavaScript (bound by name:
 * environment, flag, kind, metric, after, and last unless `toEnd`).
 */
export function outcomesSql(toEnd: boolean): string {
  return `
  SELECT ${TAKE_UNIT}(e.first_id, e.variation, e.crossed, coalesce(c.last_time >= e.first_time, 0),
    CASE
      WHEN c.first_time >= e.first_time THEN iif(c.value_count > 0, c.value_sum, NULL)
      WHEN c.last_time >= e.first_time THEN (
        SELECT ${SUM_IN_ORDER}(v.value ORDER BY v.event_id) FROM unit_conversions v
        WHERE v.environment_id = e.environment_id AND v.metric = @metric AND v.kind = e.kind AND v.unit = e.unit
          AND v.time >= e.first_time)
    END)
  FROM exposure_units e LEFT JOIN conversion_units c
    ON c.environment_id = e.environment_id AND c.metric = @metric AND c.kind = e.kind AND c.unit = e.unit
  WHERE e.environment_id = @environment AND e.flag = @flag AND e.kind = @kind AND e.unit > @after${toEnd ? '' : ' AND e.unit <= @last'}`;
}

/**
 * Defines the functions {@link outcomesSql} calls on a connection; `take`
 * receives each unit (crossed and converted as 0 or 1).
 */
export function defineOutcomeFunctions(
  db: Db,
  take: (firstId: number, variation: number, crossed: number, converted: number, valueSum: number | null) => void,
): void {
  db.aggregate(SUM_IN_ORDER, { deterministic: true, step: (sum: number | null, value: number) => (sum ?? 0) + value });
  const step = (_: null, firstId: number, variation: number, crossed: number, converted: number, valueSum: number | null): void => {
    take(firstId, variation, crossed, converted, valueSum);
  };
  // the typings know of one argument per step; better-sqlite3 passes as many as the function is called with
  db.aggregate<null>(TAKE_UNIT, { step: step as unknown as (total: null, next: null) => void });
}

/** Units read per chunk of a results computation: a few milliseconds of work between yields. */
export const UNITS_PER_CHUNK = 4096;
/** Events read per statement of a fold step. */
const EVENTS_PER_READ = 500;
/**
 * How long one fold step (one transaction) goes on reading events, ms: long
 * enough that a page of the aggregates is written once for many events (the
 * commit, not the updates, is most of the cost), short enough to keep other
 * requests' latency low.
 */
export const FOLD_STEP_MS = 20;

interface EventRow {
  id: number;
  environment_id: number;
  kind: string;
  time: number | null;
  key: string | null;
  variation: number | null;
  in_experiment: number;
  value: number | null;
  context_keys: string | null;
}

interface OutcomeParams {
  environment: number;
  flag: string;
  kind: string;
  metric: string;
  after: string;
  last?: string;
}

/**
 * Per-unit aggregates of experiment events. Stored events are folded in, in
 * id order, by {@link ExperimentUnits.fold}: each step reads the next events
 * after `experiment_fold.last_event_id` and moves that mark in the same
 * transaction as the aggregates it updates, so an event is counted exactly
 * once whatever stops the process (a batch stored once is folded once; no
 * event is stored at or below the mark, as ids are never given twice, see
 * `EventTables`), and the file's older events are folded by the same code as
 * new ones. Folding apart from ingestion keeps a batch's commit small: it
 * writes a few pages at the end of the events table, while updating a unit's
 * row writes a page anywhere in the aggregates; one fold step writes each
 * page it touches once for all the events of a step of {@link FOLD_STEP_MS}.
 *
 * - `exposure_units`: per (flag, context kind, unit) of in-experiment
 *   exposures, the first exposure time and its variation (on a tie the first
 *   stored), the variation of the first stored exposure and whether another
 *   variation was seen (a crossover);
 * - `conversion_units`: per (custom event key, context kind, unit), the
 *   earliest and latest time, the sum and count of the values;
 * - `unit_conversions`: the valued custom events by unit and time, read only
 *   for a unit with a valued conversion before its first exposure (which must
 *   not count).
 *
 * Results then read one row per exposed unit, never the events. The
 * batches this store has just stored are folded from a copy held in memory
 * ({@link StoredBatches}) rather than read back, where they follow on from
 * the mark.
 */
export class ExperimentUnits {
  private readonly _upsertExposure: Statement<[number, string, string, string, number, number, number, number]>;
  private readonly _upsertConversion: Statement<[number, string, string, string, number, number, number, number]>;
  private readonly _insertValue: Statement<[number, string, string, string, number, number, number]>;
  private readonly _selectChunkEnd: Statement<[number, string, string, string, number], string>;
  private readonly _selectOutcomes: Statement<[OutcomeParams], null>;
  private readonly _selectOutcomesToEnd: Statement<[OutcomeParams], null>;
  /** Where the units a read of outcomes hands over go (set only during the read). */
  private _takenBy: ExperimentUnitList | null = null;
  private readonly _selectNext: Statement<[number, number], EventRow>;
  private readonly _selectMark: Statement<[], number>;
  private readonly _updateMark: Statement<[number]>;
  private readonly _selectPurging: Statement<[], number>;
  private readonly _selectEnvironment: Statement<[number], number>;
  private readonly _stored = new StoredBatches();
  private readonly _fold: Transaction<(budgetMs: number) => boolean>;

  constructor(db: Db) {
    // On conflict the right-hand sides read the row as it was: the earlier time wins, a tie keeps the stored one.
    // The WHERE leaves a row that would not change unwritten (most repeated exposures): no page to commit for it.
    this._upsertExposure = db.prepare(`
      INSERT INTO exposure_units (environment_id, flag, kind, unit, first_id, first_time, variation, seen, crossed)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)
      ON CONFLICT DO UPDATE SET
        crossed = crossed OR excluded.seen <> seen,
        variation = CASE WHEN excluded.first_time < first_time THEN excluded.variation ELSE variation END,
        first_time = min(first_time, excluded.first_time)
      WHERE excluded.first_time < first_time OR (crossed = 0 AND excluded.seen <> seen)`);
    this._upsertConversion = db.prepare(`
      INSERT INTO conversion_units (environment_id, metric, kind, unit, first_time, last_time, value_sum, value_count)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT DO UPDATE SET
        first_time = min(first_time, excluded.first_time),
        last_time = max(last_time, excluded.last_time),
        value_sum = value_sum + excluded.value_sum,
        value_count = value_count + excluded.value_count`);
    this._insertValue = db.prepare(
      'INSERT INTO unit_conversions (environment_id, metric, kind, unit, time, event_id, value) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    // a row crossing into JavaScript costs more than SQLite's lookup of the unit's conversions: join there
    defineOutcomeFunctions(db, (firstId, variation, crossed, converted, valueSum) => {
      this._takenBy!.pushColumns(firstId, variation, crossed !== 0, converted !== 0, valueSum);
    });
    this._selectChunkEnd = db.prepare<[number, string, string, string, number], string>(CHUNK_END_SQL).pluck();
    this._selectOutcomes = db.prepare<[OutcomeParams], null>(outcomesSql(false)).pluck();
    this._selectOutcomesToEnd = db.prepare<[OutcomeParams], null>(outcomesSql(true)).pluck();
    this._selectMark = db.prepare<[], number>('SELECT last_event_id FROM experiment_fold WHERE id = 1').pluck();
    this._updateMark = db.prepare('UPDATE experiment_fold SET last_event_id = ? WHERE id = 1');
    this._selectPurging = db.prepare<[], number>('SELECT environment_id FROM purges').pluck();
    this._selectEnvironment = db.prepare<[number], number>('SELECT id FROM environments WHERE id = ?').pluck();
    this._selectNext = db.prepare(
      'SELECT id, environment_id, kind, time, key, variation, in_experiment, value, context_keys FROM events WHERE id > ? ORDER BY id LIMIT ?',
    );
    this._fold = db.transaction((budgetMs: number) => {
      const until = performance.now() + budgetMs;
      let mark = this._selectMark.get()!;
      // a deleted environment's events wait for their purge: adding them to aggregates would only give it more to delete
      const purging = new Set(this._selectPurging.all());
      for (;;) {
        const batch = this._stored.next(mark);
        if (batch !== null && !purging.has(batch.environmentId) && this._selectEnvironment.get(batch.environmentId) !== undefined) {
          // its environment is there, so no purge took its rows: they are these events, with these ids
          const { environmentId, firstId, events } = batch;
          for (let i = mark + 1 - firstId; i < events.length; i++) this._record(environmentId, firstId + i, events[i]!);
          mark = firstId + events.length - 1;
          if (performance.now() >= until) {
            this._updateMark.run(mark);
            return false;
          }
          continue;
        }
        // a deleted environment's batch: the table says which rows are left
        if (batch !== null) this._stored.clear();
        const rows = this._selectNext.all(mark, EVENTS_PER_READ);
        for (const row of rows) {
          if (purging.has(row.environment_id)) continue;
          this._record(row.environment_id, row.id, {
            kind: row.kind,
            time: row.time,
            key: row.key,
            variation: row.variation,
            inExperiment: row.in_experiment === 1,
            value: row.value,
            contextKeys: row.context_keys === null ? null : (JSON.parse(row.context_keys) as Record<string, string>),
          });
        }
        if (rows.length > 0) mark = rows[rows.length - 1]!.id;
        if (rows.length < EVENTS_PER_READ || performance.now() >= until) {
          this._updateMark.run(mark);
          return rows.length < EVENTS_PER_READ;
        }
      }
    });
  }

  /**
   * Folds the next stored events into the aggregates, in one write
   * transaction, for about `budgetMs`; returns whether it caught up.
   */
  fold(budgetMs: number = FOLD_STEP_MS): boolean {
    return this._fold.immediate(budgetMs);
  }

  /**
   * Hands the fold a batch this connection has just committed (ids `firstId`
   * … `lastId`), so that it need not read the events back.
   */
  stored(environmentId: EnvironmentId, firstId: number, lastId: number, events: readonly EventInput[]): void {
    this._stored.add(environmentId, firstId, lastId, events);
  }

  /** Adds a stored event (id `eventId`) to the aggregates. */
  private _record(environmentId: EnvironmentId, eventId: number, e: UnitEvent): void {
    if (e.contextKeys === null || e.key === null || e.time === null) return;
    if (e.kind === 'exposure') {
      if (!e.inExperiment || e.variation === null) return;
      for (const [kind, unit] of Object.entries(e.contextKeys)) {
        this._upsertExposure.run(environmentId, e.key, kind, unit, eventId, e.time, e.variation, e.variation);
      }
    } else if (e.kind === 'custom') {
      const valued = e.value !== null && Number.isFinite(e.value);
      for (const [kind, unit] of Object.entries(e.contextKeys)) {
        this._upsertConversion.run(environmentId, e.key, kind, unit, e.time, e.time, valued ? e.value! : 0, valued ? 1 : 0);
        if (valued) this._insertValue.run(environmentId, e.key, kind, unit, e.time, eventId, e.value!);
      }
    }
  }

  /**
   * Appends one chunk of the units of experiment `flag` (by context `kind`)
   * with their conversions of `metric` to `units`: up to `limit` units after
   * unit key `after`, in unit-key order; returns the last unit key read, or
   * null when there are no more. Each unit is attributed as
   * `experimentResults` does: its conversions count from its first exposure
   * on, its value is the sum of their values in stored order.
   */
  readChunk(
    units: ExperimentUnitList,
    environmentId: EnvironmentId,
    flag: string,
    kind: string,
    metric: string,
    after: string,
    limit: number,
  ): string | null {
    const last = this._selectChunkEnd.get(environmentId, flag, kind, after, limit - 1);
    const params: OutcomeParams = { environment: environmentId, flag, kind, metric, after };
    this._takenBy = units;
    try {
      if (last === undefined) this._selectOutcomesToEnd.get(params);
      else this._selectOutcomes.get({ ...params, last });
    } finally {
      this._takenBy = null;
    }
    return last ?? null;
  }
}
