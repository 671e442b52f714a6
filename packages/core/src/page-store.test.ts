import { PageEngine, loadDatafile } from '@avsb/engine';
import { engineWasmModule } from '@avsb/engine/node';
import { MemoryLogger } from '@avsb/test-support';
import { expect, it } from 'vitest';
import { guideDatafile } from '../test/support/fixtures';
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
