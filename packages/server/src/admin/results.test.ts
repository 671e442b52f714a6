import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../test/support/harness';
import { booleanFlag, sdk, startTestServer } from '../../test/support/harness';

const ENV = '/projects/shop/environments/production';
let t: TestServer;
let serverKey: string;

beforeAll(async () => {
  t = await startTestServer();
  serverKey = (await t.keys()).serverKey;
});
afterAll(() => t.close());

const T0 = 1764072000000;

function exposure(user: string, variation: number, time: number, inExperiment = true, flag = 'checkout-v2') {
  return { kind: 'exposure', time, contextKeys: { user }, flag, variation, reason: 'FALLTHROUGH', inExperiment, revision: 1 };
}

function purchase(user: string, time: number, value: number) {
  return { kind: 'custom', time, contextKeys: { user }, key: 'purchase', value };
}

async function send(batchId: string, events: unknown[]) {
  const res = await sdk(`${t.url}/sdk/v1/events`, serverKey, { method: 'POST', body: JSON.stringify({ batchId, events }) });
  expect(res.status).toBe(202);
}

describe('GET …/results/:flag', () => {
  it('counts exposures and conversions per variation from events posted by SDKs', async () => {
    const events: unknown[] = [];
    // variation 0: 40 users, 10 convert; variation 1: 60 users, 30 convert
    for (let i = 0; i < 40; i++) events.push(exposure(`a${i}`, 0, T0 + i));
    for (let i = 0; i < 60; i++) events.push(exposure(`b${i}`, 1, T0 + i));
    for (let i = 0; i < 10; i++) events.push(purchase(`a${i}`, T0 + 10_000, 10));
    for (let i = 0; i < 30; i++) events.push(purchase(`b${i}`, T0 + 10_000, 20));
    // ignored: not in experiment, another flag, a conversion before the exposure, another metric
    events.push(exposure('c0', 1, T0, false));
    events.push(exposure('d0', 1, T0, true, 'ui-theme'));
    events.push(exposure('late', 0, T0 + 50_000), purchase('late', T0, 99));
    events.push({ kind: 'custom', time: T0 + 10_000, contextKeys: { user: 'a20' }, key: 'signup' });
    // a second exposure of the same user counts once
    events.push(exposure('a0', 0, T0 + 20_000));
    await send('results-1', events.slice(0, 100));
    await send('results-2', events.slice(100));
    await send('results-2', events.slice(100)); // a retry is not counted twice

    const res = await t.admin('GET', `${ENV}/results/checkout-v2?metric=purchase`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ flag: 'checkout-v2', metric: 'purchase' });
    const [control, treatment] = res.body.variations;
    expect(control).toMatchObject({ variation: 0, value: false, weight: 50000, exposed: 41, conversions: 10, valueTotal: 100, isControl: true });
    expect(treatment).toMatchObject({ variation: 1, value: true, weight: 50000, exposed: 60, conversions: 30, valueTotal: 600 });
    expect(treatment.conversionRate).toBeCloseTo(0.5);
    expect(treatment.conversion).toMatchObject({ lift: expect.any(Number), pValue: expect.any(Number) });
    expect(res.body.srm).toMatchObject({ mismatch: expect.any(Boolean) });
  });

  it('uses the first experiment rule when the fallthrough is not one, and its context kind', async () => {
    const flag = booleanFlag('org-experiment', {
      rules: [
        { clauses: [{ attribute: 'plan', op: 'in', values: ['pro'] }], serve: { variation: 1 } },
        {
          clauses: [],
          serve: { rollout: { kind: 'experiment', contextKind: 'org', variations: [{ variation: 1, weight: 30000 }, { variation: 0, weight: 70000 }] } },
        },
      ],
    });
    expect((await t.admin('PUT', `${ENV}/flags/org-experiment`, flag)).status).toBe(201);
    const org = (key: string, variation: number) => ({
      kind: 'exposure', time: T0, contextKeys: { user: `u-${key}`, org: key }, flag: 'org-experiment', variation, inExperiment: true,
    });
    await send('org-1', [org('acme', 1), org('initech', 0), org('globex', 0),
      { kind: 'custom', time: T0 + 1, contextKeys: { org: 'acme' }, key: 'upgrade' }]);
    const res = await t.admin('GET', `${ENV}/results/org-experiment?metric=upgrade`);
    expect(res.body.variations.map((v: { variation: number; weight: number; exposed: number; conversions: number }) =>
      [v.variation, v.weight, v.exposed, v.conversions])).toEqual([[1, 30000, 1, 1], [0, 70000, 2, 0]]);
    expect(res.body.variations[0].isControl).toBe(true);
  });

  it('answers 400 without a metric or an experiment, 404 for an unknown flag', async () => {
    expect((await t.admin('GET', `${ENV}/results/checkout-v2`)).body.error.code).toBe('invalid_request');
    const none = await t.admin('GET', `${ENV}/results/ui-theme?metric=purchase`);
    expect(none.status).toBe(400);
    expect(none.body.error.message).toMatch(/no experiment/);
    expect((await t.admin('GET', `${ENV}/results/nope?metric=purchase`)).status).toBe(404);
  });
});
