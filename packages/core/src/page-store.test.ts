import { PageEngine, loadDatafile } from '@avsb/engine';
import { engineWasmModule } from '@avsb/engine/node';
import { MemoryLogger } from '@avsb/test-support';
import { expect, it } from 'vitest';
import { guideDatafile } from '../test/support/fixtures';
import { changedFlagKeys } from './changed-flag-keys';
import { DatafileStore } from './datafile-store';
import { PageStore } from './page-store';

it('loads a JSON datafile into a PageEngine only through the loader it was given, and refuses it without one, saying what to pass', () => {
  const logger = new MemoryLogger();
  const bare = new PageStore(PageEngine.createSync(engineWasmModule()), logger);
  expect(bare.put(guideDatafile(3), { source: 'poll' })).toBe('refused');
  expect(bare.ready).toBe(false);
  expect(logger.at('error')).toEqual([
    'refused a datafile (poll): datafile: a JSON datafile, which this client does not load: give it a JSON loader (@avsb/browser: createClient({ jsonDatafiles })); no datafile is loaded yet',
  ]);

  const loads: unknown[] = [];
  const given = new PageStore(PageEngine.createSync(engineWasmModule()), logger, (engine, datafile, parsed) => {
    loads.push(datafile);
    return loadDatafile(engine, datafile, parsed);
  });
  expect(given.put(guideDatafile(3))).toBe('applied');
  expect(given.revision).toBe(3);
  expect(loads).toHaveLength(1);
});

it('keeps a server store loading JSON into a PageEngine by default (loadDatafile)', () => {
  const store = new DatafileStore(PageEngine.createSync(engineWasmModule()), new MemoryLogger());
  expect(store.put(guideDatafile(4))).toBe('applied');
  expect(store.revision).toBe(4);
});

it('tells a JSON datafile\'s changed keys through segments with the changedFlagKeys it was given, and through prerequisites alone without it', () => {
  const edited = (revision: number) => {
    const datafile = guideDatafile(revision);
    datafile.segments = [{ key: 'beta-testers', included: ['u_8'] }];
    return datafile;
  };
  const stores = [undefined, changedFlagKeys].map((jsonChanged) => {
    const store = new PageStore(PageEngine.createSync(engineWasmModule()), new MemoryLogger(), loadDatafile, jsonChanged);
    const updates: string[][] = [];
    store.onUpdate((keys) => updates.push([...keys].sort()));
    store.put(guideDatafile(1));
    return { result: store.put(edited(2)), updates };
  });
  // only the segment changed: ui-theme uses it, banner has ui-theme as a prerequisite
  expect(stores[1]).toEqual({ result: 'applied', updates: [expect.any(Array), ['banner', 'ui-theme']] });
  // a page's store on compiled datafiles (no segments there) does not follow them: the document's flag hashes do
  expect(stores[0]).toEqual({ result: 'unchanged', updates: [expect.any(Array)] });
});
