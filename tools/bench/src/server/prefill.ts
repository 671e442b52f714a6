// Fills the SQLite file of the heavy-admin section before its server starts:
// the example project `shop` (the light loads' target) and a copy of it,
// `bulk`, holding N experiment events stored straight through the store (as
// fast as it takes them), then folded into the experiment aggregates as the
// running server would have done while they arrived.
// Usage (from server/bench.ts): node dist/server/prefill.js <db path> <events>
// Prints one JSON line: PrefillResult.
import { SqliteStore, exampleProject, importProject, seedExampleProject, type EventInput } from '@avsb/server';
import type { PrefillResult } from './protocol.js';

const [dbPath, countArg] = process.argv.slice(2);
const total = Number(countArg);
if (!dbPath || !(total > 0)) {
  process.stderr.write('usage: node dist/server/prefill.js <db path> <events>\n');
  process.exit(2);
}

/** Users of the workload: ~20 events each, the shape of a day of traffic of a mid-sized app. */
const USERS = Math.max(1, Math.round(total / 20));
const BATCH = 5000;
const T0 = Date.UTC(2026, 11, 1);

/** A small deterministic PRNG (mulberry32): the same workload every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * 60% in-experiment exposures of `checkout-v2` (1 in 200 to the other
 * variation: crossovers), 25% `purchase` events with a value, 15% `page-view`
 * events without one; times rise with the index, with jitter, so some
 * purchases come before their user's first exposure.
 */
function event(random: () => number, i: number): EventInput {
  const u = Math.floor(random() * USERS);
  const contextKeys = { user: `u-${u}` };
  const time = T0 + i * 10 + Math.floor(random() * 60_000);
  const r = random();
  if (r < 0.6) {
    const variation = random() < 0.995 ? u % 2 : 1 - (u % 2);
    const e = { kind: 'exposure', time, contextKeys, flag: 'checkout-v2', variation, reason: 'FALLTHROUGH', inExperiment: true, revision: 1 };
    return { kind: 'exposure', time, key: 'checkout-v2', variation, inExperiment: true, value: null, contextKeys, json: JSON.stringify(e) };
  }
  const purchase = r < 0.85;
  const key = purchase ? 'purchase' : 'page-view';
  const value = purchase ? Math.round(500 + random() * 15_000) / 100 : null;
  const e = value === null ? { kind: 'custom', time, contextKeys, key } : { kind: 'custom', time, contextKeys, key, value };
  return { kind: 'custom', time, key, variation: null, inExperiment: false, value, contextKeys, json: JSON.stringify(e) };
}

const store = new SqliteStore(dbPath);
await seedExampleProject(store);
await importProject(store, { ...exampleProject(), key: 'bulk', name: 'Bulk (heavy admin bench)' });
const environment = (await store.getEnvironment('bulk', 'production'))!;
const random = prng(20261205);
const t0 = performance.now();
for (let i = 0; i < total; i += BATCH) {
  const batch: EventInput[] = [];
  for (let j = i; j < Math.min(total, i + BATCH); j++) batch.push(event(random, j));
  await store.insertEvents(environment.id, `prefill-${i}`, batch, Date.now());
}
const t1 = performance.now();
let units = 0;
for await (const chunk of store.experimentUnits(environment.id, 'checkout-v2', 'user', 'purchase')) units += chunk.length; // folds every event first
const t2 = performance.now();
await store.close();
const result: PrefillResult = { events: total, units, insertMs: t1 - t0, foldMs: t2 - t1 };
process.stdout.write(`${JSON.stringify(result)}\n`);
