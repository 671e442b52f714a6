import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, expect, it, vi } from 'vitest';
import { allUnits, experimentWorkload } from '../../test/support/experiment-events';
import type { EnvironmentId } from './records';
import { SqliteStore } from './sqlite-store';

const dir = mkdtempSync(join(tmpdir(), 'avsb-purge-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BULK = ['events', 'event_batches', 'exposure_units', 'conversion_units', 'unit_conversions'];

async function project(store: SqliteStore, key: string): Promise<EnvironmentId> {
  const created = await store.createProject({
    key, name: key, environments: [{ key: 'prod', name: 'Prod', serverKey: `srv-${key}`, clientKey: `cli-${key}` }],
  });
  return created.environments[0]!.id;
}

/** A store with project `big` (60,000 events, folded into the aggregates) and project `small` (600). */
async function filledStore(path: string): Promise<{ store: SqliteStore; big: EnvironmentId; small: EnvironmentId }> {
  const store = new SqliteStore(path);
  const big = await project(store, 'big');
  const small = await project(store, 'small');
  const events = experimentWorkload(3, { users: 5000, events: 60_000 });
  for (let i = 0; i < events.length; i += 1000) await store.insertEvents(big, `b${i}`, events.slice(i, i + 1000), 0);
  await store.insertEvents(small, 's', experimentWorkload(4, { users: 50, events: 600 }), 0);
  await allUnits(store, big, 'exp-a', 'user', 'purchase'); // folds everything
  return { store, big, small };
}

/** Rows per bulk table of an environment, read through another connection. */
function rows(path: string, environmentId: EnvironmentId): number[] {
  const db = new Database(path, { readonly: true });
  const counts = BULK.map((table) => db.prepare(`SELECT count(*) FROM ${table} WHERE environment_id = ?`).pluck().get(environmentId) as number);
  db.close();
  return counts;
}

/** Bytes of the database file and its WAL. */
function bytes(path: string): number {
  const size = (p: string) => {
    try {
      return statSync(p).size;
    } catch {
      return 0;
    }
  };
  return size(path) + size(`${path}-wal`);
}

/** Counts event-loop turns until stopped: other work that got through meanwhile. */
function turns(): { stop(): number } {
  let count = 0;
  let running = true;
  const turn = () => {
    count++;
    if (running) setImmediate(turn);
  };
  setImmediate(turn);
  return { stop: () => ((running = false), count) };
}

it('deletes a project at once, purges its events in steps that let other work through, and gives the space back', async () => {
  const path = join(dir, 'delete.db');
  const { store, big, small } = await filledStore(path);
  const smallRows = rows(path, small);
  const smallUnits = await allUnits(store, small, 'exp-a', 'user', 'purchase');
  const before = bytes(path);

  const loop = turns();
  expect(await store.deleteProject('big')).toBe(true);
  expect(await store.getProject('big')).toBeNull();
  // answered before the purge: the events are still there, and the purge is reported as pending
  expect(rows(path, big)[0]).toBeGreaterThan(0);
  expect((await store.purgeStatus()).pending).toEqual([{ projectKey: 'big', environmentKey: 'prod', deletedAt: expect.any(Number) }]);
  await store.whenPurged();
  // 60,000 events alone are 60 steps of 1,000 rows
  expect(loop.stop()).toBeGreaterThanOrEqual(60);
  expect(await store.purgeStatus()).toEqual({ pending: [], running: false, lastError: null });

  expect(rows(path, big)).toEqual([0, 0, 0, 0, 0]);
  expect(rows(path, small)).toEqual(smallRows);
  expect(await allUnits(store, small, 'exp-a', 'user', 'purchase')).toEqual(smallUnits);
  expect(bytes(path)).toBeLessThan(before / 3);
  const db = new Database(path, { readonly: true });
  expect(db.pragma('freelist_count', { simple: true })).toBe(0);
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  db.close();
  await store.close();
}, 60_000);

it('resumes a purge that a stop interrupted when the store opens again', async () => {
  const path = join(dir, 'resume.db');
  const { store, big, small } = await filledStore(path);
  expect(await store.deleteProject('big')).toBe(true);
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
  await store.close();
  expect(rows(path, big)[0]).toBeGreaterThan(0); // stopped half-way

  const reopened = new SqliteStore(path);
  expect(await reopened.getProject('big')).toBeNull();
  await vi.waitFor(() => expect(rows(path, big)).toEqual([0, 0, 0, 0, 0]), { timeout: 30_000, interval: 50 });
  expect(rows(path, small)[0]).toBe(600);
  await reopened.close();
}, 60_000);

it('purges in the background without a worker too (an in-memory store), including a delete that arrives while it runs', async () => {
  const store = new SqliteStore(':memory:');
  expect(store['_worker']).toBeNull();
  const ids: EnvironmentId[] = [];
  for (const key of ['one', 'two', 'three']) {
    ids.push(await project(store, key));
    await store.insertEvents(ids.at(-1)!, key, experimentWorkload(8, { users: 100, events: 3000 }), 0);
  }
  expect(await store.deleteProject('one')).toBe(true);
  expect(await store.deleteProject('two')).toBe(true); // while the first purge runs
  expect((await store.purgeStatus()).pending.map((p) => p.projectKey)).toEqual(['one', 'two']);
  expect((await store.listEvents(ids[0]!, 0, 10)).length).toBe(10); // not yet purged: the delete did not wait
  await store.whenPurged();
  expect(await store.purgeStatus()).toEqual({ pending: [], running: false, lastError: null });
  expect((await store.listEvents(ids[0]!, 0, 10)).length).toBe(0);
  expect((await store.listEvents(ids[1]!, 0, 10)).length).toBe(0);
  expect((await store.listEvents(ids[2]!, 0, 10)).length).toBe(10);
  await store.close();
});
