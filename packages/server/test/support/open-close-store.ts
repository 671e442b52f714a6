// Test support: opens a SqliteStore on argv[2] and closes it at once, with
// nothing else keeping the process alive, then prints "closed" (see
// storage-worker.test.ts: close() must hold the process until the worker is gone).
import { SqliteStore } from '../../src/storage/sqlite-store';

const store = new SqliteStore(process.argv[2]!);
await store.close();
process.stdout.write(`closed ${store['_worker'] === null ? 'without' : 'with'} a worker\n`);
