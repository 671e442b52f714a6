import type { Statement, Transaction } from 'better-sqlite3';
import { AvsbError } from '../../errors';
import type { BatchOutcome, EnvironmentId, EventInput, JsonObject, StoredEvent } from '../records';
import type { Db } from './open';

/**
 * An environment's events below an id, newest first: a range of the
 * `events_by_environment (environment_id, id)` index read backwards, so a page
 * costs its rows however many events other environments stored in between.
 */
export const EVENTS_BEFORE_SQL = 'SELECT id, received_at, body FROM events WHERE environment_id = ? AND id < ? ORDER BY id DESC LIMIT ?';

type EventRow = [number, number, string, number | null, string | null, number | null, number, number | null, string | null, string];

/**
 * SDK events and their batch ids in SQLite. An event id is never given twice,
 * even after a purge deleted the newest events (migration 5): the experiment
 * fold's mark and the ids readers resume after (`?after=`, the live view's
 * Last-Event-ID) never pass an event stored later.
 */
export class EventTables {
  private readonly _claimBatch: Statement<[number, string, number, number]>;
  private readonly _selectBatch: Statement<[number, string], { count: number }>;
  private readonly _insertEvent: Statement<EventRow>;
  private readonly _insertEventAt: Statement<[...EventRow, number]>;
  private readonly _selectIds: Statement<[], [number | null, number]>;
  private readonly _selectEvents: Statement<[number, number, number], { id: number; received_at: number; body: string }>;
  private readonly _selectEventsBefore: Statement<[number, number, number], { id: number; received_at: number; body: string }>;
  private readonly _selectLastId: Statement<[number], number | null>;
  private readonly _insertBatch: Transaction<(id: EnvironmentId, batchId: string, events: readonly EventInput[], receivedAt: number) => BatchResult>;

  constructor(db: Db) {
    this._claimBatch = db.prepare(
      'INSERT OR IGNORE INTO event_batches (environment_id, batch_id, received_at, count) VALUES (?, ?, ?, ?)',
    );
    this._selectBatch = db.prepare('SELECT count FROM event_batches WHERE environment_id = ? AND batch_id = ?');
    this._insertEvent = db.prepare(
      'INSERT INTO events (environment_id, received_at, kind, time, key, variation, in_experiment, value, context_keys, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this._insertEventAt = db.prepare(
      'INSERT INTO events (environment_id, received_at, kind, time, key, variation, in_experiment, value, context_keys, body, id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this._selectIds = db.prepare<[], [number | null, number]>('SELECT (SELECT max(id) FROM events), floor_id FROM event_ids WHERE id = 1').raw();
    this._selectEvents = db.prepare(
      'SELECT id, received_at, body FROM events WHERE environment_id = ? AND id > ? ORDER BY id LIMIT ?',
    );
    this._selectEventsBefore = db.prepare(EVENTS_BEFORE_SQL);
    this._selectLastId = db.prepare<[number], number | null>('SELECT max(id) FROM events WHERE environment_id = ?').pluck();
    // one transaction per batch: the batch id and all its events commit together, or nothing does
    this._insertBatch = db.transaction((id: EnvironmentId, batchId: string, events: readonly EventInput[], receivedAt: number) => {
      if (this._claimBatch.run(id, batchId, receivedAt, events.length).changes === 0) {
        return { accepted: this._selectBatch.get(id, batchId)?.count ?? 0, duplicate: true, firstId: 0, lastId: 0 };
      }
      // SQLite gives a new row max(id) + 1: at or below an id a purge deleted when it took the newest events. The batch
      // then starts above the highest id deleted (migration 5), and the rest follow on. Only then is an id given: a given
      // id costs each insert a lookup (~5 %).
      const [maxId, floorId] = this._selectIds.get()!;
      let given = floorId > (maxId ?? 0) ? floorId + 1 : 0;
      let firstId = 0;
      let lastId = 0;
      for (const e of events) {
        // arguments, not an array: better-sqlite3 binds an array's elements one V8 call each (~10 % of an insert)
        const contextKeys = e.contextKeys === null ? null : JSON.stringify(e.contextKeys);
        const inExperiment = e.inExperiment ? 1 : 0;
        const { lastInsertRowid } =
          given === 0
            ? this._insertEvent.run(id, receivedAt, e.kind, e.time, e.key, e.variation, inExperiment, e.value, contextKeys, e.json)
            : this._insertEventAt.run(id, receivedAt, e.kind, e.time, e.key, e.variation, inExperiment, e.value, contextKeys, e.json, given);
        lastId = Number(lastInsertRowid);
        given = 0;
        if (firstId === 0) firstId = lastId;
      }
      return { accepted: events.length, duplicate: false, firstId, lastId };
    });
  }

  /** Stores a batch (idempotent by batch id); ids of the new events, 0 when none; `not_found` when the environment is gone. */
  insert(id: EnvironmentId, batchId: string, events: readonly EventInput[], receivedAt: number): BatchResult {
    try {
      return this._insertBatch.immediate(id, batchId, events, receivedAt);
    } catch (error) {
      // deleted after the request resolved its key: the batches' foreign key refuses it, and nothing was stored
      if ((error as { code?: unknown }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY') throw new AvsbError('not_found', 'environment not found');
      throw error;
    }
  }

  list(id: EnvironmentId, after: number, limit: number): StoredEvent[] {
    return this._selectEvents.all(id, after, limit).map(storedEvent);
  }

  listBefore(id: EnvironmentId, before: number, limit: number): StoredEvent[] {
    return this._selectEventsBefore.all(id, before, limit).map(storedEvent);
  }

  lastId(id: EnvironmentId): number {
    return this._selectLastId.get(id) ?? 0;
  }
}

function storedEvent(row: { id: number; received_at: number; body: string }): StoredEvent {
  return { id: row.id, receivedAt: row.received_at, event: JSON.parse(row.body) as JsonObject };
}

/** What storing a batch did, with the ids of the stored events. */
export interface BatchResult extends BatchOutcome {
  readonly firstId: number;
  readonly lastId: number;
}
