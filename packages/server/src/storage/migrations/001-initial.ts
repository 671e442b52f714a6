import type { Migration } from './migration';

/** The first schema: projects, environments, keys, items, history, events. */
export const initialSchema: Migration = {
  version: 1,
  name: 'initial',
  sql: `
    CREATE TABLE projects (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      key TEXT NOT NULL UNIQUE,
      name TEXT NOT NULL,
      created_at INTEGER NOT NULL
    );

    CREATE TABLE environments (
      -- AUTOINCREMENT: an id is never reused, so caches keyed by it cannot go stale
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
      key TEXT NOT NULL,
      name TEXT NOT NULL,
      revision INTEGER NOT NULL DEFAULT 0,
      created_at INTEGER NOT NULL,
      UNIQUE (project_id, key)
    );

    CREATE TABLE sdk_keys (
      secret TEXT PRIMARY KEY,
      environment_id INTEGER NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
      kind TEXT NOT NULL CHECK (kind IN ('server', 'client')),
      created_at INTEGER NOT NULL,
      UNIQUE (environment_id, kind)
    ) WITHOUT ROWID;

    CREATE TABLE items (
      id INTEGER PRIMARY KEY,
      environment_id INTEGER NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
      kind TEXT NOT NULL CHECK (kind IN ('flag', 'segment')),
      key TEXT NOT NULL,
      name TEXT,
      description TEXT,
      data TEXT NOT NULL,
      UNIQUE (environment_id, kind, key)
    );

    CREATE TABLE history (
      id INTEGER PRIMARY KEY,
      environment_id INTEGER NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
      revision INTEGER NOT NULL,
      time INTEGER NOT NULL,
      kind TEXT NOT NULL,
      key TEXT NOT NULL,
      action TEXT NOT NULL CHECK (action IN ('create', 'update', 'delete')),
      before TEXT,
      after TEXT
    );
    CREATE INDEX history_by_environment ON history (environment_id, id);

    CREATE TABLE events (
      id INTEGER PRIMARY KEY,
      environment_id INTEGER NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
      received_at INTEGER NOT NULL,
      kind TEXT NOT NULL,
      time INTEGER,
      key TEXT,
      variation INTEGER,
      in_experiment INTEGER NOT NULL DEFAULT 0,
      value REAL,
      context_keys TEXT,
      body TEXT NOT NULL
    );
    CREATE INDEX events_by_environment ON events (environment_id, id);
    CREATE INDEX events_by_key ON events (environment_id, key, kind) WHERE key IS NOT NULL;

    CREATE TABLE event_batches (
      environment_id INTEGER NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
      batch_id TEXT NOT NULL,
      received_at INTEGER NOT NULL,
      count INTEGER NOT NULL,
      PRIMARY KEY (environment_id, batch_id)
    ) WITHOUT ROWID;
  `,
};
