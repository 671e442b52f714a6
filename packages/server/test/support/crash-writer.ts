// Test support, run as a child process by sqlite-store.crash.test.ts:
// writes event batches and flag edits in a tight loop and acknowledges each
// write on stdout only after it committed, until it is killed.
import type { EditDeps } from '../../src/domain/editor';
import { putItem } from '../../src/domain/editor';
import { DatafileValidator } from '../../src/domain/validator';
import { seedExampleProject } from '../../src/seed';
import { SqliteStore } from '../../src/storage/sqlite-store';

const dbPath = process.argv[2];
if (!dbPath) throw new Error('usage: crash-writer.ts <db path>');
const store = new SqliteStore(dbPath);
await seedExampleProject(store);
const environment = (await store.getEnvironment('shop', 'production'))!;
const deps: EditDeps = { store, validator: await DatafileValidator.create() };
process.stdout.write('ready\n');

for (let i = 0; ; i++) {
  if (i % 2 === 0) {
    const events = Array.from({ length: 20 }, (_, j) => ({
      kind: 'custom',
      time: Date.now(),
      key: 'crash',
      variation: null,
      inExperiment: false,
      value: j,
      contextKeys: { user: `u_${i}_${j}` },
      json: JSON.stringify({ kind: 'custom', key: 'crash', value: j, padding: 'x'.repeat(200) }),
    }));
    await store.insertEvents(environment.id, `batch-${i}`, events, Date.now());
    process.stdout.write(`event batch-${i}\n`); // synchronous on a pipe: the ack follows the commit
  } else {
    const flag = { key: `crash-${i}`, on: true, variations: [false, true], fallthrough: { variation: i % 2 } };
    const { revision } = await putItem(deps, environment.id, 'flag', flag.key, flag);
    process.stdout.write(`edit crash-${i} ${revision}\n`);
  }
}
