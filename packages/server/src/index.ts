/**
 * `@avsb/server`: the local, self-hostable A vs B service — projects,
 * environments and flags in SQLite; datafiles, live updates and events for
 * the SDKs (PROTOCOL.md); the admin API (ADMIN-API.md), the dashboard and
 * experiment results.
 */
export { startServer } from './server';
export type { RunningServer, ServerMetrics, ServerOptions } from './server';
export { startSandboxServer } from './sandbox';
export type { SandboxServer } from './sandbox';
export type { Logger } from './logger';
export { SqliteStore } from './storage/sqlite-store';
export type { SqliteStoreOptions } from './storage/sqlite-store';
export type { Store } from './storage/store';
export { LocalChangeFeed } from './storage/change-feed';
export type { ChangeFeed, ChangeListener, ChangeMessage } from './storage/change-feed';
export type {
  BatchOutcome,
  EditOutcome,
  EnvironmentEdit,
  EnvironmentId,
  EnvironmentRecord,
  EnvironmentSnapshot,
  EventInput,
  ExperimentUnit,
  HistoryEntry,
  ItemKind,
  ItemWrite,
  JsonObject,
  NewEnvironment,
  PendingPurge,
  ProjectImport,
  ProjectRecord,
  PurgeStatus,
  SdkKeyKind,
  SdkKeyMatch,
  StoredEvent,
  StoredItem,
} from './storage/records';
export { exportProject, importProject, parseProjectText, validateProjectDocument } from './domain/project-document';
export type { ImportOptions, ProjectDocument, ProjectFormat } from './domain/project-document';
export { DatafileValidator } from './domain/validator';
export { datafileObject } from './domain/served-datafile';
export { generateSdkKey, maskKey } from './domain/keys';
export { seedExampleProject, exampleProject } from './seed';
export { AvsbError } from './errors';
export type { AvsbErrorCode } from './errors';
