// What each entry's built files hold of the engines' URLs. Vite and webpack 5 emit an asset for every
// `new URL('./x.wasm', import.meta.url)` in a module they load, used or not (they drop unused code after): so the
// full engine's URL must sit only in the module of `@avsb/browser/json-datafiles`, which only a page that loads JSON
// datafiles imports, the evaluator's only in the default entry's, and none in the inline entry's, which carries its
// engine. examples/browser-app's vite-build test checks what `vite build` then emits.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { PACKAGE_DIR } from './support/page-bundle';

const FULL_ENGINE_URL = /new URL\(\s*["']\.\/avsb-engine\.wasm["']\s*,\s*import\.meta\.url\s*\)/;
const EVALUATOR_URL = /new URL\(\s*["']\.\/avsb-evaluator\.wasm["']\s*,\s*import\.meta\.url\s*\)/;
/** Any `new URL(` whose arguments name a .wasm, however written. */
const ANY_WASM_URL = /new URL\([^)]*\.wasm/;

const pkg = JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };

/** Every JavaScript file a subpath of `exports` resolves to, under any condition (types left out). */
function filesOf(subpath: string): string[] {
  const files = new Set<string>();
  const walk = (target: unknown, condition: string): void => {
    if (typeof target === 'string') {
      if (condition !== 'types') files.add(target);
    } else if (typeof target === 'object' && target !== null) {
      for (const [key, value] of Object.entries(target)) walk(value, key);
    }
  };
  walk(pkg.exports[subpath], '');
  return [...files];
}

const text = (file: string): string => readFileSync(join(PACKAGE_DIR, file), 'utf8');

it('keeps the full engine’s URL out of every build of the default entry, which holds the evaluator’s', () => {
  const files = filesOf('.');
  expect(files).toEqual(expect.arrayContaining(['./dist/index.js', './dist/index.cjs', './dist/index.browser.js', './dist/index.browser.cjs']));
  for (const file of files) {
    expect(text(file), file).not.toMatch(FULL_ENGINE_URL);
    // the ESM builds keep `import.meta.url` (the CJS ones fall back to a path beside the page)
    if (file.endsWith('.js')) expect(text(file), file).toMatch(EVALUATOR_URL);
  }
});

it('has the full engine’s URL in @avsb/browser/json-datafiles, beside which avsb-engine.wasm ships', () => {
  expect(filesOf('./json-datafiles')).toEqual(['./dist/json-datafiles.js', './dist/json-datafiles.cjs']);
  const esm = text('./dist/json-datafiles.js');
  expect(esm).toMatch(FULL_ENGINE_URL);
  expect(esm).not.toMatch(EVALUATOR_URL);
  expect(filesOf('./avsb-engine.wasm')).toEqual(['./dist/avsb-engine.wasm']);
});

it('names no .wasm in any build of @avsb/browser/inline, which carries the full engine in its JavaScript', () => {
  const files = filesOf('./inline');
  expect(files).toEqual(expect.arrayContaining(['./dist/inline.js', './dist/inline.cjs', './dist/inline.browser.js', './dist/inline.browser.cjs']));
  for (const file of files) {
    expect(text(file), file).not.toMatch(ANY_WASM_URL);
    expect(text(file), file).not.toMatch(/import\.meta\.url/);
    // the engine it carries instead: @avsb/engine's inlined bytes
    expect(text(file), file).toMatch(/@avsb\/engine\/wasm-inline/);
  }
  // the control: the pattern finds the URLs that the other entries hold
  expect(text('./dist/index.js')).toMatch(ANY_WASM_URL);
  expect(text('./dist/json-datafiles.js')).toMatch(ANY_WASM_URL);
});

it('exports jsonDatafiles from @avsb/browser/json-datafiles only, for import and require alike', async () => {
  const main = await import('@avsb/browser');
  expect('jsonDatafiles' in main).toBe(false);
  const { jsonDatafiles } = await import('@avsb/browser/json-datafiles');
  expect(typeof jsonDatafiles.store).toBe('function');
  expect(typeof jsonDatafiles.fallback).toBe('function');
  const { createRequire } = await import('node:module');
  const required = createRequire(import.meta.url)('@avsb/browser/json-datafiles') as typeof import('@avsb/browser/json-datafiles');
  expect(typeof required.jsonDatafiles.store).toBe('function');
});
