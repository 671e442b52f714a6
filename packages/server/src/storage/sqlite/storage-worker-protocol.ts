import type { SyncMode } from './open';

/** Index in the shared control array: non-zero asks the worker to stop between steps. */
export const STOP = 0;
/**
 * A WAL restarted after a checkpoint is trimmed to this size (so a burst, a
 * purge or an import, does not keep its space), and the worker checkpoints
 * once the WAL grows past it: SQLite's own automatic checkpoint is at about
 * the same size (1,000 pages).
 */
export const JOURNAL_SIZE_LIMIT = 4 * 1024 * 1024;
/** How often the idle worker looks at the WAL's size, ms. */
export const CHECKPOINT_POLL_MS = 100;
/** Past this, the worker's checkpoints are not keeping up: the main connection checkpoints in its commits again until the WAL is back under it. */
export const WAL_HARD_LIMIT = 64 * 1024 * 1024;

/** What the storage worker is started with. */
export interface StorageWorkerData {
  readonly path: string;
  readonly synchronous: SyncMode;
  /** A SharedArrayBuffer of one Int32 ({@link STOP}). */
  readonly control: SharedArrayBuffer;
}

/** Main thread → worker. */
export type ToStorageWorker = { readonly type: 'purge' } | { readonly type: 'close' };

/** Worker → main thread. */
export type FromStorageWorker =
  | { readonly type: 'purged' }
  | { readonly type: 'purge-failed'; readonly message: string }
  | { readonly type: 'checkpointed' }
  | { readonly type: 'wal-over-limit'; readonly over: boolean };
