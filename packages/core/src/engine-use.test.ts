import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { AvsbEngine } from '@avsb/engine';
import { engineWasmModule } from '@avsb/engine/node';
import { afterEach, expect, it, vi } from 'vitest';
import { guideDatafile } from '../test/support/fixtures';
import { MemoryLogger } from '@avsb/test-support';
import { testPlatform } from '../test/support/platform';
import { ClientCore } from './client-core';
import { DatafileStore } from './datafile-store';

// How core uses the engine: one evaluation per read, one parse per datafile,
// and the packed result read only through @avsb/engine's helpers.

afterEach(() => {
  vi.restoreAllMocks();
});

/** An engine whose evaluations are counted (the real engine evaluates). */
function countingEngine(): { engine: AvsbEngine; evaluations: () => number } {
  const engine = AvsbEngine.createSync(engineWasmModule());
  const evaluate = engine.evaluateIndex.bind(engine);
  let n = 0;
  engine.evaluateIndex = (handle: number, index: number) => {
    n++;
    return evaluate(handle, index);
  };
  return { engine, evaluations: () => n };
}

/** Counts JSON.parse calls while `fn` runs (the real parse still runs). */
function countParses<T>(fn: () => T): { result: T; parses: number } {
  const spy = vi.spyOn(JSON, 'parse');
  const result = fn();
  const parses = spy.mock.calls.length;
  spy.mockRestore();
  return { result, parses };
}

it('evaluates a flag once per read, whether it serves a value, the wrong type, no variation or is the first read', () => {
  const { engine, evaluations } = countingEngine();
  const core = new ClientCore({ platform: testPlatform(new MemoryLogger()), engine, initialDatafile: guideDatafile(3) });
  const c = core.forUser({ key: 'u_1' });
  const reads: [string, () => unknown, unknown][] = [
    ['first read', () => c.getBoolFlag('checkout-v2', false), true],
    ['served', () => c.getStringFlag('ui-theme', 'x'), 'default'],
    ['wrong type', () => c.getBoolFlag('ui-theme', false), false],
    ['wrong type again', () => c.getNumberFlag('ui-theme', 7), 7],
    ['no variation (off, offVariation null)', () => c.getBoolFlag('dark-launch', true), true],
    ['json', () => c.getJsonFlag('banner', null), { show: false }],
    ['details, wrong type', () => c.getStringFlagDetails('page-size', 'd').value, 'd'],
  ];
  for (const [what, read, expected] of reads) {
    const before = evaluations();
    expect(read(), what).toEqual(expected);
    expect(evaluations() - before, what).toBe(1);
  }
  const before = evaluations();
  c.getBoolFlag('no-such-flag', true);
  expect(evaluations() - before).toBe(0);
});

it('parses an initial datafile once and serves variation values from that one copy', () => {
  const engine = AvsbEngine.createSync(engineWasmModule());
  const initial = guideDatafile(3);
  const { result: core, parses } = countParses(() => new ClientCore({ platform: testPlatform(new MemoryLogger()), engine, initialDatafile: initial }));
  expect(parses).toBe(1);
  expect(core.ready).toBe(true);
  // the application's object is left alone; the engine's flag table and the store share one copy
  expect(Object.isFrozen(initial.flags[3]!.variations)).toBe(false);
  const banner = engine.flagIndex('banner');
  expect(engine.variationValue(banner, 1)).toBe(core.store.datafile!.flags[banner]!.variations[1]);
  expect(core.forUser({ key: 'u_7' }).getJsonFlag('banner', null)).toEqual({ show: true, text: 'hi' });
});

it('loads a datafile parsed by its data source, and its patches, without parsing again', () => {
  const engine = AvsbEngine.createSync(engineWasmModule());
  const store = new DatafileStore(engine, new MemoryLogger());
  const text = JSON.stringify(guideDatafile(4));
  const parsed = JSON.parse(text) as unknown;
  expect(countParses(() => store.put(parsed, { text, source: 'poll' }))).toEqual({ result: 'applied', parses: 0 });
  expect(countParses(() => store.put(guideDatafile(5))).parses).toBe(0);
  const value = { key: 'page-size', on: true, variations: [20, 50], offVariation: 0, fallthrough: { variation: 0 } };
  expect(countParses(() => store.patch({ revision: 6, kind: 'flag', key: 'page-size', value }))).toEqual({ result: 'applied', parses: 0 });
  expect(countParses(() => store.delete({ revision: 7, kind: 'flag', key: 'banner' }))).toEqual({ result: 'applied', parses: 0 });
  const h = engine.registerContext({ key: 'u' });
  expect(engine.evaluate(h, 'page-size').value).toBe(20);
  expect(engine.flagKeys).not.toContain('banner');
});

it('keeps the packed result layout inside @avsb/engine: no other package unpacks its bits', () => {
  const packages = join(__dirname, '../..');
  const offenders: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.test.ts')) {
        const source = readFileSync(path, 'utf8');
        // the variation mask, the reason shift, the experiment bit
        if (/0xfff\b|>>>\s*12\b|>>>\s*15\)\s*&\s*1\b/.test(source)) offenders.push(relative(packages, path));
      }
    }
  };
  for (const pkg of readdirSync(packages)) {
    if (pkg === 'engine') continue;
    try {
      walk(join(packages, pkg, 'src'));
    } catch {
      // a package without src
    }
  }
  expect(offenders).toEqual([]);
});
