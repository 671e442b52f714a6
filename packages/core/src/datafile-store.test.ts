import { AvsbEngine, PageEngine } from '@avsb/engine';
import { engineWasmModule } from '@avsb/engine/node';
import { expect, it } from 'vitest';
import { guideDatafile } from '../test/support/fixtures';
import { MemoryLogger } from '@avsb/test-support';
import type { Datafile } from './datafile-format';
import { DatafileStore } from './datafile-store';

function setup() {
  const logger = new MemoryLogger();
  const engine = AvsbEngine.createSync(engineWasmModule());
  const store = new DatafileStore(engine, logger);
  const updates: string[][] = [];
  store.onUpdate((keys) => updates.push(keys.sort()));
  return { store, engine, logger, updates };
}

const flag = (df: Datafile, key: string) => df.flags.find((f) => f.key === key)!;

it('loads a datafile and reports every flag as changed the first time', () => {
  const { store, updates } = setup();
  expect(store.ready).toBe(false);
  expect(store.put(guideDatafile(7))).toBe('applied');
  expect(store.ready).toBe(true);
  expect(store.revision).toBe(7);
  expect(updates).toEqual([['banner', 'checkout-v2', 'dark-launch', 'page-size', 'ui-theme']]);
  expect(store.put(guideDatafile(7))).toBe('unchanged');
  expect(updates).toHaveLength(1);
});

it('applies a patch only when its revision is the next one', () => {
  const { store, engine, updates } = setup();
  store.put(guideDatafile(7));
  const value = { ...flag(guideDatafile(), 'page-size'), fallthrough: { variation: 0 } };
  expect(store.patch({ revision: 9, kind: 'flag', key: 'page-size', value })).toBe('stale');
  expect(store.patch({ revision: 7, kind: 'flag', key: 'page-size', value })).toBe('stale');
  expect(store.patch({ revision: 8, kind: 'flag', key: 'page-size', value })).toBe('applied');
  expect(store.revision).toBe(8);
  expect(updates.at(-1)).toEqual(['page-size']);
  const h = engine.registerContext({ key: 'u' });
  expect(engine.evaluate(h, 'page-size').value).toBe(20);
});

it('adds and deletes flags and segments by patch and delete', () => {
  const { store, engine, updates } = setup();
  store.put(guideDatafile(1));
  const added = { key: 'new-flag', on: true, variations: ['a'], fallthrough: { variation: 0 } };
  expect(store.patch({ revision: 2, kind: 'flag', key: 'new-flag', value: added })).toBe('applied');
  expect(engine.flagKeys).toContain('new-flag');
  expect(store.delete({ revision: 3, kind: 'flag', key: 'new-flag' })).toBe('applied');
  expect(engine.flagKeys).not.toContain('new-flag');
  expect(updates.slice(1)).toEqual([['new-flag'], ['new-flag']]);
});

it('reports flags that depend on a changed segment or prerequisite', () => {
  const { store, updates } = setup();
  store.put(guideDatafile(1));
  expect(
    store.patch({ revision: 2, kind: 'segment', key: 'beta-testers', value: { key: 'beta-testers', included: ['u_8'] } }),
  ).toBe('applied');
  // ui-theme uses the segment; banner has ui-theme as a prerequisite
  expect(updates.at(-1)).toEqual(['banner', 'ui-theme']);
  expect(store.delete({ revision: 3, kind: 'segment', key: 'beta-testers' })).toBe('applied');
  expect(updates.at(-1)).toEqual(['banner', 'ui-theme']);
});

it('refuses what cannot be a datafile with the engine message and keeps serving the previous datafile', () => {
  const { store, logger, updates } = setup();
  store.put(guideDatafile(4));
  const broken = guideDatafile(5);
  broken.flags.push({ ...broken.flags[0]! });
  expect(store.put(broken)).toBe('refused');
  expect(store.revision).toBe(4);
  expect(logger.at('error').join('\n')).toMatch(/flags\[\d+\]\.key: duplicate key.*still serving revision 4/);
  const longKey = 'k'.repeat(300);
  expect(store.patch({ revision: 5, kind: 'flag', key: longKey, value: { ...flag(guideDatafile(), 'page-size'), key: longKey } })).toBe('refused');
  expect(store.revision).toBe(4);
  expect(store.put('not a datafile')).toBe('refused');
  expect(updates).toHaveLength(1);
});

it('applies a datafile with a broken flag and warns once with the problem\'s path', () => {
  const { store, logger } = setup();
  store.put(guideDatafile(4));
  const next = guideDatafile(5);
  next.flags[0]!.rules![0]!.clauses[0]!.op = 'greather';
  expect(store.put(next)).toBe('applied');
  expect(store.revision).toBe(5);
  expect(logger.at('warn')).toHaveLength(1);
  expect(logger.at('warn')[0]).toMatch(/flags\[0\]\.rules\[0\]\.clauses\[0\]\.op: unknown operator "greather"/);
});

it('ignores a refetched datafile that is not newer when asked to', () => {
  const { store } = setup();
  store.put(guideDatafile(5));
  expect(store.put(guideDatafile(4), { onlyIfNewer: true })).toBe('unchanged');
  expect(store.revision).toBe(5);
  expect(store.put(guideDatafile(6), { onlyIfNewer: true })).toBe('unchanged');
  expect(store.revision).toBe(6);
});

it('keeps listeners from breaking updates', () => {
  const { store, logger } = setup();
  store.onUpdate(() => {
    throw new Error('listener bug');
  });
  expect(store.put(guideDatafile(1))).toBe('applied');
  expect(logger.at('error')).toEqual(['an update listener threw: listener bug']);
});

it('tells listeners where each update came from, and of a first datafile without flags', () => {
  const logger = new MemoryLogger();
  const store = new DatafileStore(AvsbEngine.createSync(engineWasmModule()), logger);
  const heard: [string[], string][] = [];
  store.onUpdate((keys, source) => heard.push([keys, source]));
  expect(store.put({ schemaVersion: 1, revision: 1, flags: [] }, { source: 'cache' })).toBe('applied');
  expect(heard).toEqual([[[], 'cache']]);
  // the same definitions again: nothing to tell
  expect(store.put({ schemaVersion: 1, revision: 1, flags: [] }, { source: 'stream' })).toBe('unchanged');
  const added = { key: 'new-flag', on: true, variations: ['a'], fallthrough: { variation: 0 } };
  expect(store.patch({ revision: 2, kind: 'flag', key: 'new-flag', value: added })).toBe('applied');
  expect(store.put(guideDatafile(3), { source: 'poll' })).toBe('applied');
  expect(heard.slice(1).map(([, source]) => source)).toEqual(['patch of flag new-flag', 'poll']);
});

it('loads JSON into a PageEngine, which has no load method, with loadDatafile: puts, patches, refusals', () => {
  const logger = new MemoryLogger();
  const engine = PageEngine.createSync(engineWasmModule());
  expect('load' in engine).toBe(false);
  const store = new DatafileStore(engine, logger);
  expect(store.put(guideDatafile(7))).toBe('applied');
  const h = engine.registerContext({ key: 'u' });
  expect(engine.evaluate(h, 'page-size').value).toBe(50);
  const value = { ...flag(guideDatafile(), 'page-size'), fallthrough: { variation: 0 } };
  expect(store.patch({ revision: 8, kind: 'flag', key: 'page-size', value })).toBe('applied');
  expect(engine.evaluate(h, 'page-size').value).toBe(20);
  expect(store.put({ ...guideDatafile(9), schemaVersion: 2 })).toBe('refused');
  expect(logger.lines.at(-1)?.message).toMatch(/^refused a datafile \(put\): schemaVersion: must be 1 .*; still serving revision 8$/);
  expect(engine.revision).toBe(8);
});
