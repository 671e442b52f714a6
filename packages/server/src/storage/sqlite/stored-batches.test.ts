import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { customInput, experimentWorkload } from '../../../test/support/experiment-events';
import type { EventInput } from '../records';
import { EventTables } from './events';
import { ExperimentUnits } from './experiment-units';
import { openDatabase, type Db } from './open';
import { PurgeSteps } from './purge-steps';
import { MAX_HELD_EVENTS, StoredBatches } from './stored-batches';

const dir = mkdtempSync(join(tmpdir(), 'avsb-held-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Project 1 with environments 1 and 2. */
function withEnvironments(db: Db): void {
  db.prepare("INSERT OR IGNORE INTO projects (id, key, name, created_at) VALUES (1, 'p', 'P', 0)").run();
  db.prepare("INSERT OR IGNORE INTO environments (id, project_id, key, name, created_at) VALUES (1, 1, 'a', 'A', 0), (2, 1, 'b', 'B', 0)").run();
}

const ORDERS = { exposure_units: '1, 2, 3, 4', conversion_units: '1, 2, 3, 4', unit_conversions: '1, 2, 3, 4, 5, 6' };

function aggregates(db: Db): Record<string, unknown[]> {
  return Object.fromEntries(Object.entries(ORDERS).map(([table, order]) => [table, db.prepare(`SELECT * FROM ${table} ORDER BY ${order}`).raw().all()]));
}

function foldAll(units: ExperimentUnits): void {
  while (!units.fold()) {
    // steps until caught up
  }
}

/** The aggregates folded again from nothing, every event read from the table. */
function foldedFromTable(db: Db): Record<string, unknown[]> {
  db.exec('DELETE FROM exposure_units; DELETE FROM conversion_units; DELETE FROM unit_conversions; UPDATE experiment_fold SET last_event_id = 0');
  foldAll(new ExperimentUnits(db));
  return aggregates(db);
}

describe('the fold with batches held in memory', () => {
  it('gives the aggregates the table alone gives, with batches of another connection and batches not held between them', () => {
    const path = join(dir, 'mixed.db');
    const a = openDatabase(path);
    const b = openDatabase(path);
    withEnvironments(a);
    const [eventsA, eventsB, units] = [new EventTables(a), new EventTables(b), new ExperimentUnits(a)];
    const workload = experimentWorkload(5, { users: 60, events: 4000 });
    const sizes = [97, 130, 41, 260];
    let held = 0;
    for (let i = 0, j = 0; i < workload.length; j++) {
      const batch = workload.slice(i, (i += sizes[j % sizes.length]!));
      const environment = j % 5 === 4 ? 2 : 1;
      if (j % 3 === 1) {
        eventsB.insert(environment, `b${j}`, batch, 0); // ids between this connection's
      } else {
        const { firstId, lastId } = eventsA.insert(environment, `a${j}`, batch, 0);
        // every third batch is not handed over, as when more than MAX_HELD_EVENTS wait
        if (j % 3 === 0) {
          units.stored(environment, firstId, lastId, batch);
          held++;
        }
      }
      // steps that stop after one batch or one read of 500 rows: the next one starts inside a held batch
      if (j % 4 === 3) units.fold(0);
    }
    foldAll(units);
    const folded = aggregates(a);
    expect(held).toBeGreaterThan(10);
    expect(folded.exposure_units!.length).toBeGreaterThan(50);
    expect(folded.unit_conversions!.length).toBeGreaterThan(100);
    expect(folded).toEqual(foldedFromTable(a));
    a.close();
    b.close();
  });

  it("leaves a deleted environment's held batch to the table: its purged events are not folded, the ones stored after them are", () => {
    const db = openDatabase(':memory:');
    withEnvironments(db);
    const [events, units] = [new EventTables(db), new ExperimentUnits(db)];
    const store = (environment: number, batchId: string, batch: EventInput[]) => {
      const ids = events.insert(environment, batchId, batch, 0);
      units.stored(environment, ids.firstId, ids.lastId, batch);
      return ids;
    };
    const kept = store(2, 'kept', [customInput({ user: 'u1' }, 'purchase', 100, 5)]);
    const gone = store(1, 'gone', [customInput({ user: 'u2' }, 'purchase', 100, 7), customInput({ user: 'u3' }, 'purchase', 100, 11)]);
    // deleted as SqliteStore.deleteProject does, then purged
    db.pragma('foreign_keys = OFF');
    db.prepare('DELETE FROM environments WHERE id = 1').run();
    db.prepare('INSERT INTO purges (environment_id) VALUES (1)').run();
    db.pragma('foreign_keys = ON');
    const purge = new PurgeSteps(db);
    while (purge.step()) {
      // every row of environment 1
    }
    // the purged events were the last rows; their ids are not given again (event_ids)
    const later = store(2, 'later', [customInput({ user: 'u4' }, 'purchase', 200, 13), customInput({ user: 'u1' }, 'purchase', 300, 17)]);
    expect(later.firstId).toBe(gone.lastId + 1);
    expect(gone.firstId).toBe(kept.lastId + 1);

    foldAll(units);
    const folded = aggregates(db);
    expect(folded.conversion_units!.map((row) => (row as unknown[])[0])).toEqual([2, 2]);
    expect(folded.unit_conversions).toHaveLength(3);
    expect(folded).toEqual(foldedFromTable(db));
    db.close();
  });
});

describe('StoredBatches', () => {
  const batch = (size: number): EventInput[] => Array.from({ length: size }, (_, i) => customInput({ user: `u${i}` }, 'purchase', i, i));

  it(`holds at most ${MAX_HELD_EVENTS} events, only batches with consecutive ids after the last one held, and drops what the fold passed`, () => {
    const held = new StoredBatches();
    const size = 1000;
    const count = MAX_HELD_EVENTS / size;
    for (let i = 0; i < count; i++) held.add(1, 1 + i * size, (i + 1) * size, batch(size));
    expect(held.held).toBe(MAX_HELD_EVENTS);
    held.add(1, MAX_HELD_EVENTS + 1, MAX_HELD_EVENTS + size, batch(size)); // one too many
    expect(held.held).toBe(MAX_HELD_EVENTS);

    expect(held.next(0)?.firstId).toBe(1);
    expect(held.next(2500)?.firstId).toBe(2001); // inside a batch: that batch, the ones before dropped
    expect(held.held).toBe(MAX_HELD_EVENTS - 2 * size);
    expect(held.next(MAX_HELD_EVENTS)).toBeNull(); // all passed
    expect(held.held).toBe(0);

    held.add(1, 10, 14, batch(4)); // ids not consecutive
    expect(held.held).toBe(0);
    held.add(1, 10, 13, batch(4));
    held.add(1, 12, 15, batch(4)); // overlaps the last one held
    held.add(1, 20, 23, batch(4));
    expect(held.held).toBe(8);
    expect(held.next(9)?.firstId).toBe(10);
    expect(held.next(13)).toBeNull(); // 14 … 19 are not held: the table has them
    expect(held.next(19)?.firstId).toBe(20);

    const event = customInput({ user: 'u1' }, 'purchase', 1, -0);
    held.add(1, 24, 24, [event]);
    (event.contextKeys as Record<string, string>).user = 'changed';
    const copy = held.next(23)!.events[0]!;
    expect(copy.contextKeys).toEqual({ user: 'u1' }); // a copy of what was stored
    expect(Object.is(copy.value, 0)).toBe(true); // as the REAL column reads it back
  });
});
