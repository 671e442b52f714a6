// Test support, run as a child process by experiment-units.crash.test.ts:
// stores experiment event batches (every fifth one twice, as a retrying SDK
// would) while results fold them into the aggregates, acknowledging each
// batch after it committed, until it is killed.
import { SqliteStore } from '../../src/storage/sqlite-store';
import { allUnits, experimentWorkload } from './experiment-events';

const dbPath = process.argv[2];
if (!dbPath) throw new Error('usage: crash-folder.ts <db path>');
const store = new SqliteStore(dbPath);
const project = await store.createProject({
  key: 'crash', name: 'Crash', environments: [{ key: 'prod', name: 'Prod', serverKey: 'srv-crash', clientKey: 'cli-crash' }],
});
const environmentId = project.environments[0]!.id;
const events = experimentWorkload(9, { users: 3000, events: 100_000 });
process.stdout.write('ready\n');

for (let i = 0; ; i++) {
  const batch = events.slice((i * 250) % events.length, ((i * 250) % events.length) + 250);
  await store.insertEvents(environmentId, `batch-${i}`, batch, 0);
  if (i % 5 === 0) await store.insertEvents(environmentId, `batch-${i}`, batch, 0);
  process.stdout.write(`batch-${i}\n`);
  if (i % 3 === 0) await allUnits(store, environmentId, 'exp-a', 'user', 'purchase');
}
