import { expect, it } from 'vitest';
import type { AvsbHook } from '@avsb/core';
import { MockAvsbServer, TestData } from './index';

it('calls hooks given to MockAvsbServer, and those added with addHook', () => {
  const seen: string[] = [];
  const hook = (name: string): AvsbHook => ({
    afterEvaluation: (s, _data, d) => void seen.push(`${name} ${s.flagKey} ${String(d.value)} ${d.reason.kind}`),
    afterTrack: (t) => void seen.push(`${name} track ${t.key}`),
  });
  const mock = new MockAvsbServer({
    flags: [TestData.flag('checkout-v2').booleanFlag().variationForUser('u_1', true).fallthroughVariation(false)],
    hooks: [hook('a')],
  });
  mock.addHook(hook('b'));
  const avsb = mock.forUser({ key: 'u_1' });
  expect(avsb.getBoolFlag('checkout-v2', false)).toBe(true);
  avsb.track('purchase');
  expect(seen).toEqual(['b checkout-v2 true TARGET_MATCH', 'a checkout-v2 true TARGET_MATCH', 'a track purchase', 'b track purchase']);
  expect(mock.exposures).toHaveLength(1);
  expect(mock.trackedEvents).toHaveLength(1);
});
