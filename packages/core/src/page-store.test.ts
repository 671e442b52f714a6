import { PageEngine, loadDatafile } from '@avsb/engine';
import { engineWasmModule } from '@avsb/engine/node';
import { MemoryLogger } from '@avsb/test-support';
import { expect, it } from 'vitest';
import { guideDatafile } from '../test/support/fixtures';
import { DatafileStore } from './datafile-store';
import { JsonPageStore } from './page-json-store';
import { PageStore } from './page-store';

it('refuses a JSON datafile in a page’s store, saying what to pass, and loads it into a PageEngine through the loader a JSON store was given', () => {
  const logger = new MemoryLogger();
  const bare = new PageStore(PageEngine.createSync(engineWasmModule()), logger);
  expect(bare.put(guideDatafile(3), { source: 'poll' })).toBe('refused');
  expect(bare.ready).toBe(false);
  expect(logger.at('error')).toEqual([
    'refused a datafile (poll): datafile: a JSON datafile, which this client does not load: give it a JSON loader (@avsb/browser: createClient({ jsonDatafiles })); no datafile is loaded yet',
  ]);

  const loads: unknown[] = [];
  const given = new JsonPageStore(PageEngine.createSync(engineWasmModule()), logger, (engine, datafile, parsed) => {
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

it('tells a JSON datafile\'s changed keys through segments in a JSON store (changedFlagKeys)', () => {
  const edited = (revision: number) => {
    const datafile = guideDatafile(revision);
    datafile.segments = [{ key: 'beta-testers', included: ['u_8'] }];
    return datafile;
  };
  const store = new JsonPageStore(PageEngine.createSync(engineWasmModule()), new MemoryLogger());
  const updates: string[][] = [];
  store.onUpdate((keys) => updates.push([...keys].sort()));
  store.put(guideDatafile(1));
  // only the segment changed: ui-theme uses it, banner has ui-theme as a prerequisite (a compiled document has no
  // segments: a page's store tells its changed keys by flags and prerequisites, the document's flag hashes covering them)
  expect(store.put(edited(2))).toBe('applied');
  expect(updates).toEqual([expect.any(Array), ['banner', 'ui-theme']]);
});

it('says what the engine works around in a JSON datafile that a page’s JSON store loads', () => {
  const logger = new MemoryLogger();
  const store = new JsonPageStore(PageEngine.createSync(engineWasmModule()), logger);
  const datafile = guideDatafile(5);
  (datafile.flags[0]!.rules as unknown) = [{ clauses: [{ attribute: 'v', op: 'semVerEqual', values: ['02.0.0'] }], serve: { variation: 0 } }];
  expect(store.put(datafile, { source: 'poll' })).toBe('applied');
  expect(logger.at('warn')).toEqual([expect.stringMatching(/^datafile \(poll\) has 1 problem\(s\) the engine works around: flags\[0\]\.rules\[0\]\.clauses\[0\]\.values\[0\]: /)]);
});
