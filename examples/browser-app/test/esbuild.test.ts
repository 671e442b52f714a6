// `node esbuild.mjs` (the esbuild build of @avsb/browser's README: bundle, then copy the .wasm beside it), served as
// static files on 127.0.0.1 against the real A vs B server (shop), in Chromium.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { waitFor } from '@avsb/test-support';
import { type StaticServer, launchChromium, serveStatic } from '@avsb/test-support/browser';
import { type RealServer, startRealServer } from '@avsb/test-support/real-server';
import { esbuildBuild } from './support/builds';
import { openShopPage } from './support/shop-page';

const out = mkdtempSync(join(tmpdir(), 'avsb-browser-app-esbuild-'));
let server: RealServer;
let site: StaticServer;
let browser: Browser;

beforeAll(async () => {
  server = await startRealServer();
  [, browser] = await Promise.all([esbuildBuild(out, { AVSB_CLIENT_KEY: server.clientKey, AVSB_BASE_URL: server.url }), launchChromium()]);
  site = await serveStatic(out);
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
  await server?.close();
  rmSync(out, { recursive: true, force: true });
});

it('renders the visitor’s value from the server’s datafile with the .wasm copied beside the bundle', async () => {
  expect(existsSync(join(out, 'assets', 'avsb-evaluator.wasm'))).toBe(true);
  const shop = await openShopPage(browser, `${site.url}/?user=u_7`);
  expect(shop.state).toBe('ready');
  expect(await shop.theme()).toBe('dark');
  // `new URL('./avsb-evaluator.wasm', import.meta.url)` left as is by esbuild: beside /assets/main.js
  expect(shop.wasm).toEqual([{ path: '/assets/avsb-evaluator.wasm', status: 200, type: 'application/wasm' }]);
  expect(shop.errors).toEqual([]);
  await shop.page.locator('#add-to-cart').click();
  await shop.page.close({ runBeforeUnload: true });
  await waitFor(async () => (await server.events()).some((e) => e.kind === 'custom' && e.key === 'add-to-cart' && e.contextKeys?.user === 'u_7'), 15_000, 'the click in the server’s event store');
  await shop.page.context().close();
});

it('without the copy step the page shows its defaults, not the server’s value', async () => {
  rmSync(join(out, 'assets', 'avsb-evaluator.wasm'));
  const shop = await openShopPage(browser, `${site.url}/?user=u_7`);
  expect(shop.state).toBe('error');
  expect(await shop.theme()).toBe('default');
  expect(shop.wasm).toEqual([{ path: '/assets/avsb-evaluator.wasm', status: 404, type: '' }]);
  await shop.page.context().close();
});

it('refuses to build a page with a server key, without printing it', async () => {
  const refused = mkdtempSync(join(tmpdir(), 'avsb-browser-app-refused-'));
  try {
    const error = await esbuildBuild(refused, { AVSB_CLIENT_KEY: server.serverKey, AVSB_BASE_URL: server.url }).then(() => null, (e: Error) => e);
    expect(error?.message).toContain('AVSB_CLIENT_KEY is not a client key (cli-…)');
    expect(error?.message).not.toContain(server.serverKey);
    expect(existsSync(join(refused, 'assets', 'main.js'))).toBe(false);
  } finally {
    rmSync(refused, { recursive: true, force: true });
  }
});
