import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, afterEach, expect, it, vi } from 'vitest';
import { experimentWorkload } from '../../test/support/experiment-events';
import type { EnvironmentId } from './records';
import { SqliteStore } from './sqlite-store';
import { WAL_HARD_LIMIT } from './sqlite/storage-worker-protocol';

const MiB = 1024 * 1024;

const dir = mkdtempSync(join(tmpdir(), 'avsb-storage-worker-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

async function project(store: SqliteStore, key: string): Promise<EnvironmentId> {
  const created = await store.createProject({
    key, name: key, environments: [{ key: 'prod', name: 'Prod', serverKey: `srv-${key}`, clientKey: `cli-${key}` }],
  });
  return created.environments[0]!.id;
}

const walBytes = (path: string): number => {
  try {
    return statSync(`${path}-wal`).size;
  } catch {
    return 0;
  }
};

/** Records what the main thread runs on any better-sqlite3 connection: the worker's calls are in another thread, unseen. */
function mainThreadSql(): string[] {
  const seen: string[] = [];
  const probe = new Database(':memory:');
  const statement = Object.getPrototypeOf(probe.prepare('SELECT 1')) as { run(...args: unknown[]): unknown; source: string };
  probe.close();
  const run = statement.run;
  vi.spyOn(statement, 'run').mockImplementation(function (this: { source: string }, ...args: unknown[]) {
    seen.push(this.source);
    return run.apply(this, args);
  });
  const pragma = Database.prototype.pragma;
  vi.spyOn(Database.prototype, 'pragma').mockImplementation(function (this: Database.Database, source: string, options?: Database.PragmaOptions) {
    seen.push(`PRAGMA ${source}`);
    return pragma.call(this, source, options);
  });
  return seen;
}

it('purges a deleted project and checkpoints in the storage worker: the main thread runs none of it', async () => {
  const path = join(dir, 'purge.db');
  const store = new SqliteStore(path);
  const big = await project(store, 'big');
  const events = experimentWorkload(5, { users: 2000, events: 30_000 });
  for (let i = 0; i < events.length; i += 1000) await store.insertEvents(big, `b${i}`, events.slice(i, i + 1000), 0);

  const seen = mainThreadSql();
  expect(await store.deleteProject('big')).toBe(true);
  expect(await store.getProject('big')).toBeNull();
  await store.whenPurged();
  // the worker did it: the rows are gone and the space is back, read through another connection
  const db = new Database(path, { readonly: true });
  expect(db.prepare('SELECT count(*) FROM events WHERE environment_id = ?').pluck().get(big)).toBe(0);
  expect(db.prepare('SELECT count(*) FROM purges').pluck().get()).toBe(0);
  expect(db.pragma('freelist_count', { simple: true })).toBe(0);
  db.close();
  // while the main thread only deleted the project's own rows and recorded the purge
  expect(seen.filter((sql) => /^DELETE FROM (events|event_batches|exposure_units|conversion_units|unit_conversions)\b/.test(sql))).toEqual([]);
  expect(seen.filter((sql) => /incremental_vacuum|wal_checkpoint/.test(sql))).toEqual([]);
  await store.close();
}, 60_000);

it('keeps the WAL bounded under sustained ingestion, checkpointed by the worker', async () => {
  const path = join(dir, 'ingest.db');
  const store = new SqliteStore(path);
  const env = await project(store, 'ingest');
  const batch = experimentWorkload(6, { users: 500, events: 1000 });
  let maxWal = 0;
  // back to back, a worst case: the worker's passes alone fall behind and the main connection steps in past WAL_HARD_LIMIT
  for (let i = 0; i < 700; i++) {
    await store.insertEvents(env, `b${i}`, batch, i);
    maxWal = Math.max(maxWal, walBytes(path));
    if (i % 10 === 9) await new Promise((resolve) => setTimeout(resolve, 1));
  }
  const fileBytes = statSync(path).size;
  expect(fileBytes).toBeGreaterThan(120 * MiB); // far more went through the WAL than it ever held
  expect(maxWal).toBeLessThan(WAL_HARD_LIMIT + 32 * MiB);
  expect(store['_worker']!.checkpoints).toBeGreaterThan(0);
  await store.close();
  expect(walBytes(path)).toBe(0); // closing the last connection checkpoints and removes it
}, 120_000);

it('close() holds the process until the worker has stopped, even with its first purge pending', () => {
  const support = fileURLToPath(new URL('../../test/support/', import.meta.url));
  const out = execFileSync(process.execPath, ['--import', join(support, 'register-ts.mjs'), join(support, 'open-close-store.ts'), join(dir, 'close.db')], {
    encoding: 'utf8',
  });
  expect(out).toBe('closed with a worker\n');
}, 30_000);
