import { accessSync, constants, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { migrations } from '../migrations';

/** The SQLite handle type, kept inside the storage module. */
export type Db = Database.Database;

/** How hard each commit is pushed to disk. */
export type SyncMode = 'normal' | 'full';

/**
 * Opens (creating if needed) the database file and brings its schema up to
 * date.
 *
 * Durability: `journal_mode=WAL` with `synchronous=NORMAL`. In WAL mode a
 * commit has written its pages to the `-wal` file with write(2) before
 * COMMIT returns; NORMAL only skips the fsync at each commit (SQLite fsyncs
 * at checkpoints). Pages handed to the kernel survive the death of the
 * process — `kill -9`, a crash, an OOM kill — because the kernel writes them
 * out on its own, so every acknowledged write is there when the file is
 * reopened, and WAL frame checksums make recovery ignore a torn tail. What
 * NORMAL gives up is the last commits before an operating-system crash or a
 * power cut (the database stays consistent even then). `synchronous: 'full'`
 * fsyncs the WAL at every commit for that case too, at a cost in throughput.
 * The kill -9 test in `sqlite-store.crash.test.ts` exercises the default.
 */
export function openDatabase(path: string, sync: SyncMode = 'normal', readonly = false): Db {
  refuseMissingFolder(path);
  if (readonly) return openReadOnly(path);
  refuseReadOnlyFile(path);
  const db = new Database(path);
  try {
    // before the first table exists, so that a deleted project's pages can be given back (see SqliteStore.deleteProject)
    db.pragma('auto_vacuum = INCREMENTAL');
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${sync === 'full' ? 'FULL' : 'NORMAL'}`);
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * SQLite creates the file but not its folder, and its own error ("the directory does not exist") names neither:
 * name the folder, the file and the remedy instead.
 */
function refuseMissingFolder(path: string): void {
  if (path === ':memory:' || path === '') return;
  const folder = dirname(resolve(path));
  if (existsSync(folder)) return;
  throw new Error(
    `the database folder ${folder} does not exist (for the database ${resolve(path)}): create it first (mkdir -p), or pick a file in an existing folder`,
  );
}

/**
 * A file the server cannot write would open (SQLite falls back to reading)
 * and then fail on every change and event: refuse it at start, naming the
 * file and the cause. Serving a read-only copy on purpose is
 * `SqliteStore(path, { readonly: true })`.
 */
function refuseReadOnlyFile(path: string): void {
  if (path === ':memory:' || path === '' || !existsSync(path)) return;
  const full = resolve(path);
  // the folder too: SQLite creates the -wal and -shm files beside the database
  for (const target of [full, dirname(full)]) {
    try {
      accessSync(target, constants.W_OK);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'not writable';
      throw new Error(
        `the database ${target === full ? 'file' : 'folder'} ${target} is read-only (${code}): the server writes every change ` +
          'and event there. Make it writable, or open the file with SqliteStore(path, { readonly: true }) to serve it read-only',
      );
    }
  }
}

/** Opens an existing, up-to-date database for reading only: every write fails with SQLITE_READONLY. */
function openReadOnly(path: string): Db {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const applied = new Set(db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[]);
    const missing = migrations.filter((m) => !applied.has(m.version));
    if (missing.length > 0) {
      throw new Error(`the database ${path} opened read-only needs migrating (to schema version ${missing.at(-1)!.version}): open it writable once`);
    }
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Applies every migration not yet in `schema_migrations`, each in its own transaction. */
function migrate(db: Db): void {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
  );
  const appliedVersions = () => new Set(db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[]);
  const known = new Set(migrations.map((m) => m.version));
  for (const version of appliedVersions()) {
    if (!known.has(version)) {
      throw new Error(`the database has schema version ${version}, newer than this server knows: upgrade @avsb/server`);
    }
  }
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const migration of migrations) {
    db.transaction(() => {
      // re-checked inside the (immediate) transaction: another process may have migrated meanwhile
      if (appliedVersions().has(migration.version)) return;
      db.exec(migration.sql);
      record.run(migration.version, migration.name, Date.now());
    }).immediate();
  }
}
