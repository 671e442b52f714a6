import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runInNewContext } from 'node:vm';
import { build } from 'esbuild';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AvsbEngine } from '../src/index';
import { engineWasmBytes } from '../src/wasm-inline';
import { guideDatafile } from './support/fixtures';
import { wasmBytes, wasmModule } from './support/wasm';

// The engine compiles from whatever source the caller hands over; the main
// entry carries no .wasm of its own (ABI.md is unchanged, this is the host).

const server = createServer((req, res) => {
  if (req.url === '/missing.wasm') {
    res.writeHead(404).end('not found');
    return;
  }
  const type = req.url === '/octet.wasm' ? 'application/octet-stream' : 'application/wasm';
  res.writeHead(200, { 'content-type': type }).end(wasmBytes('release'));
});
let base = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function answers(e: AvsbEngine): unknown {
  e.load(guideDatafile);
  return e.evaluate(e.registerContext({ key: 'u_1' }), 'checkout-v2').value;
}

it('creates from bytes, from a compiled module, synchronously or not', async () => {
  expect(answers(await AvsbEngine.create(wasmBytes('release')))).toBe(true);
  expect(answers(await AvsbEngine.create(wasmModule('release')))).toBe(true);
  expect(answers(AvsbEngine.createSync(wasmBytes('release')))).toBe(true);
  expect(answers(AvsbEngine.createSync(wasmModule('release')))).toBe(true);
});

it('takes a module compiled in another realm (a vm context, as workerd and edge-runtime hand over), without compiling it again', async () => {
  const foreign = runInNewContext('new WebAssembly.Module(bytes)', { bytes: wasmBytes('release') }) as WebAssembly.Module;
  expect(foreign instanceof WebAssembly.Module).toBe(false); // what the check must not rely on
  expect(answers(AvsbEngine.createSync(foreign))).toBe(true);
  expect(answers(await AvsbEngine.create(foreign))).toBe(true);
  expect(answers(await AvsbEngine.create(Promise.resolve(foreign)))).toBe(true);
  // an object that is not a module still fails to compile as before, as bytes
  expect(() => AvsbEngine.createSync({} as WebAssembly.Module)).toThrow(TypeError);
});

it('creates from a fetch response, streamed when it is served as application/wasm and from its bytes otherwise', async () => {
  expect(answers(await AvsbEngine.create(fetch(`${base}/engine.wasm`)))).toBe(true);
  expect(answers(await AvsbEngine.create(await fetch(`${base}/engine.wasm`)))).toBe(true);
  expect(answers(await AvsbEngine.create(fetch(`${base}/octet.wasm`)))).toBe(true);
});

it('refuses a response that is not the .wasm, naming its status', async () => {
  await expect(AvsbEngine.create(fetch(`${base}/missing.wasm`))).rejects.toThrow('avsb-engine.wasm: the response has status 404');
});

it('loads the shipped .wasm in Node through @avsb/engine/node, once per process and without loading fetch', () => {
  // a fresh process, as an application starts: Node loads its fetch implementation (undici) on first use of
  // fetch, Request or Response, which costs 15-20 ms of cold start, so the Node path must never touch them
  const script = `
    import { AvsbEngine } from '@avsb/engine';
    import { engineWasmModule } from '@avsb/engine/node';
    const a = AvsbEngine.createSync(engineWasmModule());
    a.load({ schemaVersion: 1, flags: [{ key: 'f', on: true, variations: [1, 2], fallthrough: { variation: 1 } }] });
    const value = a.evaluate(a.registerContext({ key: 'u' }), 'f').value;
    const b = await AvsbEngine.create(engineWasmModule());
    const undici = process.moduleLoadList.filter((m) => m.includes('undici'));
    console.log(JSON.stringify({ value, shared: engineWasmModule() === engineWasmModule(), undici, b: b.revision }));
  `;
  const cwd = fileURLToPath(new URL('..', import.meta.url));
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd, encoding: 'utf8' });
  expect(JSON.parse(out)).toEqual({ value: 2, shared: true, undici: [], b: null });
});

/** `@avsb/engine/node` bundled into a file of its own directory, where no .wasm is, as a server bundle of an app. */
async function bundledNodeEntry(importMetaUrl?: string): Promise<{ engineWasmModule(): WebAssembly.Module }> {
  const dir = mkdtempSync(join(tmpdir(), 'avsb-engine-bundled-'));
  try {
    const result = await build({
      entryPoints: [fileURLToPath(new URL('../src/node.ts', import.meta.url))],
      bundle: true,
      format: 'esm',
      platform: 'node',
      write: false,
      logLevel: 'silent',
      define: importMetaUrl === undefined ? {} : { 'import.meta.url': JSON.stringify(importMetaUrl) },
    });
    const file = join(dir, 'server-chunk.mjs');
    writeFileSync(file, result.outputFiles[0]!.contents);
    return (await import(pathToFileURL(file).href)) as { engineWasmModule(): WebAssembly.Module };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const INSTEAD =
  "Pass the engine instead: engineWasmBytes() of '@avsb/engine/wasm-inline' (new AvsbServer({ engineWasm: engineWasmBytes() }) with @avsb/node, " +
  'AvsbEngine.createSync(engineWasmBytes()) with the engine alone), or keep @avsb/engine out of the bundle (serverExternalPackages in Next.js)';

it('says what to pass instead when a bundler rewrote the .wasm location to a URL that is no file, as Turbopack does', async () => {
  const entry = await bundledNodeEntry('http://localhost:3000/_next/static/chunks/server-chunk.js');
  expect(() => entry.engineWasmModule()).toThrow(
    "@avsb/engine/node: avsb-engine.wasm cannot be read here: a bundler rewrote new URL('./avsb-engine.wasm', import.meta.url) to " +
      `"http://localhost:3000/_next/static/chunks/avsb-engine.wasm", which is no file (Next.js's Turbopack does in server bundles). ${INSTEAD}`,
  );
  // what it advises works
  expect(answers(AvsbEngine.createSync(engineWasmBytes()))).toBe(true);
});

it('says what to pass instead when the bundle left the .wasm behind', async () => {
  const entry = await bundledNodeEntry();
  expect(() => entry.engineWasmModule()).toThrow(/^@avsb\/engine\/node: avsb-engine\.wasm cannot be read here: cannot read file:\/\/\S+\/avsb-engine\.wasm \(ENOENT[^)]*\); a bundler may have moved this code away from it\. Pass the engine instead/);
});
