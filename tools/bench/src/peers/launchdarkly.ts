// @launchdarkly/node-server-sdk: offline, fed by `integrations.TestData` with
// full flag models (`usePreconfiguredFlag`), events and diagnostics off.
import type { LDClient, LDContext } from '@launchdarkly/node-server-sdk';
import { FLAGS, FLAG_META, userContext, type BenchContext, type Flag, type Serve } from '../workload.js';
import type { Peer } from './types.js';

function serve(s: Serve): object {
  return 'variation' in s ? { variation: s.variation } : { rollout: { variations: s.rollout.variations } };
}

function flagModel(f: Flag): object {
  return {
    key: f.key,
    version: 1,
    on: f.on,
    variations: f.variations,
    ...(f.offVariation === null ? {} : { offVariation: f.offVariation }),
    salt: f.key,
    prerequisites: [],
    targets: f.targets.map((t) => ({ values: t.values, variation: t.variation })),
    contextTargets: [],
    rules: f.rules.map((r) => ({
      id: r.id,
      clauses: r.clauses.map((c) => ({ contextKind: 'user', attribute: c.attribute, op: c.op, values: c.values, negate: false })),
      ...serve(r.serve),
    })),
    fallthrough: serve(f.fallthrough),
    trackEvents: false,
    trackEventsFallthrough: f.experiment === true, // full feature events for experiment reads (SDK level; events are off at engine level)
    clientSide: false,
    deleted: false,
  };
}

export function translate(): string {
  return JSON.stringify(FLAGS.map(flagModel));
}

export function createPeer(): Peer<LDContext> {
  let client: LDClient;
  return {
    label: '@launchdarkly/node-server-sdk 9.13.7',
    api: '`await client.variation(key, context, default)`',
    prepare: 'build the `LDContext` object (the SDK validates it on every call)',
    bulkApi: '`await client.allFlagsState(context)`',
    async: true,
    sdkModule: '@launchdarkly/node-server-sdk',
    async load(payload) {
      const ld = await import('@launchdarkly/node-server-sdk');
      const td = new ld.integrations.TestData();
      for (const flag of JSON.parse(payload) as object[]) await td.usePreconfiguredFlag(flag);
      client = ld.init('sdk-bench-offline', {
        updateProcessor: td.getFactory(),
        sendEvents: false,
        diagnosticOptOut: true,
        logger: ld.basicLogger({ level: 'none' }),
      });
      await client.waitForInitialization({ timeout: 10 });
    },
    prepareContext: (c: BenchContext): LDContext => userContext(c),
    evaluate: (ctx, flag) => {
      const m = FLAG_META[flag]!;
      return client.variation(m.key, ctx, m.defaultValue);
    },
    evaluateAll: (ctx) => client.allFlagsState(ctx),
    close: () => client.close(),
  };
}
