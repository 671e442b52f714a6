import type { Migration } from './migration';

/**
 * A floor under new event ids (see `EventTables`), so that an id is never
 * given twice. `events` has no AUTOINCREMENT: SQLite gives a new row
 * max(id) + 1, so once a purge deleted the newest events their ids were given
 * again, at or below the experiment fold's mark (the fold never counted
 * those events) and the ids a live-event reader had already seen.
 * `event_ids.floor_id` is the highest id deleted, kept by a trigger on every
 * delete (a purge, a cascade, anything), and a batch whose next id would not
 * be above it starts above it instead. Rebuilding the table with
 * AUTOINCREMENT would copy every event on upgrade and write
 * `sqlite_sequence` in every batch; a counter written per batch measured
 * 4–9 % more per insert (a page more in every commit). The floor costs a
 * batch one read and a deleted row one trigger; the migration is constant
 * time (about 3 ms on a file of 1,000,000 events). It starts at the fold's
 * mark: ids deleted above it before the upgrade are not known.
 */
export const eventIds: Migration = {
  version: 5,
  name: 'event-ids',
  sql: `
    CREATE TABLE event_ids (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      floor_id INTEGER NOT NULL
    );
    INSERT INTO event_ids (id, floor_id) SELECT 1, last_event_id FROM experiment_fold WHERE id = 1;
    CREATE TRIGGER events_deleted_floor AFTER DELETE ON events
      WHEN old.id > (SELECT floor_id FROM event_ids WHERE id = 1)
      BEGIN UPDATE event_ids SET floor_id = old.id WHERE id = 1; END;
  `,
};
