// Vite's dev server (`pnpm dev`) with the example's vite.config.mjs (`optimizeDeps: { exclude: ['@avsb/browser'] }`,
// as @avsb/browser's README says) against the real A vs B server (shop), in Chromium.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchChromium } from '@avsb/test-support/browser';
import { type RealServer, startRealServer } from '@avsb/test-support/real-server';
import { ROOT, startViteDev } from './support/builds';
import { openShopPage } from './support/shop-page';

let server: RealServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startRealServer(), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

it('serves a page that renders the visitor’s value from the server’s datafile', async () => {
  const dev = await startViteDev({ AVSB_CLIENT_KEY: server.clientKey, AVSB_BASE_URL: server.url });
  try {
    const shop = await openShopPage(browser, `${dev.url}/?user=u_7`);
    expect(shop.state).toBe('ready');
    expect(await shop.theme()).toBe('dark');
    // the package's own file, not a copy in Vite's dependency cache
    expect(shop.wasm).toEqual([{ path: expect.stringMatching(/\/browser\/dist\/avsb-evaluator\.wasm$/), status: 200, type: 'application/wasm' }]);
    expect(shop.errors).toEqual([]);
    await shop.page.context().close();
  } finally {
    await dev.stop();
  }
  expect(dev.output()).not.toContain(server.clientKey);
});

it('serves it with @avsb/browser pre-bundled too: Vite 8 points the URL back at the package’s file', async () => {
  // The README's `exclude` is for earlier Vite versions, whose optimizer copied the code into node_modules/.vite/deps
  // but not the .wasm (vitejs/vite#8427). Vite 8's optimizer rewrites the URL; this test says so while it holds. An
  // installed package would be pre-bundled without the `exclude`; a workspace link is not, so `include` forces it here.
  const dir = mkdtempSync(join(ROOT, 'node_modules', '.vite-prebundled-'));
  const config = join(dir, 'vite.config.mjs');
  const source = readFileSync(join(ROOT, 'vite.config.mjs'), 'utf8');
  const prebundled = source
    .replace("from './page-defines.mjs'", `from ${JSON.stringify(join(ROOT, 'page-defines.mjs'))}`)
    .replace("optimizeDeps: { exclude: ['@avsb/browser'] }", `root: ${JSON.stringify(ROOT)}, cacheDir: ${JSON.stringify(join(dir, 'cache'))}, optimizeDeps: { include: ['@avsb/browser'] }`);
  expect(prebundled).toContain("include: ['@avsb/browser']");
  writeFileSync(config, prebundled);
  const dev = await startViteDev({ AVSB_CLIENT_KEY: server.clientKey, AVSB_BASE_URL: server.url }, config);
  try {
    const shop = await openShopPage(browser, `${dev.url}/?user=u_7`);
    const scripts = await shop.page.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname));
    expect(scripts).toContainEqual(expect.stringMatching(/\/cache\/deps\/@avsb_browser\.js$/)); // really pre-bundled
    expect(shop.state).toBe('ready');
    expect(await shop.theme()).toBe('dark');
    expect(shop.wasm).toEqual([{ path: expect.stringMatching(/\/browser\/dist\/avsb-evaluator\.wasm$/), status: 200, type: 'application/wasm' }]);
    await shop.page.context().close();
  } finally {
    await dev.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
