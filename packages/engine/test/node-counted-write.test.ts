import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

// Each built Node entry gives AvsbEngine the counted write (node-text-write.ts)
// on the classes an application gets: under `module-sync` (node-sync.js, which
// `@avsb/engine` also resolves to there), the ESM file other runtimes get
// (node.js, importing index.js) and the CJS build (node.cjs, requiring
// index.cjs). The entries are built apart from the main entry, and the build
// shortens member names per file: installed from an entry's own copy of the
// code, the write replaced whatever index.cjs had named as the entry named
// `_write` (it was `_recover`), and loads still went through `encode`. Each
// case runs in a fresh process from the package's directory, through the
// exports map, as an application's import does.

const cwd = fileURLToPath(new URL('..', import.meta.url));

/** Loads a 1,000-flag datafile (over a context's 64 Ki units) and one of 2 MiB of "é"; counts `encode` calls. */
const loads = (imports: string): string => `
  ${imports}
  let encodes = 0;
  const encode = TextEncoder.prototype.encode;
  TextEncoder.prototype.encode = function (text) { encodes++; return encode.call(this, text); };
  const e = AvsbEngine.createSync(engineWasmModule(), { lazyFlags: new LazyFlags() });
  const flags = Array.from({ length: 1000 }, (_, i) => ({ key: 'flag-' + i, on: true, variations: ['a', 'b\\u00e9'], fallthrough: { variation: 1 } }));
  const text = JSON.stringify({ schemaVersion: 1, flags });
  const first = e.load(text).flagCount;
  const handle = e.registerContext('{"key":"u"}');
  const value = e.evaluate(handle, 'flag-999').value;
  const wide = e.load(JSON.stringify({ schemaVersion: 1, flags: [{ key: 'w', on: true, variations: ['\\u00e9'.repeat(1 << 20)], fallthrough: { variation: 0 } }] }));
  const wideValue = e.evaluate(handle, 'w').value === '\\u00e9'.repeat(1 << 20);
  console.log(JSON.stringify({ first, large: text.length > 65536, value, wide: wide.ok, wideValue, encodes }));`;

const run = (type: 'module' | 'commonjs', body: string): unknown =>
  JSON.parse(execFileSync(process.execPath, [`--input-type=${type}`, '-e', body], { cwd, encoding: 'utf8' }));

const expected = { first: 1000, large: true, value: 'b\u00e9', wide: true, wideValue: true, encodes: 0 };

it('writes datafiles without encode through @avsb/engine and @avsb/engine/node under module-sync (node-sync.js)', () => {
  expect(run('module', loads(`const { AvsbEngine, LazyFlags, engineWasmModule } = await import('@avsb/engine');`))).toEqual(expected);
  expect(run('module', loads(`const { AvsbEngine, LazyFlags, engineWasmModule } = await import('@avsb/engine/node');`))).toEqual(expected);
});

it('writes datafiles without encode through the ESM entry other runtimes get (node.js over index.js)', () => {
  expect(
    run('module', loads(`const { AvsbEngine, LazyFlags } = await import('./dist/index.js'); const { engineWasmModule } = await import('./dist/node.js');`)),
  ).toEqual(expected);
});

it('writes datafiles without encode through the CJS build once @avsb/engine/node is required', () => {
  expect(run('commonjs', loads(`const { AvsbEngine, LazyFlags } = require('@avsb/engine'); const { engineWasmModule } = require('@avsb/engine/node');`))).toEqual(expected);
});

it('leaves a CJS @avsb/engine without the Node entry as a page has it: the text encoded, then copied', () => {
  const out = run('commonjs', loads(`const { AvsbEngine, LazyFlags } = require('@avsb/engine'); const { readFileSync } = require('node:fs'); const engineWasmModule = () => new WebAssembly.Module(readFileSync('dist/avsb-engine.wasm'));`));
  expect(out).toEqual({ ...expected, encodes: 2 });
});
