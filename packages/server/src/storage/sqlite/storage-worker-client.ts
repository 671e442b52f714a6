import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Db, SyncMode } from './open';
import type { FromStorageWorker, StorageWorkerData, ToStorageWorker } from './storage-worker-protocol';
import { JOURNAL_SIZE_LIMIT, STOP } from './storage-worker-protocol';

/**
 * Where the worker's script is: `storage-worker.js` beside the built server
 * (`dist/index.js` and `dist/index.cjs` alike: the package is `type: module`,
 * so the worker is an ES module for both), or the package's `dist/` when this
 * module runs from source (tests: their globalSetup builds it first).
 */
export function storageWorkerScript(): string | null {
  for (const relative of ['./storage-worker.js', '../../../dist/storage-worker.js']) {
    const file = fileURLToPath(new URL(relative, import.meta.url));
    if (existsSync(file)) return file;
  }
  return null;
}

/**
 * The main thread's handle on the storage worker (storage-worker.ts): asks it
 * to purge, counts its checkpoints, and stops it. The worker keeps the
 * process alive only while a purge is pending.
 */
export class StorageWorker {
  /** WAL checkpoints the worker ran (each one the main thread did not have to). */
  checkpoints = 0;
  /** Times the WAL outgrew WAL_HARD_LIMIT, so that the main connection checkpointed again for a while. */
  overLimit = 0;
  private readonly _worker: Worker;
  private readonly _control = new SharedArrayBuffer(4);
  private readonly _pending: { resolve(): void; reject(error: Error): void }[] = [];
  private readonly _exited: Promise<void>;
  private _closing = false;

  /**
   * Starts the worker on the file at `path`; `onFailure` is called once if it
   * fails or exits on its own (the store then does the work itself).
   */
  constructor(
    script: string,
    path: string,
    synchronous: SyncMode,
    onFailure: (error: Error) => void,
    private readonly _onWalOverLimit: (over: boolean) => void,
  ) {
    const workerData: StorageWorkerData = { path, synchronous, control: this._control };
    this._worker = new Worker(script, { workerData, stdout: false, stderr: false });
    this._worker.unref();
    let failed = false;
    const fail = (error: Error): void => {
      for (const pending of this._pending.splice(0)) pending.reject(error);
      if (!failed && Atomics.load(new Int32Array(this._control), STOP) === 0) onFailure(error);
      failed = true;
    };
    this._worker.on('message', (message: FromStorageWorker) => this._receive(message));
    this._worker.on('error', fail);
    this._exited = new Promise((resolve) => {
      this._worker.on('exit', (code) => {
        fail(new Error(`the storage worker exited (code ${code})`));
        resolve();
      });
    });
  }

  /** Purges every environment recorded in `purges`; resolves when done or when the worker is stopped. */
  purge(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this._pending.push({ resolve, reject });
      this._worker.ref();
      this._send({ type: 'purge' });
    });
  }

  /** Stops the worker between two steps and waits until its connection is closed; pending purges resolve (they resume on the next open). */
  async close(): Promise<void> {
    this._closing = true;
    const flags = new Int32Array(this._control);
    Atomics.store(flags, STOP, 1);
    Atomics.notify(flags, STOP);
    for (const pending of this._pending.splice(0)) pending.resolve();
    this._send({ type: 'close' });
    // kept alive until it exits: `await store.close()` must not end with the event loop empty
    this._worker.ref();
    await this._exited;
  }

  private _receive(message: FromStorageWorker): void {
    if (message.type === 'checkpointed') {
      this.checkpoints++;
      return;
    }
    if (message.type === 'wal-over-limit') {
      if (message.over) this.overLimit++;
      this._onWalOverLimit(message.over);
      return;
    }
    const pending = this._pending.shift();
    // a reply to a purge that close() already settled must not let the process go before the worker is closed
    if (this._pending.length === 0 && !this._closing) this._worker.unref();
    if (message.type === 'purged') pending?.resolve();
    else pending?.reject(new Error(`purging deleted environments failed: ${message.message}`));
  }

  private _send(message: ToStorageWorker): void {
    this._worker.postMessage(message);
  }
}

/**
 * Starts the storage worker for a writable store on a file and hands the WAL
 * checkpoints over to it: the main connection's automatic checkpoint (run
 * inside whichever commit crosses 1,000 pages, fsyncs included) is turned
 * off, and the worker checkpoints instead whenever the WAL passes
 * {@link JOURNAL_SIZE_LIMIT}, without blocking writers. Should the worker
 * fall behind (the WAL past `WAL_HARD_LIMIT`) or fail, the main
 * connection checkpoints itself again. Returns null (the
 * store does everything itself, as before) for an in-memory store or when the
 * worker's script is missing.
 */
export function startStorageWorker(db: Db, path: string, synchronous: SyncMode, onFailure: () => void): StorageWorker | null {
  if (path === '' || path === ':memory:' || path.startsWith('file:')) return null;
  const script = storageWorkerScript();
  if (script === null) return null;
  const autocheckpoint = (on: boolean): void => {
    if (db.open) db.pragma(`wal_autocheckpoint = ${on ? 1000 : 0}`);
  };
  const worker = new StorageWorker(
    script,
    resolve(path),
    synchronous,
    () => {
      autocheckpoint(true);
      onFailure();
    },
    autocheckpoint,
  );
  db.pragma('wal_autocheckpoint = 0');
  db.pragma(`journal_size_limit = ${JOURNAL_SIZE_LIMIT}`);
  return worker;
}
