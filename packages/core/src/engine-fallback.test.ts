import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { AvsbEngine } from '@avsb/engine';
import { MemoryLogger } from '@avsb/test-support';
import { expect, it } from 'vitest';
import { EngineFallback } from './engine-fallback';

const evaluatorWasm = () => readFileSync(createRequire(import.meta.url).resolve('@avsb/engine/avsb-evaluator.wasm'));

// The full engine is the application's to give (edge: its bundler's module): whatever its promise rejects with is
// logged, and `switching` still never rejects.
it('logs a full engine that cannot be had, even for a reason whose String() throws, and settles the switch', async () => {
  const logger = new MemoryLogger();
  const puts: unknown[] = [];
  const fallback = new EngineFallback(AvsbEngine.createSync(evaluatorWasm()), () => Promise.reject(Object.create(null)), logger, () => ({
    put: (datafile) => (puts.push(datafile), 'applied'),
  }));
  expect(fallback.put({ schemaVersion: 1, flags: [] })).toBe('unchanged');
  await expect(fallback.switching).resolves.toBeUndefined();
  expect(logger.at('error')).toEqual(["could not load avsb-engine.wasm for the service's JSON datafiles: unknown error"]);
  expect(puts).toEqual([]);
});
