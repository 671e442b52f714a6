import { afterAll, beforeAll, expect, it } from 'vitest';
import { SqliteStore } from '../storage/sqlite-store';
import { experimentResults } from '../stats';
import { attributionRows, experimentWorkload } from '../../test/support/experiment-events';
import type { TestServer } from '../../test/support/harness';
import { booleanFlag, sdk, startTestServer } from '../../test/support/harness';

const BULK = '/projects/bulk/environments/production';
const events = experimentWorkload(5, { users: 30_000, events: 200_000 });
let t: TestServer;
let serverKey: string;

beforeAll(async () => {
  t = await startTestServer();
  serverKey = (await t.keys()).serverKey;
  expect((await t.admin('POST', '/projects', { key: 'bulk' })).status).toBe(201);
  const rollout = { kind: 'experiment', variations: [{ variation: 0, weight: 50000 }, { variation: 1, weight: 50000 }] };
  expect((await t.admin('PUT', `${BULK}/flags/exp-a`, booleanFlag('exp-a', { fallthrough: { rollout } }))).status).toBe(201);
  // stored through a second connection to the same file, as fast as the store takes them: the server has not folded any yet
  const writer = new SqliteStore(t.dbPath);
  const environment = (await writer.getEnvironment('bulk', 'production'))!;
  for (let i = 0; i < events.length; i += 5000) await writer.insertEvents(environment.id, `b${i}`, events.slice(i, i + 5000), 0);
  await writer.close();
}, 60_000);
afterAll(() => t.close());

/** Requests the shop datafile one after another while `heavy` is pending; returns how many were answered meanwhile. */
async function datafilesDuring(heavy: Promise<unknown>): Promise<number> {
  let pending = true;
  void heavy.finally(() => (pending = false));
  let answered = 0;
  while (pending) {
    const res = await sdk(`${t.url}/sdk/v1/datafile`, serverKey);
    expect(res.status).toBe(200);
    if (pending) answered++;
  }
  return answered;
}

it('serves datafiles while it computes results over 200,000 events, and the results are those of every event', async () => {
  const results = t.admin('GET', `${BULK}/results/exp-a?metric=purchase`);
  // fold steps, chunks of units and slices of the tally, each a turn of the event loop: requests get through between them
  expect(await datafilesDuring(results)).toBeGreaterThanOrEqual(3);
  const res = await results;
  expect(res.status).toBe(200);
  const { exposures, conversions } = attributionRows(events, 'exp-a', 'user', 'purchase');
  const variations = res.body.variations.map((v: { variation: number; value: unknown; weight: number }) => ({
    variation: v.variation, value: v.value, weight: v.weight,
  }));
  expect(res.body).toEqual(JSON.parse(JSON.stringify(experimentResults('exp-a', 'purchase', variations, exposures, conversions))));
}, 60_000);

it('serves datafiles while it purges a deleted project with 200,000 events', async () => {
  expect((await t.admin('DELETE', '/projects/bulk')).status).toBe(202);
  expect((await t.admin('GET', '/projects/bulk')).status).toBe(404);
  const purged = (async () => {
    while ((await t.admin('GET', '/purges')).body.running) await new Promise((resolve) => setTimeout(resolve, 20));
  })();
  expect(await datafilesDuring(purged)).toBeGreaterThanOrEqual(3);
}, 60_000);
