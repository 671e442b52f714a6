// @devcycle/nodejs-server-sdk: local bucketing (its AssemblyScript engine),
// offline through the SDK's `configSource` option: a ConfigSource that hands
// over the project config of ../peers/devcycle.ts from memory (no CDN, no
// SSE: `disableRealTimeUpdates`). Events ON: the SDK aggregates variable
// evaluations and queues `track` events in its engine and posts them to
// `eventsAPIURI` = a loopback sink answering 201 (what DevCycle's API answers).
import type { DevCycleClient, DevCycleUser } from '@devcycle/nodejs-server-sdk';
import { translate } from '../peers/devcycle.js';
import { FLAG_META, type BenchContext } from '../workload.js';
import { countingLogger, describeSink, loopbackSink, type LoopbackSink } from './sink.js';
import type { SdkPeer } from './types.js';

const SDK_KEY = 'dvc_server_bench_local';

export function createSdk(): SdkPeer<DevCycleUser> {
  let client: DevCycleClient;
  let sink: LoopbackSink;
  let User: typeof DevCycleUser;
  const log = countingLogger();
  return {
    label: '@devcycle/nodejs-server-sdk 1.55.9',
    readApi: '`client.variableValue(user, key, default)`',
    requestApi: '`new DevCycleUser({ user_id, email, country, appVersion, customData })` + 20 reads (nothing to close)',
    events:
      'aggregated `aggVariableEvaluated` counts per read and queued `track` events, kept in its WASM event queue, flushed every 10 s or at 1,000 queued (defaults) to `eventsAPIURI` = a loopback sink answering 201',
    trackApi: '`client.track(user, { type: "purchase", value, metaData })`',
    async: false,
    async load() {
      const dvc = await import('@devcycle/nodejs-server-sdk');
      User = dvc.DevCycleUser;
      sink = await loopbackSink(() => 201);
      const config = JSON.parse(translate()) as Record<string, unknown>;
      class InMemoryConfig extends dvc.ConfigSource {
        private _served = false;
        // the first call delivers the config; later polls answer "unchanged" (null)
        async getConfig(): Promise<{ config: any; lastModified: string | null; metaData: Record<string, unknown> }> {
          const first = !this._served;
          this._served = true;
          return { config: first ? config : null, lastModified: null, metaData: {} };
        }
        getConfigURL(): string {
          return 'memory://bench-config';
        }
      }
      client = dvc.initializeDevCycle(SDK_KEY, {
        configSource: new InMemoryConfig(),
        eventsAPIURI: sink.url,
        disableRealTimeUpdates: true,
        logger: log.logger,
      });
      await client.onClientInitialized();
      if (!client.isInitialized) throw new Error('DevCycle client did not initialise');
    },
    scope: (c: BenchContext) =>
      new User({
        user_id: c.key,
        email: c.email,
        country: c.country,
        appVersion: c.appVersion,
        customData: { plan: c.plan, age: c.age },
      }),
    get: (user, flag) => {
      const m = FLAG_META[flag]!;
      return client.variableValue(user, m.key, m.defaultValue);
    },
    track: (user) => client.track(user, { type: 'purchase', value: 149.99, metaData: { currency: 'usd' } }),
    async eventStats() {
      await client.flushEvents();
      return `sink: ${describeSink(sink.stats)}; ${log.summary()}`;
    },
    async shutdown() {
      await client.close();
      await sink.close();
    },
  };
}
