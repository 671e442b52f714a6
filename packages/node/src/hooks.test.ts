import { MemoryLogger } from '@avsb/test-support';
import { expect, it } from 'vitest';
import type { AvsbHook, EvaluationSeriesContext, FlagDetail, TrackSeriesContext } from './index';
import { AvsbServer } from './index';

const datafile = {
  schemaVersion: 1,
  revision: 12,
  flags: [
    { key: 'checkout-v2', on: true, variations: [false, true], offVariation: 0, targets: [{ values: ['u_1'], variation: 1 }], fallthrough: { variation: 0 } },
  ],
};

function hook(seen: string[]): AvsbHook {
  return {
    name: 'seen',
    beforeEvaluation: (s: EvaluationSeriesContext) => (seen.push(`before ${s.flagKey} r${s.revision}`), { at: seen.length }),
    afterEvaluation: (s: EvaluationSeriesContext, data, d: FlagDetail<unknown>) => {
      seen.push(`after ${s.flagKey} ${String(d.value)} v${d.variationIndex} ${d.reason.kind} data ${String(data.at)}`);
    },
    afterTrack: (t: TrackSeriesContext) => void seen.push(`track ${t.key} ${t.value}`),
  };
}

it('calls the hooks given to the constructor around every read and after track()', async () => {
  const seen: string[] = [];
  const server = new AvsbServer({ sdkKey: undefined, offline: true, initialDatafile: datafile, logger: new MemoryLogger(), hooks: [hook(seen)] });
  await server.onReady();
  const avsb = server.forUser({ key: 'u_1' });
  expect(avsb.getBoolFlag('checkout-v2', false)).toBe(true);
  avsb.track('purchase', { value: 149.99 });
  expect(seen).toEqual(['before checkout-v2 r12', 'after checkout-v2 true v1 TARGET_MATCH data 1', 'track purchase 149.99']);
  await server.close();
});

it('adds hooks later with addHook, for scoped clients old and new', async () => {
  const seen: string[] = [];
  const server = new AvsbServer({ sdkKey: undefined, offline: true, initialDatafile: datafile, logger: new MemoryLogger() });
  const old = server.forUser({ key: 'u_2' });
  expect(server.addHook(hook(seen))).toBe(server);
  old.getBoolFlagDetails('checkout-v2', true);
  server.forUser({ key: 'u_2' }).getBoolFlag('nope', true);
  expect(seen).toEqual([
    'before checkout-v2 r12',
    'after checkout-v2 false v0 FALLTHROUGH data 1',
    'before nope r12',
    'after nope true vnull ERROR data 3',
  ]);
  await server.close();
});
