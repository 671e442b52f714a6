// How the engine reaches the page: the .wasm beside the bundle, a missing .wasm (reads keep serving bootstrap values
// or defaults, waitForReady says why), and the inline entry that fetches no .wasm at all.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type BrowserSuite, startBrowserSuite } from './support/browser-suite';

let suite: BrowserSuite;
let inline: BrowserSuite;

beforeAll(async () => {
  [suite, inline] = await Promise.all([startBrowserSuite(), startBrowserSuite('inline-app')]);
}, 60_000);

afterAll(async () => {
  await Promise.all([suite?.close(), inline?.close()]);
}, 30_000);

it('fetches avsb-engine.wasm from beside the bundle by default', async () => {
  const page = await suite.newPage();
  const ready = await page.evaluate(
    async ({ baseUrl, clientKey }) => {
      const client = window.avsb.createClient({ clientKey, baseUrl, context: { key: 'u_1' } });
      const result = await client.waitForReady({ timeoutMs: 10_000 });
      await client.close();
      return result.ready;
    },
    { baseUrl: suite.server.url, clientKey: suite.server.clientKey },
  );
  expect(ready).toBe(true);
  expect(suite.site.requests).toContain('/avsb-engine.wasm');
  await page.context().close();
}, 30_000);

it('keeps serving bootstrap values and defaults when the .wasm cannot be loaded, and says so', async () => {
  const page = await suite.newPage();
  const result = await page.evaluate(
    async ({ baseUrl, clientKey }) => {
      const client = window.avsb.createClient({
        clientKey,
        baseUrl,
        context: { key: 'u_1' },
        wasmUrl: '/missing/avsb-engine.wasm',
        bootstrap: { 'ui-theme': 'dark' },
        logLevel: 'none',
      });
      const ready = await client.waitForReady({ timeoutMs: 10_000 });
      const out = {
        ready: ready.ready,
        kind: ready.ready ? null : ready.error.kind,
        message: ready.ready ? null : ready.error.message,
        theme: client.getStringFlagDetails('ui-theme', 'default'),
        banner: client.getJsonFlag('promo-banner', 'none'),
      };
      await client.close();
      return { ...out, closed: client.getStringFlagDetails('ui-theme', 'default') };
    },
    { baseUrl: suite.server.url, clientKey: suite.server.clientKey },
  );
  expect(result).toMatchObject({
    ready: false,
    kind: 'engine',
    theme: { value: 'dark', reason: { kind: 'BOOTSTRAP' } },
    banner: 'none',
    closed: { value: 'default', reason: { kind: 'ERROR', errorKind: 'CLIENT_CLOSED' } },
  });
  expect(result.message).toMatch(/HTTP 404.*serve avsb-engine\.wasm.*@avsb\/browser\/inline/);
  await page.context().close();
}, 30_000);

it('fetches no .wasm with @avsb/browser/inline', async () => {
  const page = await inline.newPage();
  const result = await page.evaluate(
    async ({ baseUrl, clientKey }) => {
      const client = window.avsb.createClient({ clientKey, baseUrl, context: { kind: 'user', key: 'u_7' } });
      const ready = await client.waitForReady({ timeoutMs: 10_000 });
      const theme = client.getStringFlag('ui-theme', 'none');
      await client.close();
      return { ready: ready.ready, theme };
    },
    { baseUrl: inline.server.url, clientKey: inline.server.clientKey },
  );
  expect(result).toEqual({ ready: true, theme: 'dark' });
  expect(inline.site.requests.filter((path) => path.endsWith('.wasm'))).toEqual([]);
  await page.context().close();
}, 30_000);
