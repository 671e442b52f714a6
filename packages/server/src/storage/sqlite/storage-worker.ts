// The storage worker: a worker thread with its own connection to the store's
// file that does the disk work the main thread must not wait for — the WAL
// checkpoints (whose fsyncs took up to 0.67 s on a busy disk) and the purge
// of deleted environments (see storage-worker-client.ts). Built as its own
// entry (dist/storage-worker.js); started by StorageWorker only.
import { statSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { PurgeSteps } from './purge-steps';
import type { StorageWorkerData, ToStorageWorker, FromStorageWorker } from './storage-worker-protocol';
import { CHECKPOINT_POLL_MS, JOURNAL_SIZE_LIMIT, STOP, WAL_HARD_LIMIT } from './storage-worker-protocol';

const { path, synchronous, control } = workerData as StorageWorkerData;
const flags = new Int32Array(control);
const port = parentPort!;
const send = (message: FromStorageWorker): void => port.postMessage(message);

const db = new Database(path);
db.pragma('busy_timeout = 5000');
db.pragma(`synchronous = ${synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
db.pragma('foreign_keys = ON');
db.pragma(`journal_size_limit = ${JOURNAL_SIZE_LIMIT}`);

const stopped = (): boolean => Atomics.load(flags, STOP) !== 0;

function walBytes(): number {
  try {
    return statSync(`${path}-wal`).size;
  } catch {
    return 0;
  }
}

let overLimit = false;
let last = { log: 0, checkpointed: 0 };

/**
 * Copies the WAL into the file without waiting for (or blocking) anyone: the
 * main thread's writes go on meanwhile. A pass only copies the frames there
 * when it began, and the WAL starts over (at the next write) only once a pass
 * copied them all, so passes repeat while writes keep coming. Should the WAL
 * still pass WAL_HARD_LIMIT (writes faster than the disk takes them), the
 * main connection checkpoints in its commits again until it is back.
 */
function checkpointIfLarge(): void {
  const bytes = walBytes();
  if (overLimit !== bytes > WAL_HARD_LIMIT) {
    overLimit = !overLimit;
    send({ type: 'wal-over-limit', over: overLimit });
  }
  for (let pass = 0; pass < 16 && !stopped() && walBytes() > JOURNAL_SIZE_LIMIT; pass++) {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
    if (!result || result.log <= 0) return;
    if (result.log !== last.log || result.checkpointed !== last.checkpointed) send({ type: 'checkpointed' });
    last = result;
    if (result.checkpointed === result.log) return;
  }
}

/**
 * Runs purge steps until done or stopped. After each step it pauses as long
 * as the step took (at least 2 ms): the main thread's writes wait for the
 * write lock by polling (SQLite's busy handler), so they need gaps to get in.
 */
function purge(): void {
  const steps = new PurgeSteps(db);
  for (;;) {
    if (stopped()) return;
    const started = performance.now();
    const more = steps.step();
    checkpointIfLarge();
    if (!more) break;
    Atomics.wait(flags, STOP, 0, Math.max(2, performance.now() - started));
  }
  checkpointIfLarge();
  if (!stopped()) truncateWal();
}

/**
 * Gives the WAL's space back after a purge. TRUNCATE holds the write lock
 * while it copies what is left, so it runs only after the passive passes
 * copied nearly everything, and without waiting: when a main-thread write or
 * read is in the way it gives up, and the WAL is trimmed to
 * JOURNAL_SIZE_LIMIT at the main thread's next write instead.
 */
function truncateWal(): void {
  db.pragma('busy_timeout = 0');
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
  } catch {
    // busy: see above
  } finally {
    db.pragma('busy_timeout = 5000');
  }
}

const timer = setInterval(checkpointIfLarge, CHECKPOINT_POLL_MS);

port.on('message', (message: ToStorageWorker) => {
  if (message.type === 'purge') {
    try {
      purge();
      send({ type: 'purged' });
    } catch (error) {
      send({ type: 'purge-failed', message: error instanceof Error ? error.message : String(error) });
    }
  } else {
    clearInterval(timer);
    db.close();
    port.close();
  }
});
