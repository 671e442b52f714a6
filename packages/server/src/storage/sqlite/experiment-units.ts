import type { Statement, Transaction } from 'better-sqlite3';
import type { EnvironmentId, ExperimentUnit } from '../records';
import type { Db } from './open';

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

/** Units read per chunk of a results computation: a few milliseconds of work between yields. */
export const UNITS_PER_CHUNK = 2048;
/** Events folded into the aggregates per transaction: a few milliseconds of work between yields. */
export const EVENTS_PER_FOLD = 2000;

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

interface UnitRow {
  unit: string;
  first_id: number;
  first_time: number;
  variation: number;
  crossed: number;
  c_first: number | null;
  c_last: number | null;
  value_sum: number | null;
  value_count: number | null;
}

/**
 * Per-unit aggregates of experiment events. Stored events are folded in, in
 * id order, by {@link ExperimentUnits.fold}: each step reads the next events
 * after `experiment_fold.last_event_id` and moves that mark in the same
 * transaction as the aggregates it updates, so an event is counted exactly
 * once whatever stops the process (a batch stored once is folded once), and
 * the file's older events are folded by the same code as new ones. Folding
 * apart from ingestion keeps a batch's commit small: it writes a few pages at
 * the end of the events table, while updating a unit's row writes a page
 * anywhere in the aggregates; one fold step writes each page it touches once
 * for up to {@link EVENTS_PER_FOLD} events.
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
 * Results then read one row per exposed unit, never the events.
 */
export class ExperimentUnits {
  private readonly _upsertExposure: Statement<[number, string, string, string, number, number, number, number]>;
  private readonly _upsertConversion: Statement<[number, string, string, string, number, number, number, number]>;
  private readonly _insertValue: Statement<[number, string, string, string, number, number, number]>;
  private readonly _selectUnits: Statement<[string, number, string, string, string, number], UnitRow>;
  private readonly _selectValues: Statement<[number, string, string, string, number], { value: number }>;
  private readonly _selectNext: Statement<[number, number], EventRow>;
  private readonly _selectMark: Statement<[], number>;
  private readonly _updateMark: Statement<[number]>;
  private readonly _fold: Transaction<(limit: number) => number>;

  constructor(db: Db) {
    // On conflict the right-hand sides read the row as it was: the earlier time wins, a tie keeps the stored one.
    this._upsertExposure = db.prepare(`
      INSERT INTO exposure_units (environment_id, flag, kind, unit, first_id, first_time, variation, seen, crossed)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)
      ON CONFLICT DO UPDATE SET
        crossed = crossed OR excluded.seen <> seen,
        variation = CASE WHEN excluded.first_time < first_time THEN excluded.variation ELSE variation END,
        first_time = min(first_time, excluded.first_time)`);
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
    this._selectUnits = db.prepare(`
      SELECT x.unit, x.first_id, x.first_time, x.variation, x.crossed,
        c.first_time AS c_first, c.last_time AS c_last, c.value_sum, c.value_count
      FROM exposure_units x
      LEFT JOIN conversion_units c
        ON c.environment_id = x.environment_id AND c.metric = ? AND c.kind = x.kind AND c.unit = x.unit
      WHERE x.environment_id = ? AND x.flag = ? AND x.kind = ? AND x.unit > ?
      ORDER BY x.unit LIMIT ?`);
    this._selectValues = db.prepare(`
      SELECT value FROM unit_conversions
      WHERE environment_id = ? AND metric = ? AND kind = ? AND unit = ? AND time >= ?
      ORDER BY event_id`);
    this._selectMark = db.prepare<[], number>('SELECT last_event_id FROM experiment_fold WHERE id = 1').pluck();
    this._updateMark = db.prepare('UPDATE experiment_fold SET last_event_id = ? WHERE id = 1');
    this._selectNext = db.prepare(
      'SELECT id, environment_id, kind, time, key, variation, in_experiment, value, context_keys FROM events WHERE id > ? ORDER BY id LIMIT ?',
    );
    this._fold = db.transaction((limit: number) => {
      const rows = this._selectNext.all(this._selectMark.get()!, limit);
      for (const row of rows) {
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
      if (rows.length > 0) this._updateMark.run(rows[rows.length - 1]!.id);
      return rows.length;
    });
  }

  /**
   * Folds the next `limit` stored events (at most) into the aggregates, in one
   * write transaction; returns how many there were (fewer than `limit`: caught up).
   */
  fold(limit: number = EVENTS_PER_FOLD): number {
    return this._fold.immediate(limit);
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
   * One chunk of the units of experiment `flag` (by context `kind`) with
   * their conversions of `metric`: up to `limit` units after unit key
   * `after`, in unit-key order. Each unit is attributed as
   * `experimentResults` does: its conversions count from its first exposure
   * on, its value is the sum of their values in stored order.
   */
  chunk(
    environmentId: EnvironmentId,
    flag: string,
    kind: string,
    metric: string,
    after: string,
    limit: number,
  ): { units: ExperimentUnit[]; last: string | null } {
    const rows = this._selectUnits.all(metric, environmentId, flag, kind, after, limit);
    const units = rows.map((row): ExperimentUnit => {
      const unit = { firstId: row.first_id, variation: row.variation, crossed: row.crossed !== 0, converted: false, valueSum: 0, hasValue: false };
      if (row.c_last === null || row.c_last < row.first_time) return unit;
      unit.converted = true;
      if (row.c_first! >= row.first_time) {
        // every conversion of the unit counts: the running sum is the one experimentResults makes
        unit.valueSum = row.value_sum!;
        unit.hasValue = row.value_count! > 0;
        return unit;
      }
      for (const { value } of this._selectValues.all(environmentId, metric, kind, row.unit, row.first_time)) {
        unit.valueSum += value;
        unit.hasValue = true;
      }
      return unit;
    });
    return { units, last: rows.length < limit ? null : rows[rows.length - 1]!.unit };
  }
}
