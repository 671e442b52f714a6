import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { generateEnvironmentKeys } from '../domain/keys';
import { seedExampleProject } from '../seed';
import type { ChangeMessage } from './change-feed';
import { migrations } from './migrations';
import { SqliteStore } from './sqlite-store';

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

  it('never reuses an environment id', async () => {
    const store = new SqliteStore(':memory:');
    const create = () => store.createProject({ key: 'p', name: 'P', environments: [{ key: 'e', name: 'E', ...generateEnvironmentKeys() }] });
    const first = (await create()).environments[0]!.id;
    await store.deleteProject('p');
    expect((await create()).environments[0]!.id).not.toBe(first);
    await store.close();
  });
});
