import type { Migration } from './migration';

/**
 * Per-unit aggregates of experiment events (see `ExperimentUnits`), so that
 * results read one row per exposed unit instead of every event, and the
 * environments whose bulk rows are being purged (see `Purger`). No foreign
 * keys: a deleted environment's rows are purged in chunks (environment ids
 * are never reused). `experiment_fold` starts at event 0: the events of an
 * older file are folded in by the same code as new ones, in the background,
 * in steps (no long migration at startup).
 */
export const experimentUnits: Migration = {
  version: 2,
  name: 'experiment-units',
  sql: `
    CREATE TABLE exposure_units (
      environment_id INTEGER NOT NULL,
      flag TEXT NOT NULL,
      kind TEXT NOT NULL,
      unit TEXT NOT NULL,
      first_id INTEGER NOT NULL,
      first_time INTEGER NOT NULL,
      variation INTEGER NOT NULL,
      seen INTEGER NOT NULL,
      crossed INTEGER NOT NULL,
      PRIMARY KEY (environment_id, flag, kind, unit)
    ) WITHOUT ROWID;

    CREATE TABLE conversion_units (
      environment_id INTEGER NOT NULL,
      metric TEXT NOT NULL,
      kind TEXT NOT NULL,
      unit TEXT NOT NULL,
      first_time INTEGER NOT NULL,
      last_time INTEGER NOT NULL,
      value_sum REAL NOT NULL,
      value_count INTEGER NOT NULL,
      PRIMARY KEY (environment_id, metric, kind, unit)
    ) WITHOUT ROWID;

    CREATE TABLE unit_conversions (
      environment_id INTEGER NOT NULL,
      metric TEXT NOT NULL,
      kind TEXT NOT NULL,
      unit TEXT NOT NULL,
      time INTEGER NOT NULL,
      event_id INTEGER NOT NULL,
      value REAL NOT NULL,
      PRIMARY KEY (environment_id, metric, kind, unit, time, event_id)
    ) WITHOUT ROWID;

    -- the last event id folded into the aggregates; one row
    CREATE TABLE experiment_fold (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      last_event_id INTEGER NOT NULL
    );
    INSERT INTO experiment_fold (id, last_event_id) VALUES (1, 0);

    -- environments being purged after a delete (see Purger)
    CREATE TABLE purges (
      environment_id INTEGER PRIMARY KEY
    );
  `,
};
