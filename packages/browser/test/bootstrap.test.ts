// Bootstrap values from a server (allFlags(context, { clientSideOnly: true }) of @avsb/node) are what the page
// reads first, before the network answers; the live datafile then takes over, telling listeners only what differs.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AvsbServer } from '@avsb/node';
import { waitFor } from '@avsb/test-support';
import type { JsonValue } from '@avsb/browser';
import type { Route } from 'playwright-core';
import { type BrowserSuite, startBrowserSuite } from './support/browser-suite';

let suite: BrowserSuite;
let serverValues: Record<string, JsonValue>;
const visitor = { kind: 'user', key: 'u_7' }; // a beta tester: ui-theme "dark"

beforeAll(async () => {
  suite = await startBrowserSuite();
  const node = new AvsbServer({ sdkKey: suite.server.serverKey, baseUrl: suite.server.url, events: false, logLevel: 'error' });
  await node.onReady({ timeoutMs: 10_000 });
  serverValues = { ...node.allFlags(visitor, { clientSideOnly: true }) };
  await node.close();
}, 60_000);

afterAll(async () => {
  await suite?.close();
}, 30_000);

/**
 * Holds every request to the A vs B server until `release()`: the network has not answered yet. `requested()` is true
 * once the page asked it for something: the client's data source starts once the engine has loaded (the engine comes
 * from the page's own origin), so by then the engine serves reads.
 */
async function holdNetwork(page: import('playwright-core').Page, serverUrl: string): Promise<{ release(): void; requested(): boolean }> {
  const held: Route[] = [];
  let released = false;
  let requested = false;
  await page.route(`${serverUrl}/**`, (route) => {
    requested = true;
    if (released) return void route.continue();
    held.push(route);
  });
  return {
    release() {
      released = true;
      for (const route of held.splice(0)) void route.continue();
    },
    requested: () => requested,
  };
}

it('paints the server’s values first, and changes nothing when the datafile agrees', async () => {
  expect(serverValues['ui-theme']).toBe('dark');
  const page = await suite.newPage();
  const network = await holdNetwork(page, suite.server.url);
  await page.evaluate(
    ({ baseUrl, clientKey, visitor, bootstrap }) => {
      const client = window.avsb.createClient({ clientKey, baseUrl, context: visitor, bootstrap });
      (window as any).client = client;
      const out = document.getElementById('out')!;
      out.textContent = client.getStringFlag('ui-theme', 'default'); // the first paint
      client.on('change', (keys) => window.heard.push(keys));
    },
    { baseUrl: suite.server.url, clientKey: suite.server.clientKey, visitor, bootstrap: serverValues as Record<string, string> },
  );
  await waitFor(network.requested, 10_000, 'the engine to load');
  // the engine has loaded; the network is still held
  const first = await page.evaluate(() => {
    const client = (window as any).client;
    return { painted: document.getElementById('out')!.textContent, detail: client.getStringFlagDetails('ui-theme', 'default'), ready: client.ready };
  });
  expect(first).toEqual({ painted: 'dark', detail: { value: 'dark', variationIndex: null, reason: { kind: 'BOOTSTRAP' }, inExperiment: false }, ready: false });
  network.release();
  const after = await page.evaluate(async () => {
    const client = (window as any).client;
    const ready = await client.waitForReady({ timeoutMs: 10_000 });
    return { ready: ready.ready, detail: client.getStringFlagDetails('ui-theme', 'default'), heard: window.heard };
  });
  expect(after).toEqual({ ready: true, detail: { value: 'dark', variationIndex: 1, reason: { kind: 'RULE_MATCH', ruleIndex: 0, ruleId: 'beta' }, inExperiment: false }, heard: [] });
  await page.context().close();
}, 30_000);

it('hands over to the datafile where a bootstrap value differs, with a change event for that flag only', async () => {
  const page = await suite.newPage();
  const result = await page.evaluate(
    async ({ baseUrl, clientKey, visitor, bootstrap }) => {
      const client = window.avsb.createClient({ clientKey, baseUrl, context: visitor, bootstrap });
      const first = client.getStringFlag('ui-theme', 'default');
      const wrongType = client.getBoolFlagDetails('ui-theme', false);
      // typed as the reads are: the listener's theme is a string (or undefined), with no cast
      client.on<string>('change:ui-theme', (theme) => window.heard.push(theme?.toUpperCase()));
      client.on('change', (keys) => window.heard.push(keys));
      await client.waitForReady({ timeoutMs: 10_000 });
      return { first, wrongType, now: client.getStringFlag('ui-theme', 'default'), heard: window.heard };
    },
    { baseUrl: suite.server.url, clientKey: suite.server.clientKey, visitor, bootstrap: { ...serverValues, 'ui-theme': 'contrast' } as Record<string, string> },
  );
  expect(result).toEqual({
    first: 'contrast',
    wrongType: { value: false, variationIndex: null, reason: { kind: 'ERROR', errorKind: 'WRONG_TYPE' }, inExperiment: false },
    now: 'dark',
    heard: ['DARK', ['ui-theme']],
  });
  await page.context().close();
}, 30_000);

it('tells a change listener added after the engine loaded, before the datafile, only the bootstrap values that differ', async () => {
  const page = await suite.newPage();
  const network = await holdNetwork(page, suite.server.url);
  const bootstrap = { ...serverValues, 'ui-theme': 'contrast', toString: 'own' } as Record<string, string>;
  await page.evaluate(
    ({ baseUrl, clientKey, visitor, bootstrap }) => {
      (window as any).client = window.avsb.createClient({ clientKey, baseUrl, context: visitor, bootstrap, events: false });
    },
    { baseUrl: suite.server.url, clientKey: suite.server.clientKey, visitor, bootstrap },
  );
  await waitFor(network.requested, 10_000, 'the engine to load');
  // the engine has loaded; the network is still held
  const before = await page.evaluate(
    () => {
      const client = (window as any).client as ReturnType<typeof window.avsb.createClient>;
      client.on('change', (keys) => window.heard.push(keys.sort()));
      client.on('change:ui-theme', (value) => window.heard.push(value));
      // a bootstrap key named like an Object.prototype member is the bootstrap's; one not given is not served
      const own = client.getStringFlagDetails('toString', 'none');
      const inherited = client.getStringFlagDetails('hasOwnProperty', 'none');
      return { ready: client.ready, theme: client.getStringFlag('ui-theme', 'default'), own: [own.value, own.reason.kind], inherited: [inherited.value, inherited.reason] };
    },
  );
  expect(before).toEqual({ ready: false, theme: 'contrast', own: ['own', 'BOOTSTRAP'], inherited: ['none', { kind: 'ERROR', errorKind: 'CLIENT_NOT_READY' }] });
  network.release();
  const heard = await page.evaluate(async () => {
    await (window as any).client.waitForReady({ timeoutMs: 10_000 });
    return window.heard;
  });
  // promo-banner's bootstrap value agrees with the datafile; toString is not in it (no value now)
  expect(heard).toEqual(['dark', ['toString', 'ui-theme']]);
  await page.context().close();
}, 30_000);
