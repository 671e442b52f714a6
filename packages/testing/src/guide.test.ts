// The two tests at the end of the user's guide ("Testing"), in TypeScript
// with vitest, as written there with the names of DESIGN.md §1.
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
