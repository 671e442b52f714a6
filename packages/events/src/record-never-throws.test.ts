import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { EventPipeline } from './event-pipeline';
import { fetchTransport } from './fetch-transport';
import { createPlatform } from './global-platform';
import type { CustomEventInput, ExposureInput } from './inputs';
import { PageEventPipeline } from './page-pipeline';
import type { EventPlatform } from './platform';
import { FAST, pipelineTo, recordingLogger, startStack } from '../test/support/harness';

let stack: Awaited<ReturnType<typeof startStack>>;

beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());

const anything = fc.anything({
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withNullPrototype: true,
  withSet: true,
  withSparseArray: true,
  withTypedArray: true,
});

const kind = fc.oneof(fc.constantFrom('user', 'org', 'device', 'multi', 'kind', ''), fc.string(), anything);
const single = fc.record(
  { kind, key: fc.oneof(fc.string(), anything), plan: anything, _meta: fc.oneof(anything, fc.record({ privateAttributes: anything })) },
  { requiredKeys: [] },
);
const attributes = fc.dictionary(fc.string(), anything, { maxKeys: 5 });
const valid = fc
  .tuple(fc.constantFrom('user', 'org', 'device'), fc.string({ minLength: 1 }), attributes, fc.array(fc.string(), { maxLength: 3 }))
  .map(([kind, key, attrs, privateAttributes]) => ({ ...attrs, kind, key, _meta: { privateAttributes } }));
const context = fc.oneof(
  { arbitrary: valid, weight: 4 },
  anything,
  single,
  fc.record({ kind: fc.constant('multi'), user: fc.oneof(single, anything), org: fc.oneof(single, anything) }, { requiredKeys: ['kind'] }),
);
const name = fc.oneof(
  { arbitrary: fc.string({ maxLength: 300 }), weight: 4 },
  fc.constantFrom('checkout-v2', 'x'.repeat(256), 'x'.repeat(257)),
  anything,
);
const exposureFields = {
  flag: name,
  variation: fc.oneof({ arbitrary: fc.nat(5000), weight: 4 }, fc.constant(null), fc.double(), fc.integer(), fc.maxSafeNat(), anything),
  reason: fc.oneof(fc.constantFrom('RULE_MATCH', 'FALLTHROUGH'), anything),
  inExperiment: fc.oneof(fc.boolean(), anything),
  context,
  revision: fc.oneof(fc.nat(), anything),
};
const exposure = fc.oneof(
  { arbitrary: fc.record(exposureFields, { requiredKeys: ['flag', 'variation', 'context'] }), weight: 4 },
  fc.record(exposureFields, { requiredKeys: [] }),
  anything,
);
const customFields = {
  key: name,
  value: fc.oneof(fc.double(), fc.constant(null), anything),
  properties: fc.oneof({ arbitrary: fc.dictionary(fc.string(), anything), weight: 3 }, anything),
  context,
};
const custom = fc.oneof(
  { arbitrary: fc.record(customFields, { requiredKeys: ['key', 'context'] }), weight: 4 },
  fc.record(customFields, { requiredKeys: [] }),
  anything,
);

// thousands of events through the real server (or hundreds of generated runs): seconds on a loaded machine
it('never throws, whatever it is given, and everything it accepts the real server accepts too', { timeout: 30_000 }, async () => {
  const { pipeline } = pipelineTo(stack.proxy.url, stack.backend.sdkKey, { capacity: 100_000 });
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.boolean(), fc.oneof(exposure, custom)), { maxLength: 20 }), (calls) => {
      for (const [isExposure, input] of calls) {
        if (isExposure) pipeline.recordExposure(input as ExposureInput);
        else pipeline.recordCustom(input as CustomEventInput);
      }
    }),
    // 600 runs: with 300, the valid share sent ranged 145–227 over 15 runs, so the floor below failed one run in ~15
    { numRuns: 600 },
  );
  for (const input of nastyInputs()) {
    expect(() => pipeline.recordExposure(input as ExposureInput)).not.toThrow();
    expect(() => pipeline.recordCustom(input as CustomEventInput)).not.toThrow();
  }
  // every batch delivered however long a loaded server takes; close() then has only the summary left within its bound
  await pipeline.flush();
  await pipeline.close(5_000);
  const d = pipeline.diagnostics();
  expect(d.invalid).toBeGreaterThan(0);
  expect(d.sent).toBeGreaterThan(150); // a good share was valid, and the server took all of it
  expect(d).toMatchObject({ failedBatches: 0, dropped: 0, lastError: null, queued: 0 });
});

// as the test above: hundreds of generated runs through the real server, seconds on a loaded machine (5.1 s timed out at load ~20)
it('PageEventPipeline never throws either, and the real server accepts every batch it sends', { timeout: 30_000 }, async () => {
  const logger = recordingLogger();
  const transport = fetchTransport({ baseUrl: stack.proxy.url, sdkKey: stack.backend.sdkKey, timeoutMs: 2_000 });
  const pipeline = new PageEventPipeline(createPlatform({ transport, logger }), { ...FAST, capacity: 100_000 });
  const before = stack.proxy.eventRequests.length;
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.boolean(), fc.oneof(exposure, custom)), { maxLength: 20 }), (calls) => {
      for (const [isExposure, input] of calls) {
        if (isExposure) pipeline.recordExposure(input as ExposureInput);
        else pipeline.recordCustom(input as CustomEventInput);
      }
    }),
    { numRuns: 300 },
  );
  for (const input of nastyInputs()) {
    expect(() => pipeline.recordExposure(input as ExposureInput)).not.toThrow();
    expect(() => pipeline.recordCustom(input as CustomEventInput)).not.toThrow();
  }
  await pipeline.close(5_000);
  expect(logger.lines.filter((l) => l.level === 'warn' && l.message.includes('the event was ignored'))).toHaveLength(1);
  // a batch the server refused would be logged as an error; one not sent in time as a warning
  expect(logger.lines.filter((l) => l.level === 'error' || l.message.includes('could not be sent'))).toEqual([]);
  expect(stack.proxy.eventRequests.slice(before).reduce((n, r) => n + r.events, 0)).toBeGreaterThan(75);
});

it('never throws with a platform whose logger, clock and transport all throw', async () => {
  const boom = () => {
    throw new Error('boom');
  };
  const platform: EventPlatform = {
    transport: { send: boom },
    setTimeout: (callback, ms) => setTimeout(callback, ms),
    clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
    unrefTimer: boom,
    now: boom,
    randomId: boom,
    logger: { debug: boom, info: boom, warn: boom, error: boom },
  };
  const pipeline = new EventPipeline(platform, { retryInitialDelayMs: 10, retryMaxDelayMs: 20 });
  expect(() => pipeline.recordCustom({ key: 'k', context: { key: 'u' } })).not.toThrow();
  expect(() => pipeline.recordExposure({ flag: 'f', variation: 0, context: { key: 'u' } })).not.toThrow();
  expect(() => pipeline.recordExposure(undefined as unknown as ExposureInput)).not.toThrow();
  await expect(pipeline.flush()).resolves.toBeUndefined();
  expect(pipeline.diagnostics().lastError).toContain('boom');
  await expect(pipeline.close(50)).resolves.toBeUndefined();
  expect(pipeline.diagnostics()).toMatchObject({ queued: 0, sent: 0 });
});

/** Inputs that throw when looked at. */
function nastyInputs(): unknown[] {
  const throwing = new Proxy(
    {},
    {
      get: () => {
        throw new Error('get trap');
      },
      ownKeys: () => {
        throw new Error('ownKeys trap');
      },
      has: () => {
        throw new Error('has trap');
      },
    },
  );
  const cyclic: Record<string, unknown> = { key: 'u_cyclic' };
  cyclic.self = cyclic;
  const badGetter = Object.defineProperty({ kind: 'user' }, 'key', {
    enumerable: true,
    get() {
      throw new Error('key getter');
    },
  });
  const toJsonThrows = { toJSON: () => { throw new Error('toJSON'); } };
  return [
    throwing,
    { flag: 'f', variation: 0, key: 'k', context: throwing },
    { flag: 'f', variation: 0, key: 'k', context: badGetter },
    { flag: 'f', variation: 0, key: 'k', context: cyclic, properties: cyclic },
    { key: 'k', context: { key: 'u_props' }, properties: { big: 10n, fn: () => 1, nested: toJsonThrows, proxy: throwing } },
    { key: 'k', context: { key: 'u_attrs', weird: toJsonThrows, also: throwing, big: 1n } },
    Object.create(null),
    () => undefined,
    Symbol('s'),
  ];
}
