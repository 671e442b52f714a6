// @launchdarkly/node-server-sdk: offline through `integrations.TestData` (the
// full flag models of ../peers/launchdarkly.ts), events ON: `sendEvents: true`
// with `eventsUri` pointing at a loopback sink in this process, so summary,
// index and custom events are built, queued and posted as usual.
import type { LDClient, LDContext } from '@launchdarkly/node-server-sdk';
import { translate } from '../peers/launchdarkly.js';
import { FLAG_META, userContext, type BenchContext } from '../workload.js';
import { countingLogger, describeSink, loopbackSink, type LoopbackSink } from './sink.js';
import type { SdkPeer } from './types.js';

export function createSdk(): SdkPeer<LDContext> {
  let client: LDClient;
  let sink: LoopbackSink;
  const log = countingLogger();
  return {
    label: '@launchdarkly/node-server-sdk 9.13.7',
    readApi: '`await client.variation(key, context, default)`',
    requestApi: 'build the `LDContext` + 20 awaited reads (no per-request object to close)',
    events:
      '`sendEvents: true`: summary counters per read, a full feature event per read of the two experiment flags (`trackEventsFallthrough: true`), an index event per new context (LRU of 1,000 keys), flushed every 5 s (defaults) to `eventsUri` = a loopback sink answering 202; diagnostics off',
    trackApi: '`client.track("purchase", context, data, metricValue)`',
    async: true,
    async load() {
      const ld = await import('@launchdarkly/node-server-sdk');
      sink = await loopbackSink(() => 202);
      const td = new ld.integrations.TestData();
      for (const flag of JSON.parse(translate()) as object[]) await td.usePreconfiguredFlag(flag);
      client = ld.init('sdk-bench-offline', {
        updateProcessor: td.getFactory(),
        sendEvents: true,
        eventsUri: sink.url,
        baseUri: sink.url, // never contacted (TestData is the data source); set so that all three URIs are custom
        streamUri: sink.url,
        diagnosticOptOut: true,
        logger: { ...log.logger, debug() {}, info() {} },
      });
      await client.waitForInitialization({ timeout: 10 });
    },
    scope: (c: BenchContext): LDContext => userContext(c),
    get: (ctx, flag) => {
      const m = FLAG_META[flag]!;
      return client.variation(m.key, ctx, m.defaultValue);
    },
    track: (ctx) => client.track('purchase', ctx, { currency: 'usd' }, 149.99),
    async eventStats() {
      await client.flush();
      return `sink: ${describeSink(sink.stats)}; ${log.summary()}`;
    },
    async shutdown() {
      client.close();
      await sink.close();
    },
  };
}
