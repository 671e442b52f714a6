import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { importedModules, inFreshNode, nodeCopyExports } from '@avsb/test-support';
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
  const { resolved, node, index } = await nodeCopyExports(cwd, '@avsb/events', dist('index.js'));
  expect(resolved).toMatch(/\/dist\/index\.node\.js$/);
  expect(node).toEqual(index);
  const imports = (file: string) => importedModules(dist(file));
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
  expect(await inFreshNode(cwd, script, env)).toMatchObject({ sent: 2, dropped: 0, queued: 0 });
  const stored = (await backend.events()).filter((e) => e.kind === 'custom' && e.key === 'node-copy');
  expect(stored.map((e) => e.value)).toEqual([7]);
});
