import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { generateEnvironmentKeys } from '../domain/keys';
import { seedExampleProject } from '../seed';
import type { ChangeMessage } from './change-feed';
import { migrations } from './migrations';
import type { EventInput } from './records';
import { SqliteStore } from './sqlite-store';
import { EVENTS_BEFORE_SQL } from './sqlite/events';

const dir = mkdtempSync(join(tmpdir(), 'avsb-store-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SqliteStore', () => {
  it('creates the schema once, in WAL mode, and records the migrations', async () => {
    const path = join(dir, 'schema.db');
    await new SqliteStore(path).close();
    await new SqliteStore(path).close(); // reopening applies nothing twice
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const applied = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
    expect(applied).toEqual(migrations.map((m) => ({ version: m.version, name: m.name })));
    db.close();
  });

  it('refuses a database from a newer server', async () => {
    const path = join(dir, 'newer.db');
    await new SqliteStore(path).close();
    const db = new Database(path);
    db.prepare('INSERT INTO schema_migrations VALUES (999, ?, 0)').run('future');
    db.close();
    expect(() => new SqliteStore(path)).toThrow(/schema version 999/);
  });

  it('refuses a file in a folder that does not exist, naming the folder and what to do (and creates nothing)', () => {
    const path = join(dir, 'no-such-folder', 'avsb.db');
    for (const readonly of [false, true]) {
      expect(() => new SqliteStore(path, { readonly })).toThrow(
        `the database folder ${join(dir, 'no-such-folder')} does not exist (for the database ${path}): create it first (mkdir -p), or pick a file in an existing folder`,
      );
    }
    expect(existsSync(join(dir, 'no-such-folder'))).toBe(false);
  });

  it('seeds only an empty store', async () => {
    const store = new SqliteStore(join(dir, 'seed.db'));
    expect(await seedExampleProject(store)).toBe(true);
    expect(await seedExampleProject(store)).toBe(false);
    const [project] = await store.listProjects();
    expect(project!.environments.map((e) => [e.key, e.revision])).toEqual([['production', 1], ['staging', 1]]);
    await store.close();
  });

  it('publishes committed changes and nothing for refused edits', async () => {
    const store = new SqliteStore(':memory:');
    const messages: ChangeMessage[] = [];
    store.changes.subscribe((m) => messages.push(m));
    const project = await store.createProject({ key: 'p', name: 'P', environments: [{ key: 'e', name: 'E', ...generateEnvironmentKeys() }] });
    const env = project.environments[0]!;
    const item = { kind: 'flag' as const, key: 'f', data: { key: 'f', on: true, variations: [1], fallthrough: { variation: 0 } } };
    const outcome = await store.editEnvironment(env.id, () => ({ writes: [{ action: 'put', item }], result: 'ok' }));
    expect(outcome).toEqual({ revision: 1, result: 'ok' });
    await expect(
      store.editEnvironment(env.id, () => {
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(await store.editEnvironment(env.id, () => ({ writes: [], result: null }))).toEqual({ revision: 1, result: null });
    await store.insertEvents(env.id, 'b1', [], 1);
    await store.rotateSdkKey(env.id, 'client', 'cli-new');
    expect((await store.findSdkKey('cli-new'))!.kind).toBe('client');
    expect(await store.findSdkKey(env.clientKey)).toBeNull();
    expect(await store.deleteProject('p')).toBe(true);
    expect(messages).toEqual([
      { type: 'items', environmentId: env.id, revision: 1, items: [{ kind: 'flag', key: 'f' }] },
      { type: 'key-rotated', environmentId: env.id, kind: 'client' },
      { type: 'environment-deleted', environmentId: env.id },
    ]);
    await store.close();
  });

  it("lists an environment's events newest first, page by page, by its index however many other events lie between", async () => {
    const path = join(dir, 'before.db');
    const store = new SqliteStore(path);
    const { environments } = await store.createProject({
      key: 'p', name: 'P',
      environments: ['a', 'b'].map((key) => ({ key, name: key, ...generateEnvironmentKeys() })),
    });
    const [a, b] = environments.map((e) => e.id) as [number, number];
    const event = (n: number): EventInput => {
      const body = { kind: 'custom', time: n, key: 'k' + n, contextKeys: { user: 'u' } };
      return { kind: 'custom', time: n, key: body.key, variation: null, inExperiment: false, value: null, contextKeys: body.contextKeys, json: JSON.stringify(body) };
    };
    // a's events are 0, 1000, 2000, …; b's fill the ids between
    for (let n = 0; n < 5000; n += 1000) {
      await store.insertEvents(a, 'a' + n, [event(n)], n);
      await store.insertEvents(b, 'b' + n, Array.from({ length: 999 }, (_, i) => event(n + 1 + i)), n);
    }
    const page = await store.listEventsBefore(a, Number.MAX_SAFE_INTEGER, 3);
    expect(page.map((e) => e.event.time)).toEqual([4000, 3000, 2000]);
    expect(page[0]).toMatchObject({ receivedAt: 4000, event: { kind: 'custom', key: 'k4000' } });
    const rest = await store.listEventsBefore(a, page.at(-1)!.id, 3);
    expect(rest.map((e) => e.event.time)).toEqual([1000, 0]);
    expect(await store.listEventsBefore(a, rest.at(-1)!.id, 3)).toEqual([]);
    expect((await store.listEventsBefore(b, Number.MAX_SAFE_INTEGER, 1))[0]!.event.time).toBe(4999);
    await store.close();

    // a backwards range of (environment_id, id): no scan of the table, no sort
    const raw = new Database(path, { readonly: true });
    const plan = raw.prepare(`EXPLAIN QUERY PLAN ${EVENTS_BEFORE_SQL}`).all(a, Number.MAX_SAFE_INTEGER, 1000).map((row) => (row as { detail: string }).detail).join('; ');
    raw.close();
    expect(plan).toBe('SEARCH events USING INDEX events_by_environment (environment_id=? AND id<?)');
  });

  it('never reuses an environment id', async () => {
    const store = new SqliteStore(':memory:');
    const create = () => store.createProject({ key: 'p', name: 'P', environments: [{ key: 'e', name: 'E', ...generateEnvironmentKeys() }] });
    const first = (await create()).environments[0]!.id;
    await store.deleteProject('p');
    expect((await create()).environments[0]!.id).not.toBe(first);
    await store.close();
  });
});
