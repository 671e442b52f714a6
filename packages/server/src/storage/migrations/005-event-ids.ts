import type { Migration } from './migration';

/**
 * The last event id ever given (see `EventTables`), so that an id is never
 * given twice. `events` has no AUTOINCREMENT: SQLite gave a new row max(id) + 1,
 * so once a purge deleted the newest events their ids were given again, below
 * the experiment fold's mark (the fold never counted those events) and below
 * the ids a live-event reader had already seen. Rebuilding the table with
 * AUTOINCREMENT would copy every event on upgrade and update
 * `sqlite_sequence` on every insert; this row is read and written once per
 * batch. It starts at the highest id the file shows was given: the newest
 * event left or the fold's mark, whichever is higher (ids given and purged
 * above both before the upgrade are not known).
 */
export const eventIds: Migration = {
  version: 5,
  name: 'event-ids',
  sql: `
    CREATE TABLE event_ids (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      last_id INTEGER NOT NULL
    );
    INSERT INTO event_ids (id, last_id)
      VALUES (1, max(coalesce((SELECT max(id) FROM events), 0), (SELECT last_event_id FROM experiment_fold WHERE id = 1)));
  `,
};
