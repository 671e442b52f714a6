// @growthbook/growthbook: GrowthBookClient (initSync with the payload of
// ../peers/growthbook.ts) and one `createScopedInstance` per request.
// GrowthBook has no event delivery of its own: experiment exposures go to
// `trackingCallback` and `logEvent` to `eventLogger`, both set here to count
// into an in-memory batch that is dropped every 500 events (the no-op sink).
import type { GrowthBookClient, UserScopedGrowthBook } from '@growthbook/growthbook';
import { gbAttributes, translate } from '../peers/growthbook.js';
import { FLAG_META, type BenchContext } from '../workload.js';
import type { SdkPeer } from './types.js';

export function createSdk(): SdkPeer<UserScopedGrowthBook> {
  let client: GrowthBookClient;
  const counts = { exposures: 0, custom: 0, batches: 0 };
  let batch: unknown[] = [];
  const push = (e: unknown): void => {
    batch.push(e);
    if (batch.length >= 500) {
      counts.batches++;
      batch = [];
    }
  };
  return {
    label: '@growthbook/growthbook 1.8.0',
    readApi: '`scoped.getFeatureValue(key, default)`',
    requestApi: '`client.createScopedInstance({ attributes })` + 20 reads (nothing to close)',
    events:
      'no delivery of its own: `trackingCallback` (experiment exposures: the rollout rules) and `eventLogger` push into an in-memory batch, dropped every 500 events',
    trackApi: '`scoped.logEvent("purchase", properties)` → `eventLogger`',
    async: false,
    async load() {
      const { GrowthBookClient } = await import('@growthbook/growthbook');
      client = new GrowthBookClient({
        enabled: true,
        trackingCallback: (experiment, result, user) => {
          counts.exposures++;
          push({ experiment: experiment.key, variation: result.variationId, user: user.attributes?.id });
        },
        eventLogger: (eventName, properties, user) => {
          counts.custom++;
          push({ eventName, properties, user: user.attributes?.id });
        },
      });
      client.initSync({ payload: JSON.parse(translate()) });
    },
    scope: (c: BenchContext) => client.createScopedInstance({ attributes: gbAttributes(c) }),
    get: (gb, flag) => {
      const m = FLAG_META[flag]!;
      return gb.getFeatureValue(m.key, m.defaultValue);
    },
    track: (gb) => gb.logEvent('purchase', { value: 149.99, currency: 'usd' }),
    async eventStats() {
      return `callbacks: ${counts.exposures.toLocaleString('en-US')} experiment exposures, ${counts.custom.toLocaleString('en-US')} custom events (${counts.batches.toLocaleString('en-US')} batches of 500 dropped)`;
    },
    async shutdown() {
      client.destroy();
    },
  };
}
