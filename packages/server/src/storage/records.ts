/** The id of an environment inside a store; opaque to everything but the store. */
export type EnvironmentId = number;

/** The two kinds of SDK key: `srv-…` (whole datafile) and `cli-…` (client-side flags only). */
export type SdkKeyKind = 'server' | 'client';

/** Flags and segments are the two kinds of item an environment holds. */
export type ItemKind = 'flag' | 'segment';

/** A JSON object. */
export type JsonObject = Record<string, unknown>;

/** A project with its environments (in creation order). */
export interface ProjectRecord {
  readonly key: string;
  readonly name: string;
  readonly createdAt: number;
  readonly environments: readonly EnvironmentRecord[];
}

/** An environment of a project, with its current keys and revision. */
export interface EnvironmentRecord {
  readonly id: EnvironmentId;
  readonly projectKey: string;
  readonly key: string;
  readonly name: string;
  /** Incremented by one with every change of the environment's flags or segments. */
  readonly revision: number;
  readonly createdAt: number;
  readonly serverKey: string;
  readonly clientKey: string;
}

/** What an SDK key resolves to. */
export interface SdkKeyMatch {
  readonly environmentId: EnvironmentId;
  readonly projectKey: string;
  readonly environmentKey: string;
  readonly kind: SdkKeyKind;
  readonly revision: number;
}

/**
 * A flag or a segment: `data` is exactly its datafile form (with `key`),
 * `name` and `description` are the admin-only extras the datafile leaves out.
 */
export interface StoredItem {
  readonly kind: ItemKind;
  readonly key: string;
  readonly name?: string;
  readonly description?: string;
  readonly data: JsonObject;
}

/** An environment and everything in it, read in one consistent snapshot. */
export interface EnvironmentSnapshot {
  readonly environment: EnvironmentRecord;
  /** In creation order (the datafile's order). */
  readonly flags: readonly StoredItem[];
  readonly segments: readonly StoredItem[];
}

/** One write of an edit: create-or-replace an item, or delete one. */
export type ItemWrite =
  | { readonly action: 'put'; readonly item: StoredItem }
  | { readonly action: 'delete'; readonly kind: ItemKind; readonly key: string };

/** What an edit function decides: the writes (none: nothing changes) and a result for the caller. */
export interface EnvironmentEdit<T> {
  readonly writes: readonly ItemWrite[];
  readonly result: T;
}

/** The outcome of an edit: the environment's revision afterwards, and the edit's result. */
export interface EditOutcome<T> {
  readonly revision: number;
  readonly result: T;
}

/** One row of an environment's change history. `before`/`after` are admin forms (datafile form + name/description). */
export interface HistoryEntry {
  readonly revision: number;
  readonly time: number;
  readonly kind: ItemKind;
  readonly key: string;
  readonly action: 'create' | 'update' | 'delete';
  readonly before: JsonObject | null;
  readonly after: JsonObject | null;
}

/** A new environment, with the keys it starts with. */
export interface NewEnvironment {
  readonly key: string;
  readonly name: string;
  readonly serverKey: string;
  readonly clientKey: string;
}

/** A whole project as imported: environments with their flags and segments, in order. */
export interface ProjectImport {
  readonly key: string;
  readonly name: string;
  readonly environments: readonly {
    readonly key: string;
    readonly name: string;
    readonly flags: readonly StoredItem[];
    readonly segments: readonly StoredItem[];
  }[];
}

/** An SDK event as it is stored: the indexed columns plus the whole event as JSON. */
export interface EventInput {
  readonly kind: string;
  /** The event's own time (epoch ms), or null (summary events). */
  readonly time: number | null;
  /** The flag key of an exposure, the event key of a custom event, else null. */
  readonly key: string | null;
  readonly variation: number | null;
  readonly inExperiment: boolean;
  readonly value: number | null;
  readonly contextKeys: Readonly<Record<string, string>> | null;
  /** The whole event, serialised. */
  readonly json: string;
}

/** A stored event, as listed by the admin API. */
export interface StoredEvent {
  readonly id: number;
  readonly receivedAt: number;
  readonly event: JsonObject;
}

/**
 * One unit (context key of the experiment's context kind) exposed in an
 * experiment, attributed from the store's aggregates: the variation of its
 * first exposure, whether it saw another variation, and its conversions of
 * the metric from its first exposure on.
 */
export interface ExperimentUnit {
  /** The id of the unit's first stored exposure: results sum units in this order. */
  readonly firstId: number;
  readonly variation: number;
  readonly crossed: boolean;
  readonly converted: boolean;
  readonly valueSum: number;
  readonly hasValue: boolean;
}

/** What storing a batch of events did. */
export interface BatchOutcome {
  /** Events in the batch (for a duplicate: in the batch as first stored). */
  readonly accepted: number;
  /** True when the batch id had been stored before: nothing was stored now. */
  readonly duplicate: boolean;
}

/** An environment deleted (with its project, or dropped by an import) whose events are still being purged. */
export interface PendingPurge {
  /** The deleted project's key; null for a purge recorded by an older version of the server. */
  readonly projectKey: string | null;
  readonly environmentKey: string | null;
  /** When it was deleted (epoch ms); null as above. */
  readonly deletedAt: number | null;
}

/** The background purge of deleted environments' events (see `SqliteStore.deleteProject`). */
export interface PurgeStatus {
  /** Deleted environments whose events are not all purged yet, oldest first; empty when done. */
  readonly pending: readonly PendingPurge[];
  /** True while a purge runs: deleting rows, or giving their space back once none are pending. */
  readonly running: boolean;
  /** Why the last attempt failed, while a retry waits; null when the last attempt went well. */
  readonly lastError: string | null;
}
