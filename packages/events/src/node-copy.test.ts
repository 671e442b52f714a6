import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startBackend, type Backend } from '../test/support/harness';

// A server imports @avsb/events when it first sends events; Node gets its own copy of the index (`module-sync`,
// dist/index.node.js): compacted, with @avsb/common and @avsb/protocol inlined, one module to read and compile and no
// package to resolve (tools/bench/earlier-measurements.md, "@avsb/node's import after the sixteenth session's pass").
// Bundlers, pages among them, keep the annotated index with its imports.

const cwd = fileURLToPath(new URL('..', import.meta.url));
const dist = (file: string): string => fileURLToPath(new URL(`../dist/${file}`, import.meta.url));
let backend: Backend;

beforeAll(async () => {
  backend = await startBackend();
});
afterAll(async () => {
  await backend?.close();
});

it("gives Node one self-contained file with the index's exports", async () => {
  const script = `
    const node = Object.keys(await import('@avsb/events')).sort();
    const index = Object.keys(await import(${JSON.stringify(dist('index.js'))})).sort();
    console.log(JSON.stringify({ resolved: import.meta.resolve('@avsb/events'), node, index }));
  `;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { cwd, encoding: 'utf8' });
  const { resolved, node, index } = JSON.parse(stdout) as { resolved: string; node: string[]; index: string[] };
  expect(resolved).toMatch(/\/dist\/index\.node\.js$/);
  expect(node).toEqual(index);
  const imports = (file: string) => [...new Set(readFileSync(dist(file), 'utf8').match(/(?<=\b(?:from|import)\s*\(?")[^"]+/g))].sort();
  expect(imports('index.node.js')).toEqual([]);
  expect(imports('index.js')).toEqual(['@avsb/common', '@avsb/protocol']);
});

it("delivers a server's events from Node's copy to the service", async () => {
  // the key reaches the child through its environment, never its command line
  const script = `
    const { EventPipeline, createPlatform, fetchTransport } = await import('@avsb/events');
    const transport = fetchTransport({ baseUrl: process.env.BASE_URL, sdkKey: process.env.SDK_KEY, timeoutMs: 5000 });
    const pipeline = new EventPipeline(createPlatform({ transport }), { flushIntervalMs: 60_000 });
    pipeline.recordCustom({ key: 'node-copy', value: 7, context: { kind: 'user', key: 'u_node_copy' } });
    await pipeline.close();
    console.log(JSON.stringify(pipeline.diagnostics()));
  `;
  const env = { ...process.env, BASE_URL: backend.server.url, SDK_KEY: backend.sdkKey };
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { cwd, env, encoding: 'utf8' });
  expect(JSON.parse(stdout)).toMatchObject({ sent: 2, dropped: 0, queued: 0 });
  const stored = (await backend.events()).filter((e) => e.kind === 'custom' && e.key === 'node-copy');
  expect(stored.map((e) => e.value)).toEqual([7]);
});
