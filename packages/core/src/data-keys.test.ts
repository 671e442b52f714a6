import { AvsbEngine } from '@avsb/engine';
import { engineWasmModule } from '@avsb/engine/node';
import { expect, it } from 'vitest';
import { MemoryLogger } from '@avsb/test-support';
import { testPlatform } from '../test/support/platform';
import { ClientCore } from './client-core';
import type { Datafile } from './datafile-format';
import { changedFlagKeys } from './changed-flag-keys';

/** Names that mean something to a plain object: each one is a flag key here. */
const KEYS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'] as const;

function datafile(revision = 1): Datafile {
  // parsed from text: `__proto__` is then an own member, as it is on the wire
  return JSON.parse(
    JSON.stringify({
      schemaVersion: 1,
      revision,
      flags: [
        ...KEYS.map((key, i) => ({ key, on: true, clientSide: i % 2 === 0, variations: [false, true], fallthrough: { variation: 1 } })),
        { key: 'theme', on: true, variations: ['light', 'dark'], fallthrough: { variation: 1 } },
      ],
    }),
  ) as Datafile;
}

function core(): ClientCore {
  return new ClientCore({ platform: testPlatform(new MemoryLogger()), engine: AvsbEngine.createSync(engineWasmModule()), initialDatafile: datafile() });
}

it('lists flags keyed like Object.prototype members in allFlags, as own members of a null-prototype object', () => {
  const all = core().forUser({ key: 'u_1' }).allFlags();
  expect(Object.getPrototypeOf(all)).toBe(null);
  expect(Object.keys(all)).toEqual([...KEYS, 'theme']);
  for (const key of KEYS) expect(all[key]).toBe(true);
  expect((all as { isAdmin?: unknown }).isAdmin).toBeUndefined();
  expect(JSON.parse(JSON.stringify(all))).toEqual(JSON.parse(JSON.stringify(Object.fromEntries([...KEYS.map((k) => [k, true]), ['theme', 'dark']]))));
  expect(JSON.stringify(all)).toBe('{"__proto__":true,"constructor":true,"toString":true,"hasOwnProperty":true,"valueOf":true,"theme":"dark"}');
});

it('does not make up flags from Object.prototype when allFlags leaves flags out', () => {
  const c = core();
  const client = c.allFlags({ key: 'u_1' }, { clientSideOnly: true });
  expect(Object.keys(client)).toEqual(['__proto__', 'toString', 'valueOf']);
  expect(client.constructor).toBeUndefined();
  expect(client.hasOwnProperty).toBeUndefined();
  expect('constructor' in client).toBe(false);
});

it('reads and explains flags keyed like Object.prototype members through the real engine', () => {
  const scoped = core().forUser({ key: 'u_1' });
  for (const key of KEYS) {
    expect(scoped.getBoolFlag(key, false)).toBe(true);
    expect(scoped.getBoolFlagDetails(key, false)).toEqual({ value: true, variationIndex: 1, reason: { kind: 'FALLTHROUGH' }, inExperiment: false });
  }
  expect(scoped.getBoolFlagDetails('isPrototypeOf', false).reason).toEqual({ kind: 'ERROR', errorKind: 'FLAG_NOT_FOUND' });
});

it('reports changes of flags keyed like Object.prototype members', () => {
  const c = core();
  const heard: string[][] = [];
  c.on('update', (keys) => heard.push(keys));
  const next = datafile(2);
  next.flags.find((f) => f.key === '__proto__')!.fallthrough = { variation: 0 };
  expect(c.store.put(next)).toBe('applied');
  expect(heard).toEqual([['__proto__']]);
  expect(c.forUser({ key: 'u_1' }).getBoolFlag('__proto__', true)).toBe(false);
  expect(changedFlagKeys(null, next)).toEqual([...KEYS, 'theme']);
});
