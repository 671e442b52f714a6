// The two tests of the user's guide ("Testing"), written as a user writes
// them in TypeScript with vitest, against @avsb/testing installed by name.
import { beforeEach, expect, it } from 'vitest';
import { MockAvsbServer, TestData } from '@avsb/testing';

let mockServer: MockAvsbServer;

beforeEach(() => {
  const td = TestData.flag('checkout-v2')
    .booleanFlag()
    .variationForUser('u_1', true)
    .fallthroughVariation(false);
  mockServer = new MockAvsbServer({ flags: [td.build()] });
});

it('returns true for u_1', () => {
  const scoped = mockServer.forUser({ kind: 'user', key: 'u_1' });
  expect(scoped.getBoolFlag('checkout-v2', false)).toBe(true);
});

it('returns the default false for anyone else', () => {
  const scoped = mockServer.forUser({ kind: 'user', key: 'other' });
  expect(scoped.getBoolFlag('checkout-v2', false)).toBe(false);
});
