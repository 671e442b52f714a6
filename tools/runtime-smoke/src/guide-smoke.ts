// The user's guide, run as a user would run it in Bun or Deno: `bun run
// src/guide-smoke.ts` / `deno run --allow-net --allow-env --allow-read
// src/guide-smoke.ts`. The packages are imported by name, from their built
// `dist`. Part 1 is the guide's "Testing" section (MockAvsbServer, TestData);
// part 2, run when AVSB_SDK_KEY is set, is the guide's app against a real A vs
// B server at AVSB_BASE_URL. The Node driver (runtimes.test.ts) checks on the
// server that the tracked event arrived. Any failure throws: the runtime exits
// non-zero with the assertion's message on stderr.
import { deepStrictEqual, equal, ok } from 'node:assert/strict';
import { AvsbServer } from '@avsb/node';
import { MockAvsbServer, TestData } from '@avsb/testing';

function mockServerPart(): void {
  const td = TestData.flag('checkout-v2').booleanFlag().variationForUser('u_1', true).fallthroughVariation(false);
  const theme = TestData.flag('ui-theme').variations('default', 'dark').variationForUser('u_7', 'dark').fallthroughVariation('default');
  const pageSize = TestData.flag('search-page-size').variations(20, 50, 100).variationForAll(50);
  const banner = TestData.flag('promo-banner')
    .variations({ show: false }, { show: true, text: 'Free shipping this week' })
    .variationForAll({ show: true, text: 'Free shipping this week' });
  const mock = new MockAvsbServer({ flags: [td.build(), theme.build(), pageSize.build(), banner.build()] });

  // the guide's two tests
  equal(mock.forUser({ kind: 'user', key: 'u_1' }).getBoolFlag('checkout-v2', false), true, 'u_1 gets checkout-v2');
  equal(mock.forUser({ kind: 'user', key: 'other' }).getBoolFlag('checkout-v2', false), false, 'anyone else falls through');

  const scoped = mock.forUser({ kind: 'user', key: 'u_7', plan: 'pro' });
  equal(scoped.getStringFlag('ui-theme', 'default'), 'dark');
  equal(scoped.getNumberFlag('search-page-size', 20), 50);
  deepStrictEqual(scoped.getJsonFlag('promo-banner', { show: false }), { show: true, text: 'Free shipping this week' });
  deepStrictEqual(mock.forUser({ kind: 'user', key: 'u_1' }).getBoolFlagDetails('checkout-v2', false), {
    value: true,
    variationIndex: 1,
    reason: { kind: 'TARGET_MATCH' },
    inExperiment: false,
  });
  const missing = scoped.getBoolFlagDetails('chekout-v2', false);
  equal(missing.value, false, 'a missing flag serves the default');
  deepStrictEqual(missing.reason, { kind: 'ERROR', errorKind: 'FLAG_NOT_FOUND' });

  scoped.track('purchase', { value: 149.99, properties: { currency: 'usd' } });
  equal(mock.trackedEvents.length, 1, 'track is recorded');
  deepStrictEqual(
    { ...mock.trackedEvents[0] },
    { key: 'purchase', value: 149.99, properties: { currency: 'usd' }, context: { kind: 'user', key: 'u_7', plan: 'pro' } },
  );
  console.log('mock: ok');
}

async function realServerPart(sdkKey: string): Promise<void> {
  // baseUrl comes from AVSB_BASE_URL, as in a deployed app
  const server = new AvsbServer({ sdkKey, logLevel: 'warn' });
  const ready = await server.onReady({ timeoutMs: 10_000 });
  ok(ready.ready, `onReady: ${ready.ready ? '' : ready.error.message}`);
  {
    using flags = server.forUser({ kind: 'user', key: 'u_1', plan: 'free' });
    equal(flags.getBoolFlag('checkout-v2', false), true, 'u_1 is targeted by checkout-v2');
    equal(flags.getStringFlag('ui-theme', 'contrast'), 'default');
    equal(flags.getNumberFlag('search-page-size', 0), 20);
    deepStrictEqual(flags.getBoolFlagDetails('checkout-v2', false).reason, { kind: 'TARGET_MATCH' });
    flags.track('purchase', { value: 149.99, properties: { currency: 'usd', runtime: runtimeName() } });
  }
  {
    using beta = server.forUser({ kind: 'user', key: 'u_7' });
    equal(beta.getStringFlag('ui-theme', 'default'), 'dark', 'u_7 is a beta tester');
  }
  equal(server.metrics().liveContexts, 0, 'using releases the scoped clients');
  // close() flushes the tracked event before it resolves
  await server.close();
  console.log('real: ok');
}

function runtimeName(): string {
  const g = globalThis as { Bun?: unknown; Deno?: unknown };
  return g.Bun ? 'bun' : g.Deno ? 'deno' : 'node';
}

mockServerPart();
const sdkKey = process.env.AVSB_SDK_KEY;
if (sdkKey) await realServerPart(sdkKey);
