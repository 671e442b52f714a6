import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

// `@avsb/engine/node` hands on the main entry's exports, so a Node host's cold
// start resolves one bare specifier instead of two (issue 9: the second costs
// a fresh process ≈ 1 ms of Node's package resolution). What must hold: the
// classes are one copy, whichever specifier an application or a library below
// it imports, in ESM and in CJS. On a Node with the `module-sync` condition
// (20.19+, 22.10+: this one) both specifiers resolve to one file that holds the
// host and imports nothing (one module to load: ≈ 0.45 ms of a fresh process's
// CPU); the other node files import the main entry's own file. Fresh processes
// from the package's directory, so that the exports map resolves as an
// application's import does.

const cwd = fileURLToPath(new URL('..', import.meta.url));
const DATAFILE = `{ schemaVersion: 1, flags: [{ key: 'f', on: true, variations: [1, 2], fallthrough: { variation: 1 } }] }`;

function run(type: 'module' | 'commonjs', body: string): unknown {
  return JSON.parse(execFileSync(process.execPath, [`--input-type=${type}`, '-e', body], { cwd, encoding: 'utf8' }));
}

it('evaluates through @avsb/engine/node alone, with the classes of @avsb/engine (ESM)', () => {
  const out = run(
    'module',
    `
    const node = await import('@avsb/engine/node');
    const e = node.AvsbEngine.createSync(node.engineWasmModule(), { contextEncoder: new node.ContextEncoder(), lazyFlags: new node.LazyFlags() });
    const loaded = e.load(${DATAFILE}).ok;
    const value = e.evaluate(e.registerContext({ key: 'u' }), 'f').value;
    const main = await import('@avsb/engine');
    console.log(JSON.stringify({ loaded, value, same: node.AvsbEngine === main.AvsbEngine && node.ContextEncoder === main.ContextEncoder, isInstance: e instanceof main.PageEngine, file: import.meta.resolve('@avsb/engine/node').split('/').pop(), mainFile: import.meta.resolve('@avsb/engine').split('/').pop() }));
  `,
  );
  expect(out).toEqual({ loaded: true, value: 2, same: true, isInstance: true, file: 'node-sync.js', mainFile: 'node-sync.js' });
});

it('evaluates through require("@avsb/engine/node") alone, with the classes of require("@avsb/engine") (CJS)', () => {
  const out = run(
    'commonjs',
    `
    const node = require('@avsb/engine/node');
    const e = node.AvsbEngine.createSync(node.engineWasmModule());
    const loaded = e.load(${DATAFILE}).ok;
    const value = e.evaluate(e.registerContext({ key: 'u' }), 'f').value;
    console.log(JSON.stringify({ loaded, value, same: node.AvsbEngine === require('@avsb/engine').AvsbEngine, file: require.resolve('@avsb/engine/node').split('/').pop() }));
  `,
  );
  expect(out).toEqual({ loaded: true, value: 2, same: true, file: 'node.cjs' });
});

it('gives Node one module for both specifiers: node-sync.js holds the host and imports nothing; the other node files import the main entry', () => {
  const dist = (name: string): string => readFileSync(fileURLToPath(new URL(`../dist/${name}`, import.meta.url)), 'utf8');
  // esbuild writes a class as `var AvsbEngine = class …` (`AvsbEngine=class`: the file is built compact, tsup-preset.ts's compactEntries)
  const host = /\b(AvsbEngine|PageEngine|ContextEncoder) ?= ?class\b|\bclass (AvsbEngine|PageEngine|ContextEncoder)\b/;
  const sync = dist('node-sync.js');
  expect(sync).toMatch(host);
  expect(sync).not.toMatch(/^\s*(import\b|export \* from)/m);
  for (const [file, main] of [
    ['node.js', 'export * from "./index.js"'],
    ['node.cjs', 'require("./index.cjs")'],
  ] as const) {
    const text = dist(file);
    expect(text, file).toContain(main);
    expect(text, file).not.toMatch(host);
  }
  // what a Node before 20.19 (no module-sync) loads: dist/index.js and dist/node.js, one copy of the classes between them
  const out = run(
    'module',
    `
    const node = await import('./dist/node.js');
    const main = await import('./dist/index.js');
    console.log(JSON.stringify({ same: node.AvsbEngine === main.AvsbEngine, wasm: typeof node.engineWasmModule }));
  `,
  );
  expect(out).toEqual({ same: true, wasm: 'function' });
});
