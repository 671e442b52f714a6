import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { MemoryLogger } from '@avsb/test-support';
import { AvsbServer } from '../src/index';
import { ScriptedService, goodDatafile, serveDatafile } from './support/scripted-service';

// `import('@avsb/node')` leaves the event pipeline's module (@avsb/events) out: a server imports it when it is made,
// and what it records before the module is there (the same turn as its constructor) is kept and delivered.

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

it('reads no @avsb/events at import, and imports it when a server that sends events is made', () => {
  const dir = mkdtempSync(join(tmpdir(), 'avsb-node-import-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const log = join(dir, 'loaded.txt');
  // a module load hook writes each URL it loads (synchronously, before the import that asked for it resolves)
  const hook = join(dir, 'hook.mjs');
  writeFileSync(hook, `import { appendFileSync } from 'node:fs';\nexport async function load(url, context, next) { appendFileSync(${JSON.stringify(log)}, url + '\\n'); return next(url, context); }\n`);
  const script = `
    import { register } from 'node:module';
    import { readFileSync } from 'node:fs';
    register(${JSON.stringify(pathToFileURL(hook).href)});
    const loaded = () => readFileSync(${JSON.stringify(log)}, 'utf8').split('\\n').filter((u) => u.includes('/events/dist/'));
    const { AvsbServer } = await import('@avsb/node');
    const atImport = loaded();
    const offline = new AvsbServer({ sdkKey: undefined, offline: true, logLevel: 'error' });
    await offline.close();
    const offlineServer = loaded();
    const server = new AvsbServer({ sdkKey: 'srv-test', baseUrl: 'http://127.0.0.1:9', streaming: false, logLevel: 'error', startupTimeoutMs: 1 });
    await server.flush();
    const withEvents = loaded();
    await server.close();
    console.log(JSON.stringify({ atImport, offlineServer, withEvents: withEvents.length }));
  `;
  const cwd = fileURLToPath(new URL('..', import.meta.url));
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd, encoding: 'utf8' });
  expect(JSON.parse(out)).toEqual({ atImport: [], offlineServer: [], withEvents: 1 });
  expect(readFileSync(log, 'utf8')).toMatch(/\/core\/dist\/index\.node\.js\n/);
});

it('delivers what was recorded before the event pipeline loaded, and counts it as queued meanwhile', async () => {
  const service = await ScriptedService.start();
  cleanups.push(() => service.close());
  const batches: { events: Record<string, unknown>[] }[] = [];
  service.scripts['/sdk/v1/datafile'] = serveDatafile(() => goodDatafile(1));
  service.scripts['/sdk/v1/events'] = (req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      batches.push(JSON.parse(body));
      res.writeHead(202).end();
    });
  };
  const logger = new MemoryLogger();
  const server = new AvsbServer({ sdkKey: 'srv-test', baseUrl: service.url, streaming: false, logger, initialDatafile: goodDatafile(1), events: { flushIntervalMs: 60_000, exposures: 'all' } });
  // the constructor's turn: the pipeline's module cannot have loaded yet
  const early = server.forUser({ kind: 'user', key: 'early' });
  expect(early.getBoolFlag('checkout-v2', false)).toBe(true);
  early.track('early-purchase', { value: 1 });
  expect(server.metrics().events).toEqual({ queued: 2, dropped: 0, sent: 0, failedBatches: 0, invalid: 0, lastError: null, stoppedForAuth: false });
  early.close();
  await server.onReady();
  server.forUser({ kind: 'user', key: 'later' }).getBoolFlag('checkout-v2', false);
  await server.close();
  const events = batches.flatMap((b) => b.events);
  expect(events).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ kind: 'exposure', flag: 'checkout-v2', variation: 1, contextKeys: { user: 'early' } }),
      expect.objectContaining({ kind: 'custom', key: 'early-purchase', value: 1, contextKeys: { user: 'early' } }),
      expect.objectContaining({ kind: 'exposure', flag: 'checkout-v2', variation: 1, contextKeys: { user: 'later' } }),
    ]),
  );
  // in the order they were recorded
  const keys = events.filter((e) => e.kind !== 'summary' && e.kind !== 'context').map((e) => `${e.kind} ${JSON.stringify(e.contextKeys)}`);
  expect(keys).toEqual(['exposure {"user":"early"}', 'custom {"user":"early"}', 'exposure {"user":"later"}']);
  expect(server.metrics().events).toMatchObject({ queued: 0, dropped: 0, sent: events.length });
  expect(logger.at('error')).toEqual([]);
});

it('has the event pipeline loaded once onReady resolves: a batch job reading more than the early records hold loses none', async () => {
  const service = await ScriptedService.start();
  cleanups.push(() => service.close());
  service.scripts['/sdk/v1/datafile'] = serveDatafile(() => goodDatafile(1));
  service.scripts['/sdk/v1/events'] = (_req, res) => void res.writeHead(202).end();
  const server = new AvsbServer({ sdkKey: 'srv-test', baseUrl: service.url, streaming: false, logLevel: 'error', initialDatafile: goodDatafile(1), events: { flushIntervalMs: 60_000 } });
  await server.onReady();
  // one turn, more records than the 10,000 kept while the module loads
  for (let i = 0; i < 15_000; i++) server.forUser({ kind: 'user', key: `u${i % 100}` }).getBoolFlag('checkout-v2', false);
  expect(server.metrics().events?.dropped).toBe(0);
  await server.close();
  expect(server.metrics().events).toMatchObject({ queued: 0, dropped: 0 });
});
