// `vite build` of the page, served as static files on 127.0.0.1 against the real A vs B server (shop), in Chromium:
// Vite emits the engine's .wasm from `new URL('./avsb-evaluator.wasm', import.meta.url)` in @avsb/browser on its own,
// avsb-engine.wasm only for a page that imports `jsonDatafiles` (test/json-page), and no .wasm for a page on
// @avsb/browser/inline (test/inline-page), which carries the engine in its JavaScript.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { waitFor } from '@avsb/test-support';
import { type StaticServer, launchChromium, serveStatic } from '@avsb/test-support/browser';
import { type RealServer, startRealServer } from '@avsb/test-support/real-server';
import { viteBuild, viteBuildInlinePage, viteBuildJsonPage } from './support/builds';
import { openShopPage } from './support/shop-page';

const out = mkdtempSync(join(tmpdir(), 'avsb-browser-app-vite-'));
const jsonOut = mkdtempSync(join(tmpdir(), 'avsb-browser-app-vite-json-'));
const inlineOut = mkdtempSync(join(tmpdir(), 'avsb-browser-app-vite-inline-'));
let server: RealServer;
let site: StaticServer;
let jsonSite: StaticServer;
let inlineSite: StaticServer;
let browser: Browser;

beforeAll(async () => {
  server = await startRealServer();
  const env = { AVSB_CLIENT_KEY: server.clientKey, AVSB_BASE_URL: server.url };
  [, , , browser] = await Promise.all([viteBuild(out, env), viteBuildJsonPage(jsonOut, env), viteBuildInlinePage(inlineOut, env), launchChromium()]);
  [site, jsonSite, inlineSite] = await Promise.all([serveStatic(out), serveStatic(jsonOut), serveStatic(inlineOut)]);
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([site?.close(), jsonSite?.close(), inlineSite?.close()]);
  await server?.close();
  rmSync(out, { recursive: true, force: true });
  rmSync(jsonOut, { recursive: true, force: true });
  rmSync(inlineOut, { recursive: true, force: true });
});

const wasmAssets = (dir: string): string[] => readdirSync(join(dir, 'assets')).filter((f) => f.endsWith('.wasm')).sort();
const evaluatorAsset = (dir = out): string => wasmAssets(dir).find((f) => /^avsb-evaluator-[\w-]+\.wasm$/.test(f))!;

it('emits the evaluator as a hashed asset, referenced by the bundle', () => {
  expect(evaluatorAsset()).toBeDefined();
  const js = readdirSync(join(out, 'assets')).filter((f) => f.endsWith('.js'));
  expect(js).toHaveLength(1);
  expect(readFileSync(join(out, 'assets', js[0]!), 'utf8')).toContain(`/assets/${evaluatorAsset()}`);
});

// @avsb/browser's default entry holds only the evaluator's URL; the full engine's is in @avsb/browser/json-datafiles
// (Vite emits the asset of every `new URL(…, import.meta.url)` in a module it loads, before it drops unused code).
it('emits only the .wasm the page fetches: the evaluator, not avsb-engine.wasm (the page does not import jsonDatafiles)', () => {
  expect(wasmAssets(out)).toEqual([evaluatorAsset()]);
});

it('emits avsb-engine.wasm too for a page that imports jsonDatafiles, and that page fetches it when the service answers JSON', async () => {
  const [engine] = wasmAssets(jsonOut).filter((f) => /^avsb-engine-[\w-]+\.wasm$/.test(f));
  expect(wasmAssets(jsonOut)).toEqual([engine, evaluatorAsset(jsonOut)]);
  const js = readdirSync(join(jsonOut, 'assets')).filter((f) => f.endsWith('.js'));
  expect(js).toHaveLength(1);
  const bundle = readFileSync(join(jsonOut, 'assets', js[0]!), 'utf8');
  expect(bundle).toContain(`/assets/${engine}`);
  expect(bundle).toContain(`/assets/${evaluatorAsset(jsonOut)}`);
  // the service as an older one answers: JSON whatever the Accept; the page switches to the full engine Vite emitted
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const wasm: string[] = [];
    page.on('response', (response) => {
      const { pathname } = new URL(response.url());
      if (pathname.endsWith('.wasm') && response.ok()) wasm.push(pathname);
    });
    await page.route(`${server.url}/sdk/v1/datafile`, (route) => void route.continue({ headers: { ...route.request().headers(), accept: 'application/json' } }));
    await page.goto(`${jsonSite.url}/?user=u_7`);
    await page.waitForFunction(() => document.documentElement.dataset.avsb !== undefined, undefined, { timeout: 15_000 });
    expect(await page.evaluate(() => document.documentElement.dataset.avsb)).toBe('ready');
    expect(await page.locator('#theme').innerText()).toBe('dark');
    expect(wasm).toEqual([`/assets/${evaluatorAsset(jsonOut)}`, `/assets/${engine}`]);
  } finally {
    await context.close();
  }
});

// @avsb/browser/inline reaches no module holding a .wasm's URL: the evaluator's is the default entry's createClient's,
// the full engine's @avsb/browser/json-datafiles' (the inline entry's JSON fallback compiles its inlined engine)
it('emits no .wasm for a page on @avsb/browser/inline, which renders the server’s value without fetching one', async () => {
  const files = readdirSync(inlineOut, { recursive: true, encoding: 'utf8' });
  expect(files.filter((f) => f.endsWith('.wasm'))).toEqual([]);
  const js = readdirSync(join(inlineOut, 'assets')).filter((f) => f.endsWith('.js'));
  expect(js).toHaveLength(1);
  // the engine is there, as base64 in the JavaScript (≈ 65 KB of it)
  expect(readFileSync(join(inlineOut, 'assets', js[0]!), 'utf8')).toMatch(/[`"']AGFzbQ[A-Za-z0-9+/]{60000,}/);
  const shop = await openShopPage(browser, `${inlineSite.url}/?user=u_7`);
  expect(shop.state).toBe('ready');
  expect(await shop.theme()).toBe('dark');
  expect(shop.wasm).toEqual([]);
  expect(shop.errors).toEqual([]);
  await shop.page.context().close();
});

it('renders the visitor’s value from the server’s datafile, the .wasm fetched as application/wasm', async () => {
  // u_7 is a beta tester: `ui-theme` serves `dark`; the page's default is `default`
  const shop = await openShopPage(browser, `${site.url}/?user=u_7`);
  expect(shop.state).toBe('ready');
  expect(await shop.theme()).toBe('dark');
  expect(await shop.page.locator('#status').innerText()).toMatch(/^Flags of revision \d+\.$/);
  expect(shop.wasm).toEqual([{ path: `/assets/${evaluatorAsset()}`, status: 200, type: 'application/wasm' }]);
  expect(shop.errors).toEqual([]);
  // an anonymous visitor falls through to `default`, with a key the page keeps for the next visit
  const anonymous = await openShopPage(browser, site.url);
  expect(await anonymous.theme()).toBe('default');
  expect(await anonymous.page.locator('#visitor').innerText()).toMatch(/^anon-/);
  await Promise.all([shop.page.context().close(), anonymous.page.context().close()]);
});

it('re-renders without a reload when a flag is toggled on the server (the stream)', async () => {
  const shop = await openShopPage(browser, `${site.url}/?user=u_7`);
  expect(await shop.page.locator('#promo').isHidden()).toBe(true); // promo-banner is off in production
  await shop.page.evaluate(() => ((window as unknown as { marker: number }).marker = 1));
  try {
    await server.patchFlag('promo-banner', { on: true });
    await shop.page.locator('#promo').waitFor({ state: 'visible', timeout: 10_000 });
    expect(await shop.page.locator('#promo').innerText()).toBe('Free shipping this week');
    await server.patchFlag('ui-theme', { on: false });
    await shop.page.waitForFunction(() => document.getElementById('theme')!.textContent === 'default', undefined, { timeout: 10_000 });
    // the same document all along: no reload
    expect(await shop.page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1);
  } finally {
    await server.patchFlag('promo-banner', { on: false });
    await server.patchFlag('ui-theme', { on: true });
    await shop.page.context().close();
  }
});

it('stores the tracked clicks on the server once the tab closes', async () => {
  const shop = await openShopPage(browser, `${site.url}/?user=u_42`);
  await shop.page.locator('#add-to-cart').click();
  await shop.page.locator('#add-to-cart').click();
  expect(await shop.page.locator('#cart').innerText()).toBe('2');
  // before the page's next flush (5 s): only leaving the page (pagehide → sendBeacon, and close()) sends them
  await shop.page.close({ runBeforeUnload: true });
  const clicks = await waitFor(
    async () => {
      const mine = (await server.events()).filter((e) => e.kind === 'custom' && e.contextKeys?.user === 'u_42');
      return mine.length >= 2 ? mine : null;
    },
    15_000,
    'the clicks in the server’s event store',
  );
  expect(clicks).toHaveLength(2);
  expect(clicks[0]).toMatchObject({ key: 'add-to-cart', value: 1, properties: { theme: 'dark' } });
  await shop.page.context().close();
});

it('without the emitted .wasm the page shows its defaults, not the server’s value', async () => {
  // the control of the tests above: the same build with the asset gone
  const broken = mkdtempSync(join(tmpdir(), 'avsb-browser-app-vite-broken-'));
  cpSync(out, broken, { recursive: true });
  rmSync(join(broken, 'assets', evaluatorAsset()));
  const brokenSite = await serveStatic(broken);
  try {
    const shop = await openShopPage(browser, `${brokenSite.url}/?user=u_7`);
    expect(shop.state).toBe('error');
    expect(await shop.theme()).toBe('default');
    expect(await shop.page.locator('#status').innerText()).toMatch(/^Showing defaults \(engine\)/);
    await shop.page.context().close();
  } finally {
    await brokenSite.close();
    rmSync(broken, { recursive: true, force: true });
  }
});
