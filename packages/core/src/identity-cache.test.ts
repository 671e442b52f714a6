import { validateContext } from '@avsb/common';
import type { ValidatedContext } from '@avsb/common';
import { AvsbEngine, ContextEncoder, shareContexts } from '@avsb/engine';
import { engineWasmModule } from '@avsb/engine/node';
import { MemoryLogger } from '@avsb/test-support';
import { expect, it } from 'vitest';
import { guideDatafile } from '../test/support/fixtures';
import { testPlatform } from '../test/support/platform';
import { ClientCore } from './client-core';
import type { AvsbContext } from './context';
import type { CustomRecord, EventRecorder, ExposureRecord } from './event-recorder';
import { IdentityCache } from './identity-cache';

class Recorder implements EventRecorder {
  exposures: ExposureRecord[] = [];
  recordExposure(e: ExposureRecord): void {
    this.exposures.push(e);
  }
  recordCustom(_e: CustomRecord): void {}
}

/** A server's client core: the engine shares one handle among equal contexts, as `@avsb/node` creates it. */
function server() {
  const events = new Recorder();
  const engine = shareContexts(AvsbEngine.createSync(engineWasmModule(), { contextEncoder: new ContextEncoder() }));
  const core = new ClientCore({ platform: testPlatform(new MemoryLogger()), engine, events, initialDatafile: guideDatafile(3) });
  return { core, events };
}

/** One request: a read, recorded with the context's identity; that identity. */
function request(core: ClientCore, events: Recorder, context: AvsbContext): ValidatedContext {
  const scoped = core.forUser(context);
  scoped.getBoolFlag('checkout-v2', false);
  scoped.close();
  return events.exposures[events.exposures.length - 1]!.identity!;
}

function expectValidationOf(identity: ValidatedContext, context: AvsbContext): void {
  const fresh = validateContext(context) as ValidatedContext;
  expect(identity.context).toBe(context);
  expect(identity).toEqual({ ...fresh, context });
  expect(Object.isFrozen(identity.keys)).toBe(true);
}

it("gives a returning user's request the validation of its earlier one, for its own context object", () => {
  const { core, events } = server();
  // the engine shares a handle from a context's second registration on
  request(core, events, { kind: 'user', key: 'u_1', plan: 'pro' });
  const second = request(core, events, { kind: 'user', key: 'u_1', plan: 'pro' });
  const again = { kind: 'user', key: 'u_1', plan: 'pro' };
  const third = request(core, events, again);
  expectValidationOf(third, again);
  // the same frozen keys and canonical key string, not made again
  expect(third.keys).toBe(second.keys);
  expect(third.canonicalKey).toBe(second.canonicalKey);
});

it('validates every other context as before: another kind, no kind, other attributes, several kinds', () => {
  const { core, events } = server();
  const contexts: AvsbContext[] = [
    { kind: 'user', key: 'u_1', plan: 'pro' },
    { kind: 'org', key: 'u_1', plan: 'pro' },
    { key: 'u_1', plan: 'pro' },
    { kind: 'user', key: 'u_1', plan: 'free' },
    { kind: 'multi', user: { key: 'u_1' }, org: { key: 'acme' } },
    { kind: 'multi', user: { key: 'u_1' } },
  ];
  for (let round = 0; round < 3; round++) {
    for (const context of contexts) {
      const copy = JSON.parse(JSON.stringify(context)) as AvsbContext;
      expectValidationOf(request(core, events, copy), copy);
    }
  }
});

it('answers right for thousands of users in turn, more than its places', () => {
  const { core, events } = server();
  const before: unknown[] = [];
  let taken = 0;
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < 3_000; i++) {
      const context: AvsbContext = i % 3 === 0 ? { key: `u_${i}` } : { kind: i % 3 === 1 ? 'user' : 'org', key: `u_${i % 1_500}` };
      const identity = request(core, events, context);
      expectValidationOf(identity, context);
      if (identity.keys === before[i]) taken++;
      before[i] = identity.keys;
    }
  }
  // the third round's users take their validations from the cache (as far as its places hold them)
  expect(taken).toBeGreaterThan(500);
});

it('takes an entry only for its own handle and for the same kind and key', () => {
  const cache = new IdentityCache();
  const kept = validateContext({ kind: 'user', key: 'a' }) as ValidatedContext;
  cache.put(5, kept);
  expect(cache.get(5, { kind: 'user', key: 'a' })).toMatchObject({ canonicalKey: 'user:a', keys: kept.keys });
  expect(cache.get(5, { kind: 'user', key: 'b' })).toBeUndefined();
  expect(cache.get(5, { kind: 'org', key: 'a' })).toBeUndefined();
  expect(cache.get(5, { key: 'a' })).toBeUndefined(); // the same identity, but not the members it was kept for
  expect(cache.get(5 + 1_024, { kind: 'user', key: 'a' })).toBeUndefined();
  expect(cache.get(6, { kind: 'user', key: 'a' })).toBeUndefined();
  // a multi-kind context, even of one kind, is not kept
  cache.put(7, validateContext({ kind: 'multi', user: { key: 'a' } }) as ValidatedContext);
  expect(cache.get(7, { kind: 'multi', user: { key: 'a' } } as AvsbContext)).toBeUndefined();
});
