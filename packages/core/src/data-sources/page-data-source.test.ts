import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { BACKOFF_DEFAULTS } from '@avsb/common';
import { STREAM_SILENCE_MS } from '@avsb/protocol';
import { AvsbEngine } from '@avsb/engine';
import { compileDatafile } from '@avsb/engine/compiler';
import { MemoryLogger, holdTimers } from '@avsb/test-support';
import type { HeldTimers } from '@avsb/test-support';
import { afterEach, expect, it } from 'vitest';
import { guideDatafile } from '../../test/support/fixtures';
import { testPlatform } from '../../test/support/platform';
import type { Platform } from '../platform';
import { LogOnce } from '../logger';
import { PageCore } from '../page-core';
import { JsonPageStore } from '../page-json-store';
import type { PageSourceOptions } from './page-data-source';
import { PageDataSource, RESET_AFTER_MS, pageDataSource } from './page-data-source';

// The page's data source against a real service on 127.0.0.1, through the page's real client core and engine. Its
// timers run 100 times faster than asked (the platform is injected), so the protocol's fixed figures (1 s of backoff
// doubling, 45 s of silence) take milliseconds. The 45 s of silence keeps its real length unless a test is about it.
// A test that shows something did not happen by a deadline holds the timers on a clock of its own and advances it
// past the deadline: waiting in wall time instead passes the more easily the slower the machine.

const COMPILED = 'application/vnd.avsb.compiled-datafile; v=1';
const SCALE = 100;
const wasmFile = (name: string) => readFileSync(createRequire(import.meta.url).resolve(`@avsb/engine/${name}`));

const closers: (() => unknown)[] = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()!();
});

interface Request {
  path: string;
  accept: string;
  ifNoneMatch: string | undefined;
}

/**
 * A service that answers the datafile (compiled to those who ask, with an ETag) and streams JSON events; `stream` decides
 * how a stream request is answered (default: a put of the current datafile, then held open).
 */
async function service(stream?: (res: ServerResponse, n: number) => void, fail?: (res: ServerResponse, n: number) => boolean) {
  let datafile = guideDatafile(1);
  const requests: Request[] = [];
  const open: ServerResponse[] = [];
  let streams = 0;
  let datafileRequests = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    requests.push({ path: req.url ?? '', accept: req.headers.accept ?? '', ifNoneMatch: req.headers['if-none-match'] });
    if (req.url === '/sdk/v1/datafile') {
      if (fail?.(res, datafileRequests++) === true) return;
      const compiled = (req.headers.accept ?? '').includes(COMPILED);
      const etag = `"${compiled ? 'c' : 'j'}-${datafile.revision}"`;
      if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { ETag: etag }).end();
      const r = compileDatafile(datafile);
      res.writeHead(200, { 'Content-Type': compiled ? COMPILED : 'application/json', ETag: etag });
      res.end(JSON.stringify(compiled && r.ok ? r.document : datafile));
    } else if (req.url === '/sdk/v1/stream') {
      if (stream !== undefined) return stream(res, streams++);
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      res.write(`event: put\ndata: ${JSON.stringify({ datafile })}\n\n`);
      open.push(res);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => server.close(resolve)));
  server.on('connection', (socket) => closers.push(() => socket.destroy()));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    of: (path: string) => requests.filter((r) => r.path === path),
    /** Turns checkout-v2 off at the next revision; `send` tells open streams (a patch, or nothing). */
    toggle(send: 'patch' | 'none' = 'patch') {
      const flags = datafile.flags.map((f) => (f.key === 'checkout-v2' ? { ...f, on: !f.on } : f));
      datafile = { ...datafile, revision: datafile.revision! + 1, flags };
      const value = flags.find((f) => f.key === 'checkout-v2');
      if (send === 'patch') for (const s of open) s.write(`event: patch\ndata: ${JSON.stringify({ revision: datafile.revision, kind: 'flag', key: 'checkout-v2', value })}\n\n`);
    },
    /** Sends `text` on every open stream. */
    send: (text: string) => open.forEach((s) => s.write(text)),
  };
}

/**
 * Real timers, `SCALE` times faster; the stream's silence too only when `fastSilence`. Scaled, it is 450 ms, which a
 * loaded machine's test can spend between two events it sends (a patch's datafile fetched and loaded, a pause): the
 * connection drops, and the reconnect's put brings the revision a patch would have fetched.
 */
function fastPlatform(logger: MemoryLogger, fastSilence: boolean): Platform {
  const platform = testPlatform(logger);
  const scaled = (ms: number) => (ms === STREAM_SILENCE_MS && !fastSilence ? ms : ms / SCALE);
  return { ...platform, setTimeout: (fn, ms, keepAlive) => platform.setTimeout(fn, scaled(ms), keepAlive) };
}

function page(
  options: Omit<PageSourceOptions, 'sdkKey'>,
  {
    wasm = options.compiled === true ? 'avsb-evaluator.wasm' : 'avsb-engine.wasm',
    /** Tell the source the revision the core serves. */
    served = false,
    /** The 45 s of silence that drop a connection take 450 ms. */
    fastSilence = false,
    /** Timers held on the test's clock (their delays as asked, unscaled); the others run scaled. */
    held = undefined as HeldTimers | undefined,
  } = {},
) {
  const logger = new MemoryLogger();
  // what the source did, in the order it did it: its requests (as it calls fetch), the datafiles it put, and `valid`
  // (the source told the core its data is good: after the stream's put, whatever that put made it request)
  const did: string[] = [];
  // the delays its timers were asked for, before scaling
  const asked: number[] = [];
  const scaled = fastPlatform(logger, fastSilence);
  const fast = held === undefined ? scaled : held.wrap(scaled);
  const platform: Platform = {
    ...fast,
    setTimeout: (fn, ms, keepAlive) => (asked.push(ms), fast.setTimeout(fn, ms, keepAlive)),
    fetch: (url, init) => {
      did.push(`fetch ${new URL(url).pathname}`);
      return fast.fetch(url, init);
    },
  };
  const engine = AvsbEngine.createSync(wasmFile(wasm));
  const jsonLoads: unknown[] = [];
  const load = engine.load.bind(engine);
  engine.load = (datafile, parsed) => {
    jsonLoads.push(datafile);
    return load(datafile, parsed);
  };
  const core: PageCore = new PageCore({
    platform,
    engine,
    context: { key: 'u_1' },
    // a request's timeout at 10 s scaled would be 100 ms, which a loaded machine's first request can outlive: 5 s here
    dataSource: (sink, platform) =>
      pageDataSource({ sdkKey: 'cli-test', requestTimeoutMs: 5_000 * SCALE, ...options, ...(served ? { served: () => core.store.revision } : {}) })(
        {
          put: (datafile, put) => {
            did.push(`put ${put?.source}`);
            return sink.put(datafile, put);
          },
          valid: () => {
            did.push('valid');
            sink.valid();
          },
          error: (error) => sink.error(error),
        },
        platform,
      ),
    events: null,
    logOnce: new LogOnce(logger),
    keyHelp: 'pass the client key',
    settled: () => {},
    // JSON datafiles go through the engine's load (counted above); compiled ones are a page store's own
    store: (e, l) => new JsonPageStore(e, l),
  });
  closers.push(() => core.close());
  const checkout = () => core.read('checkout-v2', null, 'boolean').value;
  return { core, logger, jsonLoads, checkout, did, asked };
}

it('reconnects at the figures of BACKOFF_DEFAULTS, which the page’s data source writes out rather than imports', () => {
  // the protected figures a server's source sets, read as a subclass would
  class Figures extends PageDataSource {
    figures() {
      return { initialMs: this._retryMs, maxMs: this._retryMaxMs, resetAfterMs: RESET_AFTER_MS };
    }
  }
  const sink = { put: () => 'applied' as const, valid: () => {}, error: () => {} };
  const source = new Figures({ baseUrl: 'http://127.0.0.1:1', sdkKey: 'cli-test' }, sink, testPlatform(new MemoryLogger()));
  expect(source.figures()).toEqual(BACKOFF_DEFAULTS);
});

const until = async (check: () => boolean, what = 'the condition'): Promise<void> => {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check(), what).toBe(true);
};

it('on compiled datafiles, fetches the compiled form for the stream’s put and for each patch, conditionally; the engine never sees JSON', async () => {
  const s = await service();
  const { core, jsonLoads, checkout } = page({ baseUrl: s.baseUrl, compiled: true });
  await until(() => core.store.revision === 1);
  expect(core.store.datafile).toMatchObject({ format: 'avsb.compiled-datafile', revision: 1 });
  expect(checkout()).toBe(true);
  s.toggle();
  await until(() => core.store.revision === 2);
  expect(checkout()).toBe(false);
  const fetched = s.of('/sdk/v1/datafile');
  expect(fetched.map((r) => r.accept)).toEqual([`${COMPILED}, application/json;q=0.5`, `${COMPILED}, application/json;q=0.5`]);
  expect(fetched.map((r) => r.ifNoneMatch)).toEqual([undefined, '"c-1"']);
  expect(jsonLoads).toEqual([]);
});

it('fetches nothing for a put of the revision already served (a returning visitor’s current cache), and fetches the next one', async () => {
  const s = await service();
  const compiled = compileDatafile(guideDatafile(1));
  if (!compiled.ok) throw new Error('the guide datafile does not compile');
  const { core, checkout, did } = page({ baseUrl: s.baseUrl, compiled: true }, { wasm: 'avsb-evaluator.wasm', served: true });
  core.put(JSON.parse(JSON.stringify(compiled.document)), { source: 'cache' });
  // the source requests what a put makes it fetch before it tells the core its data is valid
  await until(() => did.includes('valid'), 'the stream’s put');
  expect(did).toEqual(['fetch /sdk/v1/stream', 'valid']);
  s.toggle();
  await until(() => core.store.revision === 2);
  expect(checkout()).toBe(false);
  expect(s.of('/sdk/v1/datafile').length).toBe(1);
});

it('on JSON datafiles, serves the stream’s put as it comes, and fetches the revision a patch announces, in sequence or not (a page’s store is replaced whole)', async () => {
  const s = await service();
  const { core, checkout } = page({ baseUrl: s.baseUrl });
  await until(() => core.store.revision === 1);
  expect(s.of('/sdk/v1/datafile')).toEqual([]);
  // a patch at the next revision: one conditional request for it
  s.toggle();
  await until(() => core.store.revision === 2);
  expect(checkout()).toBe(false);
  expect(s.of('/sdk/v1/datafile').length).toBe(1);
  // revision 3 is not told; 4 comes as a patch out of sequence: fetched the same way
  s.toggle('none');
  s.toggle();
  await until(() => core.store.revision === 4);
  expect(checkout()).toBe(false);
  expect(s.of('/sdk/v1/datafile').map((r) => r.accept)).toEqual(['application/json', 'application/json']);
});

it('polls alongside after three failed connections, and stops polling once the stream delivers again', async () => {
  let failing = true;
  const s = await service((res) => {
    if (failing) return void res.writeHead(503).end();
    res.writeHead(200, { 'Content-Type': 'text/event-stream' }).write(`event: put\ndata: ${JSON.stringify({ datafile: guideDatafile(1) })}\n\n`);
  });
  // the polling interval is held: the next poll comes when the test fires it
  const polls = holdTimers((ms) => ms === 5_000);
  const { core, logger, did } = page({ baseUrl: s.baseUrl, pollIntervalMs: 5_000 }, { held: polls });
  await until(() => core.store.revision === 1, 'a datafile from polling');
  expect(polls.armed).toEqual([{ ms: 5_000, keepAlive: undefined }]);
  // The order the source made its requests in, not the server's count once the poll landed: the fourth connection
  // follows the third failure 20-40 ms later here, which a loaded machine's poll (a request, a load) can outlast.
  expect(did.slice(0, did.indexOf('fetch /sdk/v1/datafile') + 1)).toEqual([...Array(3).fill('fetch /sdk/v1/stream'), 'fetch /sdk/v1/datafile']);
  expect(did).toContain('put poll');
  expect(logger.at('info')).toContain('stream: HTTP 503; polling the datafile while the stream retries');
  failing = false;
  await until(() => did.includes('put stream'), 'a datafile from the stream');
  // polling stops as the stream's datafile is put: its next poll was cleared, and firing whatever is still held (a
  // poll would call fetch at once) requests no datafile after the put
  polls.fire();
  expect(did.slice(did.indexOf('put stream'))).not.toContain('fetch /sdk/v1/datafile');
});

it('polls at once when the stream asks for a pause longer than the polling interval, and reconnects no sooner than asked', async () => {
  const s = await service((res) => void res.writeHead(503, { 'Retry-After': '3600' }).end());
  const clock = holdTimers((ms) => ms > 0); // the core starts its source on a 0 ms timer
  const { core, did } = page({ baseUrl: s.baseUrl, pollIntervalMs: 60_000 }, { held: clock });
  await until(() => core.store.revision === 1, 'a datafile from polling');
  // an hour less a millisecond: the reconnect's timer, once it fires, calls fetch at once
  clock.advance(3_600_000 - 1);
  expect(did.filter((d) => d === 'fetch /sdk/v1/stream')).toHaveLength(1);
  clock.advance(1);
  expect(did.filter((d) => d === 'fetch /sdk/v1/stream')).toHaveLength(2);
});

it('reconnects when nothing was heard for 45 s, without reporting a problem once a datafile was delivered', async () => {
  const s = await service((res) => {
    res.writeHead(200, { 'Content-Type': 'text/event-stream' }).write(`event: put\ndata: ${JSON.stringify({ datafile: guideDatafile(1) })}\n\n`);
  });
  const { core, logger } = page({ baseUrl: s.baseUrl }, { fastSilence: true });
  await until(() => core.store.revision === 1);
  await until(() => s.of('/sdk/v1/stream').length >= 2, 'a second connection');
  expect(logger.at('warn')).toEqual([]);
});

it('treats an event that is not a JSON object as a broken stream: reported, reconnected', async () => {
  const s = await service((res, n) => {
    res.writeHead(200, { 'Content-Type': 'text/event-stream' }).write(n === 0 ? 'event: put\ndata: {"datafile": \n\n' : `event: put\ndata: ${JSON.stringify(guideDatafile(1))}\n\n`);
  });
  const { core, logger } = page({ baseUrl: s.baseUrl });
  await until(() => core.store.revision === 1);
  expect(logger.at('warn').join('\n')).toMatch(/stream: a put event is not a JSON object; serving flag defaults and retrying/);
});

it('stops everything when the service refuses the key', async () => {
  const s = await service((res) => void res.writeHead(401).end());
  const clock = holdTimers((ms) => ms > 0); // the core starts its source on a 0 ms timer
  const { core, did } = page({ baseUrl: s.baseUrl }, { held: clock });
  await until(() => core.status() !== null);
  expect(core.status()).toMatchObject({ ready: false, error: { kind: 'unauthorized' } });
  // a day on: every reconnect and poll would have fallen due, and each calls fetch at once
  clock.advance(86_400_000);
  expect(did).toEqual(['fetch /sdk/v1/stream']);
  expect(s.requests.map((r) => r.path)).toEqual(['/sdk/v1/stream']);
});

it('polls alone with streaming: false, revalidating with the ETag', async () => {
  const s = await service();
  const { core, checkout } = page({ baseUrl: s.baseUrl, streaming: false, pollIntervalMs: 2_000 });
  await until(() => s.of('/sdk/v1/datafile').length >= 3);
  expect(core.store.revision).toBe(1);
  expect(s.of('/sdk/v1/datafile').slice(1, 3).map((r) => r.ifNoneMatch)).toEqual(['"j-1"', '"j-1"']);
  s.toggle('none');
  await until(() => core.store.revision === 2);
  expect(checkout()).toBe(false);
  expect(s.of('/sdk/v1/stream')).toEqual([]);
});

it('polls again sooner after a failed poll, with backoff, and no sooner than a Retry-After', async () => {
  const at: number[] = [];
  const s = await service(undefined, (res, n) => {
    at.push(Date.now());
    if (n > 3) return false;
    res.writeHead(n < 3 ? 500 : 503, n < 3 ? {} : { 'Retry-After': '30' }).end();
    return true;
  });
  const { core, asked } = page({ baseUrl: s.baseUrl, streaming: false, pollIntervalMs: 600_000 });
  // three failures (backoff from 1 s: 10-20 ms here), then a Retry-After of 30 s (300 ms here), then the datafile
  await until(() => core.store.revision === 1, 'the datafile after the failures');
  expect(at.length).toBe(5);
  expect(at[4]! - at[3]!).toBeGreaterThanOrEqual(290);
  // the waits the poll loop asked for (not the requests' timeouts): backoff from 1 s with jitter keeping at least half,
  // then the Retry-After, then, the datafile in, the interval; not a clock's reading, which a loaded machine stretches
  const waits = asked.filter((ms) => ms > 0 && ms !== 5_000 * SCALE);
  expect(waits).toHaveLength(5);
  waits.slice(0, 3).forEach((ms, i) => expect(ms).toSatisfy((ms: number) => ms >= 500 * 2 ** i && ms <= 1_000 * 2 ** i));
  expect(waits.slice(3)).toEqual([30_000, 600_000]);
});
