// The client's events in Chromium against the real server: `ready` once, `update` for each datafile applied (with its
// source and revision), and `change` with the reason values changed (the datafile's source, or identify).
import { expect, it } from 'vitest';
import type { Route } from 'playwright-core';
import { useBrowserSuite } from './support/browser-suite';

const suite = useBrowserSuite();

it('tells update, change:<key>, change and ready in that order for the first datafile, then update and change for a toggle', async () => {
  const page = await suite.newPage();
  await page.evaluate(
    async ({ baseUrl, clientKey }) => {
      const client = window.avsb.createClient({ clientKey, baseUrl, context: { kind: 'user', key: 'u_7' }, bootstrap: { 'ui-theme': 'light' } });
      (window as unknown as { client: typeof client }).client = client;
      client.on('update', (info) => window.heard.push(['update', info.source, info.revision === client.revision, info.flagKeys.includes('ui-theme')]));
      client.on('change:ui-theme', (value, info) => window.heard.push(['change:ui-theme', value, info.reason]));
      client.on('change:promo-banner', (value, info) => window.heard.push(['change:promo-banner', value, info.reason, info.revision]));
      client.on('change', (keys, info) => window.heard.push(['change', keys.sort(), info.reason]));
      client.on('ready', () => window.heard.push(['ready', client.ready]));
      await client.waitForReady({ timeoutMs: 10_000 });
    },
    { baseUrl: suite.server.url, clientKey: suite.server.clientKey },
  );
  await page.waitForFunction(() => window.heard.some((e) => (e as unknown[])[0] === 'ready'), undefined, { timeout: 10_000 });
  // the first datafile came over the stream; its rule for u_7 ("dark") replaces the bootstrap value "light"
  expect(await page.evaluate(() => window.heard)).toEqual([
    ['update', 'stream', true, true],
    ['change:ui-theme', 'dark', 'stream'],
    ['change:promo-banner', { show: false }, 'stream', 1], // no bootstrap value: new to the page
    ['change', ['promo-banner', 'ui-theme'], 'stream'],
    ['ready', true],
  ]);

  const before = await page.evaluate(() => (window as any).client.revision as number);
  await page.evaluate(() => void (window.heard = []));
  await suite.server.patchFlag('promo-banner', { on: true });
  await page.waitForFunction(() => window.heard.some((e) => (e as unknown[])[0] === 'change'), undefined, { timeout: 10_000 });
  const banner = { show: true, text: 'Free shipping this week', color: '#0a7' };
  expect(await page.evaluate(() => window.heard)).toEqual([
    ['update', 'stream', true, false],
    ['change:promo-banner', banner, 'stream', before + 1],
    ['change', ['promo-banner'], 'stream'],
  ]);
  await suite.server.patchFlag('promo-banner', { on: false });
  await page.waitForFunction(() => window.heard.filter((e) => (e as unknown[])[0] === 'change').length === 2, undefined, { timeout: 10_000 });

  // identify changes values without a datafile: change with reason identify, no update
  await page.evaluate(() => void (window.heard = []));
  await page.evaluate(() => (window as any).client.identify({ kind: 'user', key: 'u_10' }));
  expect(await page.evaluate(() => window.heard)).toEqual([
    ['change:ui-theme', 'default', 'identify'],
    ['change', ['ui-theme'], 'identify'],
  ]);
  await page.evaluate(() => (window as any).client.close());
  await page.context().close();
}, 30_000);

it('evaluates every flag for change events only once one is listened to: a listener added later hears what changes after it subscribed', async () => {
  const page = await suite.newPage();
  const args = { baseUrl: suite.server.url, clientKey: suite.server.clientKey };
  const start = await page.evaluate(async ({ baseUrl, clientKey }) => {
    // the bootstrap's "light" differs from the datafile's "dark" for u_7: a comparison with stale values would name ui-theme below
    const client = window.avsb.createClient({ clientKey, baseUrl, context: { kind: 'user', key: 'u_7' }, bootstrap: { 'ui-theme': 'light' }, events: false });
    const w = window as unknown as { client: typeof client; passes: number };
    w.client = client;
    // the client's allFlags(), counted: the pass that evaluates every flag for change events calls it
    const allFlags = client.allFlags.bind(client);
    w.passes = 0;
    client.allFlags = () => (w.passes++, allFlags());
    client.on('update', (info) => window.heard.push(['update', info.source]));
    await client.waitForReady({ timeoutMs: 10_000 });
    const afterReady = w.passes;
    await client.identify({ kind: 'user', key: 'u_10' }); // ui-theme "default" for u_10, and still no listener
    const afterIdentify = w.passes;
    client.on('change:ui-theme', (value, info) => window.heard.push(['change:ui-theme', value, info.reason]));
    client.on('change:promo-banner', (value, info) => window.heard.push(['change:promo-banner', value, info.reason]));
    client.on('change', (keys, info) => window.heard.push(['change', keys.sort(), info.reason]));
    return { afterReady, afterIdentify, subscribed: w.passes, theme: client.getStringFlag('ui-theme', 'none') };
  }, args);
  // none for the first datafile nor for identify; one when the first change listener came, none for the next two
  expect(start).toEqual({ afterReady: 0, afterIdentify: 0, subscribed: 1, theme: 'default' });

  await suite.server.patchFlag('promo-banner', { on: true });
  try {
    await page.waitForFunction(() => window.heard.some((e) => (e as unknown[])[0] === 'change'), undefined, { timeout: 10_000 });
  } finally {
    await suite.server.patchFlag('promo-banner', { on: false });
  }
  await page.waitForFunction(() => window.heard.filter((e) => (e as unknown[])[0] === 'change').length === 2, undefined, { timeout: 10_000 });
  const banner = { show: true, text: 'Free shipping this week', color: '#0a7' };
  // the change after it subscribed, and only it: the toggle on and back off
  expect(await page.evaluate(() => window.heard)).toEqual([
    ['update', 'stream'],
    ['update', 'stream'],
    ['change:promo-banner', banner, 'stream'],
    ['change', ['promo-banner'], 'stream'],
    ['update', 'stream'],
    ['change:promo-banner', { show: false }, 'stream'],
    ['change', ['promo-banner'], 'stream'],
  ]);
  await page.evaluate(() => void (window.heard = []));
  const passes = await page.evaluate(async () => {
    const w = window as unknown as { client: ReturnType<typeof window.avsb.createClient>; passes: number };
    await w.client.identify({ kind: 'user', key: 'u_7' });
    await w.client.close();
    return w.passes;
  });
  expect(await page.evaluate(() => window.heard)).toEqual([
    ['change:ui-theme', 'dark', 'identify'],
    ['change', ['ui-theme'], 'identify'],
  ]);
  expect(passes).toBe(4); // one a datafile and identify while listened to
  await page.context().close();
}, 30_000);

it('tells a returning visitor’s page that the datafile came from the cache, before the network answers', async () => {
  const page = await suite.newPage();
  const args = { baseUrl: suite.server.url, clientKey: suite.server.clientKey };
  await page.evaluate(async ({ baseUrl, clientKey }) => {
    const client = window.avsb.createClient({ clientKey, baseUrl, context: { kind: 'user', key: 'u_7' }, events: false });
    await client.waitForReady({ timeoutMs: 10_000 });
    await client.close();
  }, args);
  const held: Route[] = [];
  await page.route(`${suite.server.url}/**`, (route) => void held.push(route));
  const heard = await page.evaluate(async ({ baseUrl, clientKey }) => {
    const client = window.avsb.createClient({ clientKey, baseUrl, context: { kind: 'user', key: 'u_7' }, bootstrap: { 'ui-theme': 'light' }, events: false });
    const ready = new Promise<void>((resolve) => client.on('ready', resolve));
    client.on('update', (info) => window.heard.push(['update', info.source]));
    client.on('change', (keys, info) => window.heard.push(['change', keys.sort(), info.reason]));
    await ready;
    window.heard.push(['read', client.getStringFlagDetails('ui-theme', 'none').reason.kind]);
    await client.close();
    return window.heard;
  }, args);
  expect(heard).toEqual([
    ['update', 'cache'],
    ['change', ['promo-banner', 'ui-theme'], 'cache'],
    ['read', 'RULE_MATCH'],
  ]);
  await page.unrouteAll({ behavior: 'ignoreErrors' });
  await page.context().close();
}, 30_000);

it('names polling as the source of a datafile it delivers', async () => {
  const page = await suite.newPage();
  await page.evaluate(
    async ({ baseUrl, clientKey }) => {
      const client = window.avsb.createClient({ clientKey, baseUrl, context: { kind: 'user', key: 'u_12' }, streaming: false, pollIntervalMs: 200, cache: false, events: false });
      (window as unknown as { client: typeof client }).client = client;
      client.on('update', (info) => window.heard.push(['update', info.source]));
      client.on('change:promo-banner', (_value, info) => window.heard.push(['change:promo-banner', info.reason]));
      await client.waitForReady({ timeoutMs: 10_000 });
    },
    { baseUrl: suite.server.url, clientKey: suite.server.clientKey },
  );
  await suite.server.patchFlag('promo-banner', { on: true });
  try {
    await page.waitForFunction(() => window.heard.length >= 4, undefined, { timeout: 10_000 });
  } finally {
    await suite.server.patchFlag('promo-banner', { on: false });
  }
  expect(await page.evaluate(() => window.heard.slice(0, 4))).toEqual([
    ['update', 'poll'], // the first datafile
    ['change:promo-banner', 'poll'],
    ['update', 'poll'], // the toggle
    ['change:promo-banner', 'poll'],
  ]);
  await page.evaluate(() => (window as any).client.close());
  await page.context().close();
}, 30_000);
