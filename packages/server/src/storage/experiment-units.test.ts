import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { VariationInfo } from '../stats';
import { experimentResults, resultsFromUnits } from '../stats';
import { allUnits, attributionRows, customInput, experimentWorkload, exposureInput } from '../../test/support/experiment-events';
import { initialSchema } from './migrations/001-initial';
import type { EnvironmentId, EventInput } from './records';
import { SqliteStore } from './sqlite-store';
import { CHUNK_END_SQL, defineOutcomeFunctions, outcomesSql } from './sqlite/experiment-units';

const dir = mkdtempSync(join(tmpdir(), 'avsb-units-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const twoArms: VariationInfo[] = [
  { variation: 0, value: false, weight: 50000 },
  { variation: 1, value: true, weight: 50000 },
];
const CASES = [
  ['exp-a', 'user', 'purchase'],
  ['exp-a', 'org', 'purchase'],
  ['exp-b', 'user', 'signup'],
  ['exp-b', 'user', 'purchase'],
] as const;

async function storeWithEnvironment(path: string): Promise<{ store: SqliteStore; env: EnvironmentId }> {
  const store = new SqliteStore(path);
  const project = await store.createProject({
    key: 'p', name: 'P', environments: [{ key: 'prod', name: 'Prod', serverKey: `srv-${path.length}-a`, clientKey: `cli-${path.length}-a` }],
  });
  return { store, env: project.environments[0]!.id };
}

async function insertAll(store: SqliteStore, env: EnvironmentId, events: readonly EventInput[], batch = 500): Promise<void> {
  for (let i = 0; i < events.length; i += batch) await store.insertEvents(env, `b${i}`, events.slice(i, i + batch), 0);
}

/** Results as the admin API computes them now, from the store's aggregates. */
async function fromStore(store: SqliteStore, env: EnvironmentId, flag: string, kind: string, metric: string) {
  return resultsFromUnits(flag, metric, twoArms, await allUnits(store, env, flag, kind, metric));
}

/** Results as they were computed before, from every stored event. */
function fromEvents(events: readonly EventInput[], flag: string, kind: string, metric: string) {
  const { exposures, conversions } = attributionRows(events, flag, kind, metric);
  return experimentResults(flag, metric, twoArms, exposures, conversions);
}

describe('experiment aggregates', () => {
  it('give results identical to the attribution of every event, to the last bit', async () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const events = experimentWorkload(seed, { users: 40 + seed * 30, events: 3000 });
      const { store, env } = await storeWithEnvironment(':memory:');
      await insertAll(store, env, events, 97);
      for (const [flag, kind, metric] of CASES) {
        expect(await fromStore(store, env, flag, kind, metric)).toEqual(fromEvents(events, flag, kind, metric));
      }
      await store.close();
    }
  });

  it('count a conversion before the first exposure only once an earlier exposure arrives', async () => {
    const { store, env } = await storeWithEnvironment(':memory:');
    const user = { user: 'u1' };
    await store.insertEvents(env, 'b1', [exposureInput(user, 'exp-a', 1, 500), customInput(user, 'purchase', 300, 7.1)], 0);
    await store.insertEvents(env, 'b2', [customInput(user, 'purchase', 600, 2.2)], 0);
    let [, treatment] = (await fromStore(store, env, 'exp-a', 'user', 'purchase')).variations;
    expect(treatment).toMatchObject({ exposed: 1, conversions: 1, valueTotal: 2.2 });
    // a late, earlier exposure to the other variation: the user moves and both purchases count
    await store.insertEvents(env, 'b3', [exposureInput(user, 'exp-a', 0, 100)], 0);
    const results = await fromStore(store, env, 'exp-a', 'user', 'purchase');
    expect(results.variations[0]).toMatchObject({ exposed: 1, conversions: 1, valueTotal: 7.1 + 2.2 });
    [, treatment] = results.variations;
    expect(treatment).toMatchObject({ exposed: 0 });
    expect(results.crossovers).toBe(1);
    await store.close();
  });

  it('sum a unit\'s counted values in stored order, uncompensated, as attributing every event does', async () => {
    const { store, env } = await storeWithEnvironment(':memory:');
    // stored 1e16, 1, -1e16: 0 + 1e16 + 1 rounds back to 1e16, so the sum is 0; in time order, or compensated (SQLite's sum()), 1
    const values = (user: Record<string, string>) => [
      customInput(user, 'purchase', 300, 1e16),
      customInput(user, 'purchase', 500, 1),
      customInput(user, 'purchase', 400, -1e16),
    ];
    const before = { user: 'u0' }; // bought before its exposure too: its values are summed per event
    const after = { user: 'u1' }; // bought only after it: its sum is the folded one
    const events = [
      customInput(before, 'purchase', 100, 5),
      exposureInput(before, 'exp-a', 0, 200),
      ...values(before),
      exposureInput(after, 'exp-a', 1, 200),
      ...values(after),
    ];
    await insertAll(store, env, events);
    const results = await fromStore(store, env, 'exp-a', 'user', 'purchase');
    expect(results).toEqual(fromEvents(events, 'exp-a', 'user', 'purchase'));
    expect(results.variations.map((v) => [v.exposed, v.conversions, v.valueTotal])).toEqual([[1, 1, 0], [1, 1, 0]]);
    await store.close();
  });

  it('count a retried batch once', async () => {
    const events = experimentWorkload(7, { users: 50, events: 400 });
    const { store, env } = await storeWithEnvironment(':memory:');
    await insertAll(store, env, events, 100);
    await insertAll(store, env, events, 100); // every batch again, same ids: duplicates
    expect(await fromStore(store, env, 'exp-a', 'user', 'purchase')).toEqual(fromEvents(events, 'exp-a', 'user', 'purchase'));
    await store.close();
  });

  it('answer from a read-only copy as they were folded when it was written', async () => {
    const path = join(dir, 'readonly.db');
    const events = experimentWorkload(13, { users: 80, events: 1500 });
    const { store, env } = await storeWithEnvironment(path);
    await insertAll(store, env, events);
    const expected = await fromStore(store, env, 'exp-a', 'user', 'purchase');
    await store.close();
    const readonly = new SqliteStore(path, { readonly: true });
    expect(await fromStore(readonly, env, 'exp-a', 'user', 'purchase')).toEqual(expected);
    await readonly.close();
  });

  it('are backfilled from the events of a file written before them', async () => {
    const path = join(dir, 'v1.db');
    const events = experimentWorkload(11, { users: 120, events: 2500 });
    const old = new Database(path);
    old.exec(initialSchema.sql);
    old.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
    old.prepare('INSERT INTO schema_migrations VALUES (1, ?, 0)').run(initialSchema.name);
    old.prepare("INSERT INTO projects (key, name, created_at) VALUES ('p', 'P', 0)").run();
    old.prepare("INSERT INTO environments (project_id, key, name, created_at) VALUES (1, 'prod', 'Prod', 0)").run();
    const insert = old.prepare(
      'INSERT INTO events (environment_id, received_at, kind, time, key, variation, in_experiment, value, context_keys, body) VALUES (1, 0, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    old.transaction(() => {
      for (const e of events) {
        insert.run(e.kind, e.time, e.key, e.variation, e.inExperiment ? 1 : 0, e.value, JSON.stringify(e.contextKeys), e.json);
      }
    })();
    old.close();
    const store = new SqliteStore(path);
    for (const [flag, kind, metric] of CASES) {
      expect(await fromStore(store, 1, flag, kind, metric)).toEqual(fromEvents(events, flag, kind, metric));
    }
    await store.close();
    // the upgrade keeps every event and drops only the index no query reads (migration 4)
    const upgraded = new Database(path, { readonly: true });
    const indexes = upgraded.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events' ORDER BY name").pluck().all();
    expect(indexes).toEqual(['events_by_environment']);
    expect(upgraded.prepare('SELECT count(*) FROM events').pluck().get()).toBe(events.length);
    upgraded.close();
  });

  it('answer from one row per unit: the same after every event is gone, and no plan reads the events', async () => {
    const path = join(dir, 'large.db');
    const events = experimentWorkload(42, { users: 20_000, events: 200_000 });
    const { store, env } = await storeWithEnvironment(path);
    await insertAll(store, env, events, 5000);
    const before = await fromStore(store, env, 'exp-a', 'user', 'purchase');
    expect(before).toEqual(fromEvents(events, 'exp-a', 'user', 'purchase'));
    expect(before.variations[0]!.exposed).toBeGreaterThan(5000);

    const raw = new Database(path);
    defineOutcomeFunctions(raw, () => {});
    const plan = (sql: string, ...params: unknown[]) =>
      raw.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params).map((row) => (row as { detail: string }).detail).join('; ');
    const outcomes = { environment: env, flag: 'exp-a', kind: 'user', metric: 'purchase', after: '' };
    const plans = [
      plan(CHUNK_END_SQL, env, 'exp-a', 'user', '', 10),
      plan(outcomesSql(false), { ...outcomes, last: 'u9' }),
      plan(outcomesSql(true), outcomes),
    ];
    for (const plan of plans) {
      expect(plan).not.toMatch(/\bevents\b/);
      expect(plan).not.toMatch(/SCAN/); // every table is searched by its primary key
    }
    raw.exec('DELETE FROM events');
    raw.close();
    expect(await fromStore(store, env, 'exp-a', 'user', 'purchase')).toEqual(before);
    await store.close();
  }, 60_000);
});
