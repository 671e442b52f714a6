import { createServer } from 'node:http';
import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { AvsbEngine } from '@avsb/engine';
import { compileDatafile } from '@avsb/engine/compiler';
import { afterEach, expect, it } from 'vitest';
import { guideDatafile } from '../../test/support/fixtures';
import { MemoryLogger } from '@avsb/test-support';
import { testPlatform } from '../../test/support/platform';
import { ClientCore } from '../client-core';
import type { DataSourceFactory } from './data-source';
import { pollingDataSource, streamingDataSource } from './factories';

// Data sources for an engine on avsb-evaluator.wasm (compiled: true): the
// datafile request asks for the compiled form, the stream's JSON put and
// patches make the source fetch it, and the engine never sees JSON.

const COMPILED = 'application/vnd.avsb.compiled-datafile; v=1';
const wasmFile = (name: string) => readFileSync(createRequire(import.meta.url).resolve(`@avsb/engine/${name}`));

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()!();
});

/** A service on 127.0.0.1 that answers the compiled form to those who ask, and streams JSON puts and patches. */
async function service() {
  let datafile = guideDatafile(1);
  const accepts: string[] = [];
  const streams: ServerResponse[] = [];
  const server = createServer((req, res) => {
    if (req.url === '/sdk/v1/datafile') {
      const accept = req.headers.accept ?? '';
      accepts.push(accept);
      const compiled = accept.includes(COMPILED);
      const etag = `"${compiled ? 'c' : 'j'}-${datafile.revision}"`;
      if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { ETag: etag }).end();
      const r = compileDatafile(datafile);
      res.writeHead(200, { 'Content-Type': compiled ? COMPILED : 'application/json', ETag: etag, Vary: 'Accept' });
      res.end(JSON.stringify(compiled && r.ok ? r.document : datafile));
    } else if (req.url === '/sdk/v1/stream') {
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      res.write(`event: put\ndata: ${JSON.stringify(datafile)}\n\n`);
      streams.push(res);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  server.on('connection', (socket) => closers.push(async () => void socket.destroy()));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    accepts,
    /** Turns checkout-v2 off at the next revision and streams the patch. */
    toggle() {
      const flags = datafile.flags.map((f) => (f.key === 'checkout-v2' ? { ...f, on: false } : f));
      datafile = { ...datafile, revision: datafile.revision! + 1, flags };
      const value = flags.find((f) => f.key === 'checkout-v2');
      for (const s of streams) s.write(`event: patch\ndata: ${JSON.stringify({ revision: datafile.revision, kind: 'flag', key: 'checkout-v2', value })}\n\n`);
    },
  };
}

async function compiledClient(source: (baseUrl: string) => DataSourceFactory) {
  const s = await service();
  const engine = AvsbEngine.createSync(wasmFile('avsb-evaluator.wasm'));
  const jsonLoads: unknown[] = [];
  const load = engine.load.bind(engine);
  engine.load = (datafile, parsed) => {
    jsonLoads.push(datafile);
    return load(datafile, parsed);
  };
  const core = new ClientCore({ platform: testPlatform(new MemoryLogger()), engine, dataSource: source(s.baseUrl) });
  closers.push(() => core.close());
  expect(await core.onReady({ timeoutMs: 10_000 })).toMatchObject({ ready: true, revision: 1 });
  return { s, core, jsonLoads };
}

const until = async (check: () => boolean): Promise<void> => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
  expect(check()).toBe(true);
};

it('streaming: the JSON put makes it fetch the compiled datafile, and a patch the next one; the engine never sees JSON', async () => {
  const { s, core, jsonLoads } = await compiledClient((baseUrl) => streamingDataSource({ baseUrl, sdkKey: 'cli-test', compiled: true }));
  expect(s.accepts).toEqual([`${COMPILED}, application/json;q=0.5`]);
  expect(core.store.datafile).toMatchObject({ format: 'avsb.compiled-datafile', revision: 1 });
  expect(core.forUser({ key: 'u_1' }).getBoolFlag('checkout-v2', false)).toBe(true);
  s.toggle();
  await until(() => core.store.revision === 2);
  expect(core.forUser({ key: 'u_1' }).getBoolFlag('checkout-v2', true)).toBe(false);
  expect(s.accepts.length).toBe(2);
  expect(jsonLoads).toEqual([]);
});

it('polling: asks for the compiled datafile, revalidates with its ETag', async () => {
  const { s, core } = await compiledClient((baseUrl) => pollingDataSource({ baseUrl, sdkKey: 'cli-test', compiled: true, pollIntervalMs: 50 }));
  await until(() => s.accepts.length >= 3);
  expect(new Set(s.accepts)).toEqual(new Set([`${COMPILED}, application/json;q=0.5`]));
  s.toggle();
  await until(() => core.store.revision === 2);
  expect(core.forUser({ key: 'u_1' }).getBoolFlag('checkout-v2', true)).toBe(false);
});

it('without compiled, the sources ask for JSON as before', async () => {
  const s = await service();
  const engine = AvsbEngine.createSync(wasmFile('avsb-engine.wasm'));
  const core = new ClientCore({ platform: testPlatform(new MemoryLogger()), engine, dataSource: pollingDataSource({ baseUrl: s.baseUrl, sdkKey: 'cli-test' }) });
  closers.push(() => core.close());
  expect(await core.onReady({ timeoutMs: 10_000 })).toMatchObject({ ready: true, revision: 1 });
  expect(s.accepts).toEqual(['application/json']);
});
