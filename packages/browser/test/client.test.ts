// @avsb/browser in a real Chromium against the real A vs B server (seeded with the guide's `shop` project).
import { expect, it } from 'vitest';
import type { Route } from 'playwright-core';
import { createClient } from '@avsb/browser';
import { useBrowserSuite } from './support/browser-suite';

// full message texts: these tests read what the page's errors say (messages.test.ts runs the production texts)
const suite = useBrowserSuite('app', 'full');

it('reads client-side flags evaluated in the page, and serves the default for a server-only flag', async () => {
  const page = await suite.newPage();
  const result = await page.evaluate(
    async ({ baseUrl, clientKey }) => {
      const client = window.avsb.createClient({ clientKey, baseUrl, context: { kind: 'user', key: 'u_1' } });
      const ready = await client.waitForReady({ timeoutMs: 10_000 });
      const out = {
        ready: ready.ready,
        banner: client.getJsonFlag('promo-banner', null),
        theme: client.getStringFlagDetails('ui-theme', 'none'),
        serverOnly: client.getBoolFlagDetails('checkout-v2', false),
        all: Object.keys(client.allFlags()).sort(),
      };
      await client.close();
      return out;
    },
    { baseUrl: suite.server.url, clientKey: suite.server.clientKey },
  );
  expect(result.ready).toBe(true);
  expect(result.banner).toEqual({ show: false }); // off in production: the off variation
  expect(result.theme).toMatchObject({ value: 'default', reason: { kind: 'FALLTHROUGH' } });
  expect(result.serverOnly).toMatchObject({ value: false, reason: { kind: 'ERROR', errorKind: 'FLAG_NOT_FOUND' } });
  expect(result.all).toEqual(['promo-banner', 'ui-theme']);
  await page.context().close();
}, 30_000);

it('refuses a missing, empty or blank client key, naming which, and takes a key with spaces around it trimmed', () => {
  const make = (clientKey: unknown) => () => createClient({ clientKey: clientKey as string, context: { key: 'u_1' }, events: false, cache: false, logLevel: 'none', engine: new Uint8Array(0) });
  expect(make(undefined)).toThrow(/^createClient: clientKey is missing\. /);
  expect(make(42)).toThrow(/^createClient: clientKey is missing\. /);
  expect(make('')).toThrow(/^createClient: clientKey is empty\. /);
  expect(make(' \t ')).toThrow(/^createClient: clientKey is empty\. /);
  expect(make(' srv-abcd1234 ')).toThrow(/server key \(srv-…\)/);
  const client = make(' cli-abcd1234 ')();
  void client.close();
});

it('refuses a server key with a clear error, before anything is sent', async () => {
  expect(() => createClient({ clientKey: suite.server.serverKey, context: { key: 'u_1' } })).toThrow(/server key \(srv-…\).*never reach a browser/);
  const page = await suite.newPage();
  const sent: string[] = [];
  page.on('request', (request) => sent.push(request.url()));
  const message = await page.evaluate(
    ({ baseUrl, serverKey }) => {
      try {
        window.avsb.createClient({ clientKey: serverKey, baseUrl, context: { key: 'u_1' } });
        return 'no error';
      } catch (e) {
        return `${(e as Error).name}: ${(e as Error).message}`;
      }
    },
    { baseUrl: suite.server.url, serverKey: suite.server.serverKey },
  );
  expect(message).toMatch(/^AvsbConfigError: createClient: that is a server key/);
  expect(message).not.toContain(suite.server.serverKey);
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(sent.filter((url) => url.startsWith(suite.server.url))).toEqual([]);
  await page.context().close();
}, 30_000);

it('refuses option values of the wrong type, naming each option and what it takes, before anything is sent', async () => {
  const page = await suite.newPage();
  const sent: string[] = [];
  page.on('request', (request) => sent.push(request.url()));
  // values a page reads from strings (data attributes, a query string, an env file) without converting them
  const message = await page.evaluate(
    ({ baseUrl, clientKey }) => {
      try {
        const options = { clientKey, baseUrl, context: { key: 'u_1' }, streaming: 'false', cache: 'false', events: 'no', pollIntervalMs: '1000', startupTimeoutMs: -5, logLevel: 'verbose' };
        window.avsb.createClient(options as never);
        return 'no error';
      } catch (e) {
        return `${(e as Error).name}: ${(e as Error).message}`;
      }
    },
    { baseUrl: suite.server.url, clientKey: suite.server.clientKey },
  );
  expect(message).toBe(
    'AvsbConfigError: createClient: streaming must be true or false, not "false"; cache must be true or false, not "false"; ' +
      'events must be true or false, not "no"; ' +
      'pollIntervalMs must be a number of milliseconds (0 or more) such as 5000, not "1000" (Number(…) reads one from the environment\'s text); ' +
      "startupTimeoutMs must be a number of milliseconds (0 or more) such as 5000, not -5; logLevel must be 'debug', 'info', 'warn', 'error' or 'none', not \"verbose\"",
  );
  await new Promise((resolve) => setTimeout(resolve, 200));
  // events: 'no' sent events, and streaming: 'false' streamed: nothing goes out now
  expect(sent.filter((url) => url.startsWith(suite.server.url))).toEqual([]);
  expect(() => createClient({ clientKey: suite.server.clientKey, context: { key: 'u_1' }, logger: console.log as never })).toThrow(
    /^createClient: logger must be an object with debug, info, warn and error methods/,
  );
  await page.context().close();
}, 30_000);

it('refuses a base URL that is not an http(s) service address, without quoting it', () => {
  const clientKey = suite.server.clientKey;
  expect(() => createClient({ clientKey, baseUrl: 'ftp://flags.example.com', context: { key: 'u_1' } })).toThrow(
    'createClient: baseUrl is ftp:, not http(s): give the http(s) URL of the service, such as https://flags.example.com',
  );
  expect(() => createClient({ clientKey, baseUrl: 'https://me:hunter2@flags.example.com', context: { key: 'u_1' } })).toThrow(
    /^createClient: baseUrl has a user name, password, query or fragment: /,
  );
});

it('says which key to use when the service refuses the client key, and stops asking', async () => {
  const page = await suite.newPage();
  const result = await page.evaluate(
    async ({ baseUrl }) => {
      const client = window.avsb.createClient({ clientKey: 'cli-not-a-real-key', baseUrl, context: { key: 'u_1' }, logLevel: 'none', events: false });
      const ready = await client.waitForReady({ timeoutMs: 10_000 });
      const theme = client.getStringFlag('ui-theme', 'none');
      await client.close();
      return { ready: ready.ready, kind: ready.ready ? null : ready.error.kind, message: ready.ready ? '' : ready.error.message, theme };
    },
    { baseUrl: suite.server.url },
  );
  expect(result).toMatchObject({ ready: false, kind: 'unauthorized', theme: 'none' });
  expect(result.message).toMatch(/HTTP 401.*client-side key \(cli-….*as clientKey/);
  expect(result.message).not.toContain('AVSB_SDK_KEY');
  expect(result.message).not.toContain('cli-not-a-real-key');
  await page.context().close();
}, 30_000);

it('waits for readiness with one limit, whether the engine or the datafile is late, and settles a pending wait on close', async () => {
  const page = await suite.newPage();
  const held: Route[] = [];
  // the .wasm never comes for the first client; the service never answers the second
  await page.route(`${suite.site.url}/avsb-evaluator.wasm`, (route) => void held.push(route));
  await page.route(`${suite.server.url}/**`, (route) => void held.push(route));
  const result = await page.evaluate(
    async ({ baseUrl, clientKey }) => {
      const describe = (r: Awaited<ReturnType<ReturnType<typeof window.avsb.createClient>['waitForReady']>>) =>
        r.ready ? 'ready' : `${r.error.kind}: ${r.error.message}`;
      const noEngine = window.avsb.createClient({ clientKey, baseUrl, context: { key: 'u_1' }, events: false, cache: false });
      const engineLate = describe(await noEngine.waitForReady({ timeoutMs: 200 }));
      const pending = noEngine.waitForReady({ timeoutMs: 60_000 });
      await noEngine.close();
      const closed = describe(await pending);
      const bytes = await (await fetch('/avsb-engine.wasm?unrouted')).arrayBuffer();
      const noData = window.avsb.createClient({ clientKey, baseUrl, context: { key: 'u_1' }, events: false, cache: false, engine: bytes });
      const dataLate = describe(await noData.waitForReady({ timeoutMs: 300 }));
      const read = noData.getStringFlagDetails('ui-theme', 'none');
      await noData.close();
      return { engineLate, closed, dataLate, read, afterClose: describe(await noData.waitForReady({ timeoutMs: 1_000 })) };
    },
    { baseUrl: suite.server.url, clientKey: suite.server.clientKey },
  );
  expect(result.engineLate).toBe('timeout: A vs B: the engine did not load within 200 ms; flag reads serve defaults meanwhile');
  expect(result.closed).toBe('closed: the A vs B client is closed; flag reads serve defaults (reason CLIENT_CLOSED)');
  expect(result.dataLate).toMatch(/^timeout: A vs B: no datafile within 300 ms.*reason CLIENT_NOT_READY/);
  expect(result.read).toEqual({ value: 'none', variationIndex: null, reason: { kind: 'ERROR', errorKind: 'CLIENT_NOT_READY' }, inExperiment: false });
  expect(result.afterClose).toMatch(/^closed: /);
  await page.unrouteAll({ behavior: 'ignoreErrors' });
  await page.context().close();
}, 30_000);
