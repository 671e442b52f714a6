import { expect, it } from 'vitest';
import { MemoryLogger } from '@avsb/test-support';
import type { DataSink } from '@avsb/core';
import { AvsbServer } from './index';

// A server's reads find a flag by guessing it from the order of the reads
// before (the engine's OrderedFlagTable): what a scoped client answers must
// be the datafile's answer whatever the order, and a datafile put between
// two reads of one request is answered from at the next read.

/** A datafile whose flag `key` serves `${key}@${revision}`, in the order given. */
function datafile(keys: readonly string[], revision: number): string {
  return JSON.stringify({
    schemaVersion: 1,
    revision,
    flags: keys.map((key) => ({ key, on: true, variations: ['off', `${key}@${revision}`], offVariation: 0, fallthrough: { variation: 1 } })),
  });
}

it('answers each read from the datafile served at that moment, when one is put in the middle of a request', async () => {
  let sink!: DataSink;
  await using server = new AvsbServer({
    sdkKey: undefined,
    offline: true,
    logger: new MemoryLogger(),
    dataSource: (s) => {
      sink = s;
      return { start: () => void s.put(datafile(['a', 'b', 'c', 'd', 'e'], 1), { source: 'test' }), stop: () => {} };
    },
  });
  expect(await server.onReady({ timeoutMs: 1000 })).toEqual({ ready: true, revision: 1 });
  const order = ['c', 'a', 'e', 'b', 'd'];
  // requests in one order: from the second on, every read is the guess
  for (let i = 0; i < 50; i++) {
    const scoped = server.forUser({ key: `u${i % 7}` });
    for (const key of order) expect(scoped.getStringFlag(key, 'default')).toBe(`${key}@1`);
    scoped.close();
  }
  const scoped = server.forUser({ key: 'u1' });
  expect(scoped.getStringFlag('c', 'default')).toBe('c@1');
  expect(scoped.getStringFlag('a', 'default')).toBe('a@1');
  // reordered, `e` gone, `f` new: the guesses learnt on revision 1 point at other flags now
  expect(sink.put(datafile(['f', 'd', 'b', 'a', 'c'], 2), { source: 'test' })).toBe('applied');
  expect(scoped.getStringFlag('e', 'default')).toBe('default');
  expect(scoped.getStringFlagDetails('e', 'default').reason).toEqual({ kind: 'ERROR', errorKind: 'FLAG_NOT_FOUND' });
  for (const key of ['b', 'd', 'f', 'c', 'a']) expect(scoped.getStringFlag(key, 'default')).toBe(`${key}@2`);
  expect(scoped.getStringFlagDetails('f', 'default')).toMatchObject({ value: 'f@2', variationIndex: 1 });
  scoped.close();
  // and a key built at run time, a key that differs by case, and the empty key
  const again = server.forUser({ key: 'u2' });
  for (let i = 0; i < 3; i++) {
    for (const key of order) expect(again.getStringFlag(['', key].join(''), 'default')).toBe(key === 'e' ? 'default' : `${key}@2`);
    expect(again.getStringFlag('A', 'default')).toBe('default');
    expect(again.getStringFlag('', 'default')).toBe('default');
  }
  again.close();
});
