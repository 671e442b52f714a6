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
