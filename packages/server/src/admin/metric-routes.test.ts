import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TestServer } from '../../test/support/harness';
import { sdk, startTestServer } from '../../test/support/harness';
import { METRICS_SCAN } from './metric-routes';

const ENV = '/projects/shop/environments/production';
let t: TestServer;
let serverKey: string;

beforeAll(async () => {
  t = await startTestServer();
  serverKey = (await t.keys()).serverKey;
});
afterAll(() => t.close());

const T0 = 1764072000000;
const custom = (user: string, key: string) => ({ kind: 'custom', time: T0, contextKeys: { user }, key });
const exposure = (user: string, flag: string) => ({ kind: 'exposure', time: T0, contextKeys: { user }, flag, variation: 0, reason: 'FALLTHROUGH', inExperiment: true, revision: 1 });

async function send(batchId: string, events: unknown[]) {
  const res = await sdk(`${t.url}/sdk/v1/events`, serverKey, { method: 'POST', body: JSON.stringify({ batchId, events }) });
  expect(res.status).toBe(202);
}

it('lists the custom event keys seen, those of the flag’s exposed contexts first', async () => {
  expect((await t.admin('GET', `${ENV}/metrics`)).body).toEqual([]);
  await send('metrics-1', [
    // "signup" is the most frequent, but only "purchase" comes from contexts exposed to checkout-v2
    custom('u1', 'signup'), custom('u2', 'signup'), custom('u3', 'signup'),
    custom('e1', 'purchase'), custom('e2', 'purchase'),
    exposure('e1', 'checkout-v2'), exposure('e2', 'checkout-v2'), exposure('u1', 'ui-theme'),
    { kind: 'custom', time: T0, contextKeys: { user: 'x' }, key: '__proto__' },
  ]);
  const all = await t.admin('GET', `${ENV}/metrics`);
  expect(all.status).toBe(200);
  expect(all.body.map((m: { key: string }) => m.key)).toEqual(['signup', 'purchase', '__proto__']);
  expect(all.body[0]).toMatchObject({ key: 'signup', count: 3, exposedCount: 0, lastSeen: expect.any(Number) });

  const forFlag = await t.admin('GET', `${ENV}/metrics?flag=checkout-v2`);
  expect(forFlag.body.map((m: { key: string; exposedCount: number }) => [m.key, m.exposedCount])).toEqual([['purchase', 2], ['signup', 0], ['__proto__', 0]]);
});

it('looks only at the newest events, however many are stored', async () => {
  const batch = Array.from({ length: 1000 }, (_, i) => custom('u' + i, 'page-view'));
  for (let b = 0; b < METRICS_SCAN / 1000; b++) await send('metrics-scan-' + b, batch);
  const res = await t.admin('GET', `${ENV}/metrics`);
  // the events of the first test are older than the newest METRICS_SCAN
  expect(res.body).toEqual([expect.objectContaining({ key: 'page-view', count: METRICS_SCAN })]);
});

it("looks at the environment's own newest events, however many other environments stored in between", async () => {
  // event ids are one sequence for the server: 20,000 staging events lie between production's conversion and its
  // exposure, so the newest METRICS_SCAN ids before production's last event hold none of production's others
  const staging = (await t.keys('staging')).serverKey;
  await send('metrics-gap-before', [custom('g1', 'refund')]);
  const busy = Array.from({ length: 1000 }, (_, i) => custom('s' + i, 'staging-only'));
  for (let b = 0; b < 2 * METRICS_SCAN / 1000; b++) {
    const res = await sdk(`${t.url}/sdk/v1/events`, staging, { method: 'POST', body: JSON.stringify({ batchId: 'metrics-gap-' + b, events: busy }) });
    expect(res.status).toBe(202);
  }
  await send('metrics-gap-after', [exposure('g1', 'checkout-v2')]);

  const res = await t.admin('GET', `${ENV}/metrics?flag=checkout-v2`);
  // still at most METRICS_SCAN events: the exposure, the conversion and the newest 9,998 page views of the test above
  expect(res.body).toEqual([
    { key: 'refund', count: 1, exposedCount: 1, lastSeen: expect.any(Number) },
    { key: 'page-view', count: METRICS_SCAN - 2, exposedCount: 0, lastSeen: expect.any(Number) },
  ]);
  const other = await t.admin('GET', '/projects/shop/environments/staging/metrics');
  expect(other.body).toEqual([expect.objectContaining({ key: 'staging-only', count: METRICS_SCAN })]);
});
