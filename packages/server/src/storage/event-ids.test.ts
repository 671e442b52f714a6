import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { VariationInfo } from '../stats';
import { experimentResults, resultsFromUnits } from '../stats';
import { allUnits, attributionRows, experimentWorkload } from '../../test/support/experiment-events';
import { migrations } from './migrations';
import type { EnvironmentId, EventInput } from './records';
import { SqliteStore } from './sqlite-store';
import { ExperimentUnits } from './sqlite/experiment-units';

const dir = mkdtempSync(join(tmpdir(), 'avsb-event-ids-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const twoArms: VariationInfo[] = [
  { variation: 0, value: false, weight: 50000 },
  { variation: 1, value: true, weight: 50000 },
];

async function project(store: SqliteStore, key: string, n: number): Promise<EnvironmentId> {
  const created = await store.createProject({
    key, name: key, environments: [{ key: 'prod', name: 'Prod', serverKey: `srv-${key}-${n}`, clientKey: `cli-${key}-${n}` }],
  });
  return created.environments[0]!.id;
}

async function insertAll(store: SqliteStore, env: EnvironmentId, prefix: string, events: readonly EventInput[]): Promise<void> {
  for (let i = 0; i < events.length; i += 100) await store.insertEvents(env, `${prefix}${i}`, events.slice(i, i + 100), 0);
}

async function results(store: SqliteStore, env: EnvironmentId) {
  return resultsFromUnits('exp-a', 'purchase', twoArms, await allUnits(store, env, 'exp-a', 'user', 'purchase'));
}

function expected(events: readonly EventInput[]) {
  const { exposures, conversions } = attributionRows(events, 'exp-a', 'user', 'purchase');
  return experimentResults('exp-a', 'purchase', twoArms, exposures, conversions);
}

/** Every id of an environment's events, read page by page as `GET …/events?after=` and the live stream do. */
async function ids(store: SqliteStore, env: EnvironmentId, after = 0): Promise<number[]> {
  const all: number[] = [];
  for (let page = await store.listEvents(env, after, 1000); page.length > 0; page = await store.listEvents(env, all.at(-1)!, 1000)) {
    all.push(...page.map((e) => e.id));
  }
  return all;
}

describe('event ids', () => {
  // the newest events belong to an environment that is deleted and purged: the ids they had must never be given again,
  // or the fold, whose mark is past them, would never count the events that took them
  for (const order of ['folded, then deleted', 'deleted, then folded (skipped as purging)'] as const) {
    it(`are never reused after a purge, so results count every event (${order}, across a restart)`, async () => {
      const path = join(dir, `${order.split(',')[0]}.db`);
      let store = new SqliteStore(path);
      const kept = await project(store, 'kept', 1);
      const gone = await project(store, 'gone', 1);
      const before = experimentWorkload(21, { users: 60, events: 700 });
      const after = experimentWorkload(22, { users: 60, events: 900 });
      await insertAll(store, kept, 'k', before);
      await insertAll(store, gone, 'g', experimentWorkload(23, { users: 60, events: 800 }));
      const goneIds = await ids(store, gone);
      if (order === 'folded, then deleted') await results(store, kept); // the fold's mark passes the deleted environment's events
      expect(await store.deleteProject('gone')).toBe(true);
      await results(store, kept); // folds (or skips) them, whichever order
      await store.whenPurged();
      expect(await ids(store, gone)).toEqual([]);
      await store.close();

      store = new SqliteStore(path);
      await insertAll(store, kept, 'k2-', after);
      const keptIds = await ids(store, kept);
      expect(keptIds).toHaveLength(before.length + after.length);
      expect(await results(store, kept)).toEqual(expected([...before, ...after]));
      expect(keptIds.slice(before.length)[0]).toBeGreaterThan(goneIds.at(-1)!);
      await store.close();
    });
  }

  it("of a new environment are above every id a deleted one had, so a reader resuming from the old environment's last id misses none", async () => {
    const store = new SqliteStore(join(dir, 'same-key.db'));
    const old = await project(store, 'shop', 1);
    await insertAll(store, old, 'o', experimentWorkload(31, { users: 20, events: 300 }));
    const lastSeen = (await ids(store, old)).at(-1)!;
    await store.deleteProject('shop');
    await store.whenPurged();
    // a project with the same key at once; the dashboard's live stream reconnects with Last-Event-ID: the old last id
    const fresh = await project(store, 'shop', 2);
    const events = experimentWorkload(32, { users: 20, events: 250 });
    await insertAll(store, fresh, 'n', events);
    expect(await ids(store, fresh, lastSeen)).toHaveLength(events.length);
    expect(await store.lastEventId(fresh)).toBe(lastSeen + events.length);
    await store.close();
  });

  it("continue above an upgraded file's fold mark, keeping every event", async () => {
    const path = join(dir, 'v4.db');
    const before = experimentWorkload(41, { users: 50, events: 600 });
    const after = experimentWorkload(42, { users: 50, events: 400 });
    // a file of the previous version (schema 4), written by its SQL: the newest events, folded, were a purged environment's
    const old = new Database(path);
    old.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
    for (const m of migrations.filter((m) => m.version <= 4)) {
      old.exec(m.sql);
      old.prepare('INSERT INTO schema_migrations VALUES (?, ?, 0)').run(m.version, m.name);
    }
    old.prepare("INSERT INTO projects (key, name, created_at) VALUES ('p', 'P', 0)").run();
    old.prepare("INSERT INTO environments (project_id, key, name, created_at) VALUES (1, 'kept', 'Kept', 0), (1, 'gone', 'Gone', 0)").run();
    const insert = old.prepare(
      'INSERT INTO events (environment_id, received_at, kind, time, key, variation, in_experiment, value, context_keys, body) VALUES (?, 0, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const store = old.transaction((env: number, events: readonly EventInput[]) => {
      for (const e of events) insert.run(env, e.kind, e.time, e.key, e.variation, e.inExperiment ? 1 : 0, e.value, JSON.stringify(e.contextKeys), e.json);
    });
    store(1, before);
    store(2, experimentWorkload(43, { users: 50, events: 500 }));
    const units = new ExperimentUnits(old);
    while (!units.fold()) {
      // every event folded, as the old server did in the background
    }
    old.prepare('DELETE FROM events WHERE environment_id = 2').run();
    old.prepare('DELETE FROM environments WHERE id = 2').run();
    const mark = old.prepare('SELECT last_event_id FROM experiment_fold').pluck().get() as number;
    expect(mark).toBe(before.length + 500);
    expect(old.prepare('SELECT max(id) FROM events').pluck().get()).toBe(before.length);
    old.close();

    const upgraded = new SqliteStore(path);
    await insertAll(upgraded, 1, 'k2-', after);
    expect(await ids(upgraded, 1)).toHaveLength(before.length + after.length);
    expect((await upgraded.listEvents(1, mark, 1))[0]!.event).toEqual(JSON.parse(after[0]!.json));
    expect(await results(upgraded, 1)).toEqual(expected([...before, ...after]));
    await upgraded.close();
  });
});
