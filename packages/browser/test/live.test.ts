// The datafile stays live over the stream: a flag toggled through the admin API changes what the page reads and
// fires its change listeners without a reload; identify re-evaluates for another visitor.
import { expect, it } from 'vitest';
import { AvsbServer } from '@avsb/node';
import { useBrowserSuite } from './support/browser-suite';

const suite = useBrowserSuite();

it('fires change:<key> and change with the new value when a flag is toggled, without a reload', async () => {
  const page = await suite.newPage();
  await page.evaluate(
    async ({ baseUrl, clientKey }) => {
      const client = window.avsb.createClient({ clientKey, baseUrl, context: { kind: 'user', key: 'u_9' } });
      (window as unknown as { client: typeof client }).client = client;
      await client.waitForReady({ timeoutMs: 10_000 });
      client.on('change:promo-banner', (value) => window.heard.push(['change:promo-banner', value]));
      client.on('change:ui-theme', (value) => window.heard.push(['change:ui-theme', value]));
      client.on('change', (keys) => window.heard.push(['change', keys]));
    },
    { baseUrl: suite.server.url, clientKey: suite.server.clientKey },
  );
  expect(await page.evaluate(() => (window as any).client.getJsonFlag('promo-banner', null))).toEqual({ show: false });
  await suite.server.patchFlag('promo-banner', { on: true });
  await page.waitForFunction(() => window.heard.length >= 2, undefined, { timeout: 10_000 });
  const banner = { show: true, text: 'Free shipping this week', color: '#0a7' };
  expect(await page.evaluate(() => window.heard)).toEqual([
    ['change:promo-banner', banner],
    ['change', ['promo-banner']],
  ]);
  expect(await page.evaluate(() => (window as any).client.getJsonFlag('promo-banner', null))).toEqual(banner);
  // an edit that leaves this visitor's value alone tells no one
  await suite.server.patchFlag('ui-theme', { name: 'UI theme (renamed)' });
  await suite.server.patchFlag('promo-banner', { on: false });
  await page.waitForFunction(() => window.heard.length >= 4, undefined, { timeout: 10_000 });
  expect(await page.evaluate(() => window.heard.slice(2))).toEqual([
    ['change:promo-banner', { show: false }],
    ['change', ['promo-banner']],
  ]);
  await page.context().close();
}, 30_000);

it('re-evaluates on identify and reports only the flags whose value differs; unsubscribing stops the calls', async () => {
  const node = new AvsbServer({ sdkKey: suite.server.serverKey, baseUrl: suite.server.url, events: false, logLevel: 'error' });
  await node.onReady({ timeoutMs: 10_000 });
  const beta = { kind: 'user', key: 'u_7' }; // in the segment beta-testers: the dark theme
  const expected = node.allFlags(beta, { clientSideOnly: true });
  await node.close();
  const page = await suite.newPage();
  const result = await page.evaluate(
    async ({ baseUrl, clientKey, beta }) => {
      const client = window.avsb.createClient({ clientKey, baseUrl, context: { kind: 'user', key: 'u_10' } });
      await client.waitForReady({ timeoutMs: 10_000 });
      const before = client.getStringFlag('ui-theme', 'none');
      const off = client.on('change', (keys) => window.heard.push(keys));
      client.on('change:ui-theme', (value) => window.heard.push(value));
      await client.identify(beta);
      const after = client.allFlags();
      off();
      await client.identify({ kind: 'user', key: 'u_10' });
      await client.close();
      return { before, after: { ...after }, heard: window.heard };
    },
    { baseUrl: suite.server.url, clientKey: suite.server.clientKey, beta },
  );
  expect(result.after).toEqual({ ...expected }); // the page evaluates what the server evaluates
  expect(result.before).toBe('default');
  expect(expected['ui-theme']).toBe('dark');
  // promo-banner is the same for both visitors: not reported
  expect(result.heard).toEqual(['dark', ['ui-theme'], 'default']);
  await page.context().close();
}, 30_000);

it('identify before the engine has loaded drops the bootstrap values and evaluates the new context once it can', async () => {
  const page = await suite.newPage();
  const result = await page.evaluate(
    async ({ baseUrl, clientKey }) => {
      const client = window.avsb.createClient({ clientKey, baseUrl, context: { kind: 'user', key: 'u_7' }, bootstrap: { 'ui-theme': 'dark' } });
      const first = client.getStringFlag('ui-theme', 'none');
      const identified = client.identify({ kind: 'user', key: 'u_11' });
      const meanwhile = client.getStringFlagDetails('ui-theme', 'none');
      await identified;
      await client.waitForReady({ timeoutMs: 10_000 });
      const after = client.getStringFlagDetails('ui-theme', 'none');
      await client.close();
      return { first, meanwhile, after, context: client.context };
    },
    { baseUrl: suite.server.url, clientKey: suite.server.clientKey },
  );
  expect(result).toMatchObject({
    first: 'dark',
    meanwhile: { value: 'none', reason: { kind: 'ERROR', errorKind: 'CLIENT_NOT_READY' } },
    after: { value: 'default', reason: { kind: 'FALLTHROUGH' } },
    context: { kind: 'user', key: 'u_11' },
  });
  await page.context().close();
}, 30_000);
