import type { BackoffOptions } from '@avsb/common';
import { AvsbError } from '../errors';
import type { Logger } from '../logger';
import { quietLogger } from '../logger';
import type { ChangeFeed, ChangeMessage } from './change-feed';
import { LocalChangeFeed } from './change-feed';
import type {
  BatchOutcome,
  EditOutcome,
  EnvironmentEdit,
  EnvironmentId,
  EnvironmentRecord,
  EnvironmentSnapshot,
  EventInput,
  ExperimentUnit,
  HistoryEntry,
  NewEnvironment,
  ProjectImport,
  ProjectRecord,
  PurgeStatus,
  SdkKeyKind,
  SdkKeyMatch,
  StoredEvent,
} from './records';
import { EventTables } from './sqlite/events';
import { ExperimentUnits, UNITS_PER_CHUNK } from './sqlite/experiment-units';
import { FoldScheduler } from './sqlite/fold-scheduler';
import { ItemTables } from './sqlite/items';
import type { Db, SyncMode } from './sqlite/open';
import { openDatabase } from './sqlite/open';
import { ProjectTables } from './sqlite/projects';
import { Purger } from './sqlite/purge';
import type { StorageWorker } from './sqlite/storage-worker-client';
import { startStorageWorker } from './sqlite/storage-worker-client';
import type { Store } from './store';
import { ExperimentUnitList } from './unit-list';

const yieldToIo = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Options of {@link SqliteStore}. */
export interface SqliteStoreOptions {
  /** The change feed to publish on; an in-process one by default. */
  readonly changes?: ChangeFeed;
  /** `normal` (default: survives kill -9, see `openDatabase`) or `full` (also survives power loss). */
  readonly synchronous?: SyncMode;
  /**
   * Open an existing file for reading only (a snapshot, a read-only volume):
   * reads work and every write fails, which the server answers with 503
   * `unavailable`. Without it, a file the process cannot write is refused.
   */
  readonly readonly?: boolean;
  /** Where background work reports failures (a purge that failed and will be retried); warnings and errors to stderr by default. */
  readonly logger?: Logger;
  /** The delays between attempts of a failed purge; `@avsb/common`'s backoff defaults (1 s doubling to 30 s). */
  readonly purgeRetry?: BackoffOptions;
}

/**
 * The {@link Store} in one SQLite file (better-sqlite3): WAL journal,
 * versioned migrations, prepared statements, one transaction per edit and
 * per event batch. Write transactions are `BEGIN IMMEDIATE`, so edits of an
 * environment are serialised even across processes sharing the file.
 */
export class SqliteStore implements Store {
  readonly changes: ChangeFeed;
  /** Whether the file was opened read-only (see {@link SqliteStoreOptions.readonly}). */
  readonly readonly: boolean;
  private readonly _db: Db;
  private readonly _projects: ProjectTables;
  private readonly _items: ItemTables;
  private readonly _events: EventTables;
  private readonly _units: ExperimentUnits;
  private readonly _purger: Purger;
  private _worker: StorageWorker | null = null;
  private readonly _folds: FoldScheduler;
  private _closed = false;

  /** Opens or creates the database at `path` (`:memory:` works for throwaway stores). */
  constructor(path: string, options: SqliteStoreOptions = {}) {
    this._db = openDatabase(path, options.synchronous, options.readonly === true);
    this.readonly = options.readonly === true;
    // up to 64 MiB of pages (default 2 MiB): folding and reading the experiment aggregates touch pages all over them
    this._db.pragma('cache_size = -65536');
    this.changes = options.changes ?? new LocalChangeFeed();
    this._projects = new ProjectTables(this._db);
    this._items = new ItemTables(this._db);
    this._events = new EventTables(this._db);
    this._units = new ExperimentUnits(this._db);
    this._folds = new FoldScheduler(this._units);
    this._purger = new Purger(this._db, () => this._worker, { logger: options.logger ?? quietLogger, retry: options.purgeRetry });
    if (this.readonly) return;
    // checkpoints and purges in a worker thread with its own connection: their fsyncs never stall a request
    this._worker = startStorageWorker(this._db, path, options.synchronous ?? 'normal', () => (this._worker = null));
    // a purge that a stop or a crash interrupted, and events not yet folded (all of them in an older file), go on in the background
    this._purger.start();
    this._folds.schedule();
  }

  async listProjects(): Promise<ProjectRecord[]> {
    return this._projects.listProjects();
  }

  async getProject(projectKey: string): Promise<ProjectRecord | null> {
    return this._projects.getProject(projectKey);
  }

  async createProject(input: { key: string; name: string; environments: readonly NewEnvironment[] }): Promise<ProjectRecord> {
    return this._write(() => {
      const id = this._projects.insertProject(input.key, input.name);
      for (const environment of input.environments) this._projects.insertEnvironment(id, input.key, environment);
      return this._projects.getProject(input.key)!;
    });
  }

  /**
   * Deletes the project in one short transaction (it, its keys, flags and
   * segments are gone when it commits, and its environments are recorded in
   * `purges`) and resolves; its events and aggregates are purged in the
   * background, in bounded steps in the storage worker, and the space given
   * back (see `Purger`, {@link SqliteStore.purgeStatus}, {@link SqliteStore.whenPurged}).
   */
  async deleteProject(projectKey: string): Promise<boolean> {
    const deleted = this._writeWithoutCascade(() => {
      const environments = this._projects.deleteProject(projectKey);
      for (const e of environments ?? []) this._purger.record(e.id, projectKey, e.key);
      return environments;
    });
    if (deleted === null) return false;
    for (const { id } of deleted) this._publish({ type: 'environment-deleted', environmentId: id });
    this._purger.start();
    return true;
  }

  async purgeStatus(): Promise<PurgeStatus> {
    return this._purger.status();
  }

  /**
   * Resolves once the events of every deleted environment are purged and
   * their space given back (or when the store closes): for a script that
   * deletes or replaces a project and wants the file small before it exits.
   * A failed attempt is retried meanwhile; the server itself never waits.
   */
  whenPurged(): Promise<void> {
    return this._purger.whenDone();
  }

  async getEnvironment(projectKey: string, environmentKey: string): Promise<EnvironmentRecord | null> {
    return this._projects.getEnvironment(projectKey, environmentKey);
  }

  async createEnvironment(projectKey: string, environment: NewEnvironment): Promise<EnvironmentRecord> {
    return this._write(() => {
      const projectId = this._projects.projectId(projectKey);
      if (projectId === null) throw new AvsbError('not_found', `project "${projectKey}" not found`);
      return this._projects.getEnvironmentById(this._projects.insertEnvironment(projectId, projectKey, environment))!;
    });
  }

  async findSdkKey(secret: string): Promise<SdkKeyMatch | null> {
    return this._projects.findKey(secret);
  }

  async rotateSdkKey(environmentId: EnvironmentId, kind: SdkKeyKind, newSecret: string): Promise<void> {
    this._write(() => this._projects.rotateKey(environmentId, kind, newSecret));
    this._publish({ type: 'key-rotated', environmentId, kind });
  }

  async readEnvironment(environmentId: EnvironmentId): Promise<EnvironmentSnapshot | null> {
    return this._db.transaction(() => {
      const environment = this._projects.getEnvironmentById(environmentId);
      return environment ? this._items.snapshot(environment) : null;
    })();
  }

  async editEnvironment<T>(
    environmentId: EnvironmentId,
    edit: (snapshot: EnvironmentSnapshot) => EnvironmentEdit<T>,
  ): Promise<EditOutcome<T>> {
    const outcome = this._write(() => {
      const environment = this._projects.getEnvironmentById(environmentId);
      if (!environment) throw new AvsbError('not_found', 'environment not found');
      const { writes, result } = edit(this._items.snapshot(environment));
      if (writes.length === 0) return { revision: environment.revision, result, changed: false, writes };
      return { revision: this._items.apply(environmentId, writes), result, changed: true, writes };
    });
    if (outcome.changed) {
      const items = outcome.writes.map((w) => (w.action === 'put' ? { kind: w.item.kind, key: w.item.key } : { kind: w.kind, key: w.key }));
      this._publish({ type: 'items', environmentId, revision: outcome.revision, items });
    }
    return { revision: outcome.revision, result: outcome.result };
  }

  async listHistory(environmentId: EnvironmentId, limit: number): Promise<HistoryEntry[]> {
    return this._items.history(environmentId, limit);
  }

  async importProject(
    document: ProjectImport,
    options: { replace: boolean; newKeys: () => { serverKey: string; clientKey: string } },
  ): Promise<ProjectRecord> {
    const messages: ChangeMessage[] = [];
    const project = this._writeWithoutCascade(() => {
      let projectId = this._projects.projectId(document.key);
      if (projectId !== null && !options.replace) {
        throw new AvsbError('conflict', `project "${document.key}" already exists (import with replace to overwrite it)`);
      }
      if (projectId === null) projectId = this._projects.insertProject(document.key, document.name);
      else this._projects.renameProject(projectId, document.name);
      const existing = new Map(this._projects.environments(projectId).map((e) => [e.key, e]));
      for (const env of document.environments) {
        let record = existing.get(env.key);
        existing.delete(env.key);
        if (record) this._projects.renameEnvironment(record.id, env.name);
        else {
          const id = this._projects.insertEnvironment(projectId, document.key, { key: env.key, name: env.name, ...options.newKeys() });
          record = this._projects.getEnvironmentById(id)!;
        }
        const revision = this._items.replaceAll(record, env.flags, env.segments);
        if (revision !== null) messages.push({ type: 'reset', environmentId: record.id, revision });
      }
      for (const gone of existing.values()) {
        this._projects.deleteEnvironment(gone.id);
        this._purger.record(gone.id, document.key, gone.key);
        messages.push({ type: 'environment-deleted', environmentId: gone.id });
      }
      return this._projects.getProject(document.key)!;
    });
    for (const message of messages) this._publish(message);
    if (messages.some((m) => m.type === 'environment-deleted')) this._purger.start();
    return project;
  }

  async insertEvents(
    environmentId: EnvironmentId,
    batchId: string,
    events: readonly EventInput[],
    receivedAt: number,
  ): Promise<BatchOutcome> {
    const { accepted, duplicate, firstId, lastId } = this._events.insert(environmentId, batchId, events, receivedAt);
    if (lastId > 0) {
      this._units.stored(environmentId, firstId, lastId, events);
      this._publish({ type: 'events', environmentId, firstId, lastId });
      this._folds.schedule();
    }
    return { accepted, duplicate };
  }

  async listEvents(environmentId: EnvironmentId, after: number, limit: number): Promise<StoredEvent[]> {
    return this._events.list(environmentId, after, limit);
  }

  async listEventsBefore(environmentId: EnvironmentId, before: number, limit: number): Promise<StoredEvent[]> {
    return this._events.listBefore(environmentId, before, limit);
  }

  async lastEventId(environmentId: EnvironmentId): Promise<number> {
    return this._events.lastId(environmentId);
  }

  /**
   * Folds the events stored so far into the aggregates, then reads the units
   * in chunks of {@link UNITS_PER_CHUNK}, giving the event loop a turn between
   * chunks so that other requests are served while a large experiment is
   * read. Each unit is read consistently; units read later may include
   * events stored meanwhile.
   */
  async *experimentUnits(
    environmentId: EnvironmentId,
    flagKey: string,
    contextKind: string,
    metric: string,
  ): AsyncIterable<readonly ExperimentUnit[]> {
    if (!this.readonly) {
      // a pass that starts after the request: every event stored before it counts (a read-only file: as folded when written)
      await this._folds.catchUpFromNow();
    }
    const units = new ExperimentUnitList();
    for (let after: string | null = ''; after !== null; ) {
      if (this._closed) throw new AvsbError('internal', 'the store is closed');
      after = this._units.readChunk(units, environmentId, flagKey, contextKind, metric, after, UNITS_PER_CHUNK);
      if (after !== null) await yieldToIo();
    }
    // read in unit-key order, handed out in first-exposure order: a turn between slices too
    for (const slice of units.slices(UNITS_PER_CHUNK * 8)) {
      yield slice;
      await yieldToIo();
    }
  }

  async close(): Promise<void> {
    if (this._closed) return;
    this._closed = true;
    this._folds.close();
    this.changes.close();
    this._purger.stop();
    // the worker's connection first: it may be mid-step; closing the last connection then checkpoints the WAL away
    await this._worker?.close();
    this._db.close();
  }

  /**
   * Runs `fn` in a write transaction with foreign keys off, so that deleting
   * an environment does not cascade to its events (the Purger deletes those
   * in steps). `fn` deletes the dependent rows itself. Safe: nothing else
   * runs on the connection until it returns, and the pragma is a no-op
   * inside a transaction, so it is set around it.
   */
  private _writeWithoutCascade<T>(fn: () => T): T {
    this._db.pragma('foreign_keys = OFF');
    try {
      return this._write(fn);
    } finally {
      this._db.pragma('foreign_keys = ON');
    }
  }

  /** Runs `fn` in a write (IMMEDIATE) transaction. */
  private _write<T>(fn: () => T): T {
    return this._db.transaction(fn).immediate();
  }

  private _publish(message: ChangeMessage): void {
    this.changes.publish(message);
  }
}
