import { AvsbEngine, LazyFlags } from '@avsb/engine';
import { engineWasmModule } from '@avsb/engine/node';
import { MemoryLogger } from '@avsb/test-support';
import { expect, it } from 'vitest';
import { guideDatafile } from '../test/support/fixtures';
import { testPlatform } from '../test/support/platform';
import { ClientCore } from './client-core';
import type { JsonValue } from './flag-detail';

// allFlags (collectFlags) takes every flag's value by flag index, a flag read looks its flag up by key first: on a
// server's engine (`lazyFlags`) whichever comes first makes a flag's view, and each must answer what the other does,
// the same objects, for a datafile put as an object or as its text.

function core(put: 'object' | 'text') {
  const c = new ClientCore({
    platform: testPlatform(new MemoryLogger()),
    engine: AvsbEngine.createSync(engineWasmModule(), { lazyFlags: new LazyFlags() }),
    events: { recordExposure() {}, recordCustom() {} },
    initialDatafile: null,
  });
  const datafile = guideDatafile(3);
  expect(c.store.put(put === 'text' ? JSON.stringify(datafile) : datafile)).toBe('applied');
  return c;
}

const CONTEXTS = [
  { kind: 'user', key: 'u_1', plan: 'free' },
  { kind: 'user', key: 'u_7', plan: 'pro' },
] as const;

it.each(['object', 'text'] as const)('answers allFlags before any read with the values reads then serve (datafile as %s)', (put) => {
  const c = core(put);
  for (const context of CONTEXTS) {
    const scoped = c.forUser(context);
    const all = scoped.allFlags();
    expect(Object.keys(all).length).toBeGreaterThanOrEqual(4);
    for (const [key, value] of Object.entries(all)) expect(scoped.getJsonFlag<JsonValue>(key, null)).toBe(value);
    scoped.close();
  }
});

it.each(['object', 'text'] as const)('answers reads before allFlags with the values allFlags then collects (datafile as %s)', (put) => {
  const c = core(put);
  const keys = guideDatafile(3).flags.map((f) => f.key);
  for (const context of CONTEXTS) {
    const scoped = c.forUser(context);
    const read = new Map(keys.map((key) => [key, scoped.getJsonFlag<JsonValue | undefined>(key, undefined)]));
    const all = scoped.allFlags();
    // a flag serving no variation (off without an off variation) is left out of allFlags and reads as the default
    for (const key of keys) expect(all[key]).toBe(read.get(key));
    expect(all).toEqual(core('object').forUser(context).allFlags());
    scoped.close();
  }
});

// collectFlags copies the engine's packed results into one array that every call reuses (it grows to the largest
// datafile's flag count and keeps what it held): a call must read only what its own engine wrote.

it('answers allFlags of a client with fewer flags right after one with more, each as its own reads do', () => {
  const large = core('object');
  const small = new ClientCore({
    platform: testPlatform(new MemoryLogger()),
    engine: AvsbEngine.createSync(engineWasmModule()),
    events: { recordExposure() {}, recordCustom() {} },
    initialDatafile: null,
  });
  const one = guideDatafile(4);
  expect(small.store.put({ ...one, flags: one.flags.slice(0, 1) })).toBe('applied');
  for (const context of CONTEXTS) {
    for (const c of [large, small, large, small]) {
      const scoped = c.forUser(context);
      const all = scoped.allFlags();
      const keys = (c === small ? one.flags.slice(0, 1) : guideDatafile(3).flags).map((f) => f.key);
      const read = keys.filter((k) => scoped.getJsonFlag<JsonValue | undefined>(k, undefined) !== undefined);
      expect(Object.keys(all)).toEqual(read);
      for (const key of read) expect(all[key]).toBe(scoped.getJsonFlag<JsonValue>(key, null));
      scoped.close();
    }
  }
});

it('leaves out the flags its engine no longer holds, after a call that filled the array with them', () => {
  const c = core('object');
  const scoped = c.forUser(CONTEXTS[1]);
  expect(Object.keys(scoped.allFlags()).length).toBeGreaterThanOrEqual(4);
  // the engine holds fewer flags than the store, as after a rebuild that lost its datafile (a trap while reloading)
  expect(c.engine.load({ schemaVersion: 1, flags: [] }).ok).toBe(true);
  expect(Object.keys(scoped.allFlags())).toEqual([]);
  scoped.close();
});

it('leaves out the flags its engine no longer holds on the call that grows the array (a new array holds no results)', () => {
  const c = core('object');
  const base = guideDatafile(3);
  // more flags than any earlier call of this file collected: the kept array is made anew for this call
  const flags = Array.from({ length: 64 }, (_, i) => base.flags.map((f) => ({ ...f, key: `${f.key}-${i}` }))).flat();
  expect(c.store.put({ ...base, revision: (base.revision ?? 0) + 1, flags })).toBe('applied');
  // the engine holds fewer flags than the store, as after a rebuild that lost its datafile (a trap while reloading)
  expect(c.engine.load({ schemaVersion: 1, flags: [] }).ok).toBe(true);
  const scoped = c.forUser(CONTEXTS[1]);
  expect(Object.keys(scoped.allFlags())).toEqual([]);
  scoped.close();
});
