import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

// What `@avsb/engine/node` costs at import (issue 9's cold start): on Node
// 20.19+ (the `module-sync` condition) it imports no Node built-in and reaches
// node:fs through process.getBuiltinModule when the .wasm is read; elsewhere
// (and in the CJS build) it falls back to createRequire of node:module, which
// is how Node 18 to 20.15 read the file. Each case runs in a fresh process,
// from the package's directory, so that `@avsb/engine` resolves to dist/
// through the exports map as an application's import does.

const cwd = fileURLToPath(new URL('..', import.meta.url));
const DATAFILE = `{ schemaVersion: 1, flags: [{ key: 'f', on: true, variations: [1, 2], fallthrough: { variation: 1 } }] }`;

/** Runs `body` as an ES module in a fresh Node process; it prints one JSON line. */
function esm(body: string): unknown {
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', body], { cwd, encoding: 'utf8' }));
}

/** The same for CommonJS. */
function cjs(body: string): unknown {
  return JSON.parse(execFileSync(process.execPath, ['--input-type=commonjs', '-e', body], { cwd, encoding: 'utf8' }));
}

const evaluates = (create: string): string => `
  const e = ${create};
  e.load(${DATAFILE});
  const value = e.evaluate(e.registerContext({ key: 'u' }), 'f').value;`;

it('loads no Node built-in module at import on Node 20.19+, and reads the .wasm when asked', () => {
  // a fresh process has node:fs loaded, but an ESM import of it builds a module record that loads Node's streams,
  // and one of node:module loads the public module: both show in process.moduleLoadList
  const out = esm(`
    // the first file an ESM loader reads loads node:fs/promises: after that, only what the entry imports shows
    const { AvsbEngine } = await import('@avsb/engine');
    const before = new Set(process.moduleLoadList);
    const { engineWasmModule } = await import('@avsb/engine/node');
    const atImport = process.moduleLoadList.filter((m) => !before.has(m));
    ${evaluates('AvsbEngine.createSync(engineWasmModule())')}
    console.log(JSON.stringify({ file: import.meta.resolve('@avsb/engine/node').split('/').pop(), atImport, value }));
  `);
  expect(out).toEqual({ file: 'node-sync.js', atImport: [], value: 2 });
});

it('shows what the observation above would catch: an ESM import of node:fs or node:module loads modules', () => {
  const out = esm(`
    await import('@avsb/engine');
    const before = new Set(process.moduleLoadList);
    await import('node:module');
    await import('node:fs');
    console.log(JSON.stringify(process.moduleLoadList.filter((m) => !before.has(m)).length));
  `);
  expect(out).toBeGreaterThan(0);
});

it('reads the .wasm without process.getBuiltinModule (Node 18 to 20.15) through the entry other runtimes and the CJS build get', () => {
  const esmOut = esm(`
    delete process.getBuiltinModule;
    const { AvsbEngine } = await import('@avsb/engine');
    const { engineWasmModule } = await import('./dist/node.js');
    ${evaluates('AvsbEngine.createSync(engineWasmModule())')}
    console.log(JSON.stringify({ value, shared: engineWasmModule() === engineWasmModule() }));
  `);
  expect(esmOut).toEqual({ value: 2, shared: true });
  const cjsOut = cjs(`
    delete process.getBuiltinModule;
    const { AvsbEngine } = require('@avsb/engine');
    const { engineWasmModule } = require('@avsb/engine/node');
    ${evaluates('AvsbEngine.createSync(engineWasmModule())')}
    console.log(JSON.stringify({ file: require.resolve('@avsb/engine/node').split('/').pop(), value }));
  `);
  expect(cjsOut).toEqual({ file: 'node.cjs', value: 2 });
});

it('says why when the module-sync entry finds no process.getBuiltinModule (a runtime that applies the condition without it)', () => {
  const out = esm(`
    delete process.getBuiltinModule;
    const { engineWasmModule } = await import('./dist/node-sync.js');
    let message = '';
    try { engineWasmModule(); } catch (error) { message = error.message; }
    console.log(JSON.stringify(message));
  `);
  expect(out).toMatch(/^@avsb\/engine\/node: avsb-engine\.wasm cannot be read here: cannot read file:\S+\/avsb-engine\.wasm \(this runtime has no process\.getBuiltinModule to reach node:fs with\)/);
});

it('reads the shipped evaluator with evaluatorWasmModule(), once per process, and serves a compiled datafile with it (ESM and CJS)', () => {
  const compiledEvaluates = `
    const doc = compileDatafile(${DATAFILE});
    if (!doc.ok) throw new Error(doc.error);
    const e = AvsbEngine.createSync(evaluatorWasmModule());
    const loaded = loadCompiled(e, JSON.stringify(doc.document));
    const value = e.evaluate(e.registerContext({ key: 'u' }), 'f').value;
    const json = AvsbEngine.createSync(evaluatorWasmModule()).load(${DATAFILE}).ok;`;
  const esmOut = esm(`
    const { AvsbEngine, isEvaluator, loadCompiled } = await import('@avsb/engine');
    const { compileDatafile } = await import('@avsb/engine/compiler');
    const { evaluatorWasmModule, engineWasmModule } = await import('@avsb/engine/node');
    ${compiledEvaluates}
    console.log(JSON.stringify({ loaded: loaded.ok, value, json, evaluator: isEvaluator(e), shared: evaluatorWasmModule() === evaluatorWasmModule(), distinct: evaluatorWasmModule() !== engineWasmModule() }));
  `);
  expect(esmOut).toEqual({ loaded: true, value: 2, json: false, evaluator: true, shared: true, distinct: true });
  const cjsOut = cjs(`
    delete process.getBuiltinModule;
    const { AvsbEngine, isEvaluator, loadCompiled } = require('@avsb/engine');
    const { compileDatafile } = require('@avsb/engine/compiler');
    const { evaluatorWasmModule } = require('@avsb/engine/node');
    ${compiledEvaluates}
    console.log(JSON.stringify({ loaded: loaded.ok, value, evaluator: isEvaluator(e) }));
  `);
  expect(cjsOut).toEqual({ loaded: true, value: 2, evaluator: true });
});

it('says to pass the inlined evaluator when avsb-evaluator.wasm cannot be read', () => {
  const out = esm(`
    delete process.getBuiltinModule;
    const { evaluatorWasmModule } = await import('./dist/node-sync.js');
    let message = '';
    try { evaluatorWasmModule(); } catch (error) { message = error.message; }
    console.log(JSON.stringify(message));
  `);
  expect(out).toMatch(/^@avsb\/engine\/node: avsb-evaluator\.wasm cannot be read here: .*Pass the engine instead: evaluatorWasmBytes\(\) of '@avsb\/engine\/wasm-inline' \(new AvsbServer\(\{ engineWasm: evaluatorWasmBytes\(\) \}\)/);
});
