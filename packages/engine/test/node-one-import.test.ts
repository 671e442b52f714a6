import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

// `@avsb/engine/node` hands on the main entry's exports, so a Node host's cold
// start resolves one bare specifier instead of two (issue 9: the second costs
// a fresh process ≈ 1 ms of Node's package resolution). What must hold: the
// classes are the main entry's own (one copy, whichever specifier an
// application or a library below it imports), in ESM and in CJS, and the node
// files do not carry a second copy of the host. Fresh processes from the
// package's directory, so that the exports map resolves as an application's
// import does.

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
    console.log(JSON.stringify({ loaded, value, same: node.AvsbEngine === main.AvsbEngine && node.ContextEncoder === main.ContextEncoder, isInstance: e instanceof main.PageEngine, file: import.meta.resolve('@avsb/engine/node').split('/').pop() }));
  `,
  );
  expect(out).toEqual({ loaded: true, value: 2, same: true, isInstance: true, file: 'node-sync.js' });
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

it('keeps the host out of the node files: they import the main entry, in their own format', () => {
  const dist = (name: string): string => readFileSync(fileURLToPath(new URL(`../dist/${name}`, import.meta.url)), 'utf8');
  for (const [file, main] of [
    ['node-sync.js', 'export * from "./index.js"'],
    ['node.js', 'export * from "./index.js"'],
    ['node.cjs', 'require("./index.cjs")'],
  ] as const) {
    const text = dist(file);
    expect(text, file).toContain(main);
    expect(text, file).not.toMatch(/class (AvsbEngine|PageEngine|ContextEncoder)\b/);
  }
});
