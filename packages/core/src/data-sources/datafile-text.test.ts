import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AvsbEngine } from '@avsb/engine';
import { engineWasmModule } from '@avsb/engine/node';
import { afterEach, expect, it } from 'vitest';
import { guideDatafile } from '../../test/support/fixtures';
import { MemoryLogger } from '@avsb/test-support';
import { testPlatform } from '../../test/support/platform';
import { ClientCore } from '../client-core';
import type { DataSourceFactory } from './data-source';
import { pollingDataSource, streamingDataSource } from './factories';

// A datafile that arrives as text reaches the engine as that text: a server's
// data source hands it on unparsed (DatafileText), the store loads it as it is
// (an engine without lazyFlags parses its first one itself), and nothing
// serialises it again.

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()!();
});

/** A service on 127.0.0.1 answering the datafile (and, on the stream, one put event of it). */
async function service(body: string): Promise<string> {
  const server = createServer((req, res) => {
    if (req.url === '/sdk/v1/datafile') {
      res.writeHead(200, { 'Content-Type': 'application/json', ETag: '"1"' });
      res.end(body);
    } else if (req.url === '/sdk/v1/stream') {
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      res.write(`event: put\ndata: ${body}\n\n`);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  server.on('connection', (socket) => closers.push(async () => void socket.destroy()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** What the engine was given to load, as a client polls or streams `body`. */
async function loadedText(body: string, source: (baseUrl: string) => DataSourceFactory): Promise<unknown[]> {
  const baseUrl = await service(body);
  const engine = AvsbEngine.createSync(engineWasmModule());
  const load = engine.load.bind(engine);
  const given: unknown[] = [];
  engine.load = (datafile, parsed) => {
    given.push(datafile);
    return load(datafile, parsed);
  };
  const core = new ClientCore({ platform: testPlatform(new MemoryLogger()), engine, dataSource: source(baseUrl) });
  closers.push(() => core.close());
  expect(await core.onReady({ timeoutMs: 10_000 })).toMatchObject({ ready: true, revision: 9 });
  expect(core.forUser({ key: 'u_1' }).getBoolFlag('checkout-v2', false)).toBe(true);
  return given;
}

// a body as a service may format it: not what JSON.stringify of the parsed object gives
const body = JSON.stringify(guideDatafile(9), null, 1);

it('hands the engine a polled datafile as the body it received', async () => {
  expect(await loadedText(body, (baseUrl) => pollingDataSource({ baseUrl, sdkKey: 'srv-test' }))).toEqual([body]);
});

it('hands the engine the datafile of a stream put event as the event data', async () => {
  const line = JSON.stringify(guideDatafile(9));
  expect(await loadedText(line, (baseUrl) => streamingDataSource({ baseUrl, sdkKey: 'srv-test' }))).toEqual([line]);
});

it('hands the engine the datafile of a stream put envelope, {"datafile": …}, as its text within the event data', async () => {
  const line = JSON.stringify(guideDatafile(9));
  expect(await loadedText(`{"datafile": ${line}}`, (baseUrl) => streamingDataSource({ baseUrl, sdkKey: 'srv-test' }))).toEqual([line]);
});
