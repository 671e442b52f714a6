import { AvsbEngine, LazyFlags, flagTexts } from '@avsb/engine';
import { engineWasmModule } from '@avsb/engine/node';
import { MemoryLogger } from '@avsb/test-support';
import { expect, it } from 'vitest';
import { guideDatafile } from '../test/support/fixtures';
import type { Datafile } from './datafile-format';
import { DatafileStore } from './datafile-store';

// With an engine created with `lazyFlags`, DatafileStore tells unchanged flags by their JSON text (the engine's
// flag spans) and serialises only flags whose texts differ: its update listeners must hear the same keys as a
// store on an engine without the option, which serialises every flag.

function stores() {
  return [true, false].map((lazy) => {
    const engine = AvsbEngine.createSync(engineWasmModule(), lazy ? { lazyFlags: new LazyFlags() } : {});
    const store = new DatafileStore(engine, new MemoryLogger());
    const updates: string[][] = [];
    store.onUpdate((keys) => updates.push(keys.sort()));
    return { engine, store, updates };
  });
}

/** `df` at `revision` with `edit` applied to the flag keyed `key`. */
function edited(revision: number, key: string | null, edit: (f: Record<string, unknown>) => void): Datafile {
  const df = guideDatafile(revision);
  for (const f of df.flags) if (f.key === key) edit(f as unknown as Record<string, unknown>);
  return df;
}

it('reports the same changed keys as a store that serialises every flag, whatever the texts look like', () => {
  const [lazy, plain] = stores();
  const steps: [Datafile, (df: Datafile) => string][] = [
    [guideDatafile(1), (df) => JSON.stringify(df)],
    // the same flags written another way: texts differ, flags do not
    [guideDatafile(2), (df) => JSON.stringify(df, null, 2)],
    [edited(3, 'banner', (f) => (f.on = !f.on)), (df) => JSON.stringify(df, null, 2)],
    [edited(4, 'banner', (f) => (f.on = !f.on)), (df) => JSON.stringify(df)],
    [edited(5, 'page-size', (f) => (f.offVariation = 0)), (df) => JSON.stringify(df).replace('"key":"banner"', '"key":"b\\u0061nner"')],
    [edited(6, null, () => {}), (df) => JSON.stringify({ ...df, flags: df.flags.slice(1) })],
  ];
  for (const [df, write] of steps) {
    const text = write(df);
    const [a, b] = [lazy!, plain!].map(({ store }) => store.put(JSON.parse(text), { text }));
    expect(a).toBe(b);
    expect(a).not.toBe('refused');
    expect(flagTexts(lazy!.engine)).toHaveLength(JSON.parse(text).flags.length);
    expect(flagTexts(plain!.engine)).toBeUndefined();
  }
  expect(lazy!.updates).toEqual(plain!.updates);
  // the two rewritings of unchanged flags changed nothing; the edits changed what they edited (and what depends on it)
  expect(lazy!.updates.length).toBeGreaterThanOrEqual(4);
});

it('cuts each flag from the text the engine loaded, non-ASCII text included', () => {
  const { engine, store } = stores()[0]!;
  const df = edited(1, 'banner', (f) => (f.variations = ['é😀', 'ü']));
  const text = JSON.stringify(df, null, 1);
  expect(store.put(JSON.parse(text), { text })).toBe('applied');
  expect(flagTexts(engine)!.map((t) => JSON.parse(t))).toEqual(df.flags);
});
