import type { ChangeFeed } from './change-feed';
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

/**
 * Everything the server keeps, independent of the database: projects,
 * environments, SDK keys, flags and segments with their history and
 * revision counters, SDK events and the batch ids that make them idempotent.
 *
 * Every method is asynchronous so that a networked database (PostgreSQL)
 * fits behind the same interface; {@link SqliteStore} answers at once.
 * A store publishes every committed change on {@link Store.changes}.
 * Errors are `AvsbError`s (`not_found`, `conflict`, …).
 */
export interface Store {
  /** Where committed changes are announced. */
  readonly changes: ChangeFeed;
  /** True when the store serves reads only: every write fails (the server answers 503). */
  readonly readonly?: boolean;

  /** Every project, in creation order. */
  listProjects(): Promise<ProjectRecord[]>;
  getProject(projectKey: string): Promise<ProjectRecord | null>;
  /** Creates a project with its first environments; `conflict` when the key exists. */
  createProject(input: { key: string; name: string; environments: readonly NewEnvironment[] }): Promise<ProjectRecord>;
  /**
   * Deletes a project with everything in it; false when there was none. The
   * project, its environments and keys are gone for every reader when this
   * resolves; its events may still be purged afterwards, in the background,
   * in steps that let other requests through (see {@link Store.purgeStatus}).
   */
  deleteProject(projectKey: string): Promise<boolean>;
  /** The deleted environments whose events are still being purged in the background; none pending once it is done. */
  purgeStatus(): Promise<PurgeStatus>;

  getEnvironment(projectKey: string, environmentKey: string): Promise<EnvironmentRecord | null>;
  /** Adds an environment; `not_found` for an unknown project, `conflict` when the key exists. */
  createEnvironment(projectKey: string, environment: NewEnvironment): Promise<EnvironmentRecord>;

  /** Resolves an SDK key (server or client); null for unknown or rotated keys. */
  findSdkKey(secret: string): Promise<SdkKeyMatch | null>;
  /** Replaces an environment's key of one kind; the old key stops working at once. */
  rotateSdkKey(environmentId: EnvironmentId, kind: SdkKeyKind, newSecret: string): Promise<void>;

  /** The environment with its flags and segments, read consistently; null when unknown. */
  readEnvironment(environmentId: EnvironmentId): Promise<EnvironmentSnapshot | null>;
  /**
   * Edits an environment atomically and serialised with every other edit of
   * it: `edit` gets a fresh snapshot and returns the writes (it may throw to
   * refuse). When there are writes, the revision goes up by one, every write
   * is recorded in the history and the change is published.
   */
  editEnvironment<T>(environmentId: EnvironmentId, edit: (snapshot: EnvironmentSnapshot) => EnvironmentEdit<T>): Promise<EditOutcome<T>>;
  /** The newest `limit` history entries, newest first. */
  listHistory(environmentId: EnvironmentId, limit: number): Promise<HistoryEntry[]>;

  /**
   * Creates a project from a document, or with `replace` makes an existing
   * one exactly the document (environments it does not list are deleted). New
   * environments get keys from `newKeys`. One transaction; the events of
   * the environments it deletes are purged in the background, as a deleted
   * project's are.
   */
  importProject(
    document: ProjectImport,
    options: { replace: boolean; newKeys: () => { serverKey: string; clientKey: string } },
  ): Promise<ProjectRecord>;

  /**
   * Stores a batch of events in one transaction unless its id was stored
   * before for the environment; `not_found` (nothing stored) when the
   * environment was deleted.
   */
  insertEvents(environmentId: EnvironmentId, batchId: string, events: readonly EventInput[], receivedAt: number): Promise<BatchOutcome>;
  /** Events with an id above `after`, oldest first. */
  listEvents(environmentId: EnvironmentId, after: number, limit: number): Promise<StoredEvent[]>;
  /**
   * Events with an id below `before`, newest first: however many events other
   * environments stored in between (ids are one sequence for the server).
   */
  listEventsBefore(environmentId: EnvironmentId, before: number, limit: number): Promise<StoredEvent[]>;
  /** The id of the newest event of the environment (0 when none). */
  lastEventId(environmentId: EnvironmentId): Promise<number>;
  /**
   * The units exposed in experiment `flagKey` (by the context key of
   * `contextKind`), each in the variation of its first exposure, with its
   * conversions of `metric` from that exposure on; in chunks, in the order of
   * their first stored exposure. Read from aggregates kept up to date as events
   * arrive, without holding up other requests for long.
   */
  experimentUnits(environmentId: EnvironmentId, flagKey: string, contextKind: string, metric: string): AsyncIterable<readonly ExperimentUnit[]>;

  /** Closes the store (and its change feed). */
  close(): Promise<void>;
}
