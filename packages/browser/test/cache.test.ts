// The datafile cached in localStorage: a returning visitor evaluates from it with the server stopped (offline), and a
// corrupt or foreign entry is ignored.
import { expect, it } from 'vitest';
import { useBrowserSuite } from './support/browser-suite';

const suite = useBrowserSuite();

const visitor = { kind: 'user', key: 'u_7' }; // a beta tester: ui-theme "dark" by rule

function cacheEntries(): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < localStorage.length; i++) {
    const name = localStorage.key(i)!;
    if (name.startsWith('avsb:')) out[name] = localStorage.getItem(name)!;
  }
  return out;
}

it('ignores and removes a corrupt or foreign cache entry', async () => {
  const page = await suite.newPage();
  const args = { baseUrl: suite.server.url, clientKey: suite.server.clientKey, visitor };
  // learn the entry's name from a first visit, then spoil it
  await page.evaluate(async ({ baseUrl, clientKey, visitor }) => {
    const client = window.avsb.createClient({ clientKey, baseUrl, context: visitor });
    await client.waitForReady({ timeoutMs: 10_000 });
    await client.close();
  }, args);
  const [name] = Object.keys(await page.evaluate(cacheEntries));
  expect(name).toMatch(/^avsb:datafile:[0-9a-f]{8}$/);
  // with the network refused, a datafile can only come from the cache
  await page.route(`${suite.server.url}/**`, (route) => route.abort());
  const foreign = { format: 1, id: 'deadbeef', revision: 1, datafile: { revision: 1, flags: [], segments: [] } };
  const own = { ...foreign, id: name!.slice(-8) };
  // (an entry's datafile that is not an object with the entry's revision: a string, an array, null, a number, none)
  const notDatafiles = ['1', [1], null, 1, undefined].map((datafile) => JSON.stringify({ ...own, datafile }));
  for (const spoiled of ['{not json', JSON.stringify(foreign), '{"format":1}', JSON.stringify({ ...own, revision: 2 }), ...notDatafiles]) {
    const result = await page.evaluate(
      async ({ baseUrl, clientKey, visitor, name, spoiled }) => {
        localStorage.setItem(name, spoiled);
        const client = window.avsb.createClient({ clientKey, baseUrl, context: visitor, logLevel: 'none', events: false });
        const ready = await client.waitForReady({ timeoutMs: 1_000 });
        const theme = client.getStringFlag('ui-theme', 'none');
        await client.close();
        return { ready: ready.ready, theme, entry: localStorage.getItem(name) };
      },
      { ...args, name: name!, spoiled },
    );
    expect(result, spoiled).toEqual({ ready: false, theme: 'none', entry: null }); // ignored and removed
  }
  await page.context().close();
}, 30_000);

it('does not cache a datafile over the size bound, and drops the older entry it would leave stale', async () => {
  const page = await suite.newPage();
  await page.evaluate(
    async ({ baseUrl, clientKey, visitor }) => {
      const client = window.avsb.createClient({ clientKey, baseUrl, context: visitor, events: false });
      (window as any).client = client;
      await client.waitForReady({ timeoutMs: 10_000 });
    },
    { baseUrl: suite.server.url, clientKey: suite.server.clientKey, visitor },
  );
  expect(Object.keys(await page.evaluate(cacheEntries))).toHaveLength(1);
  const small = [{ show: false }, { show: true, text: 'Free shipping this week', color: '#0a7' }];
  const huge = [{ show: false }, { show: true, text: 'x'.repeat(1_100_000) }];
  await suite.server.patchFlag('promo-banner', { variations: huge });
  try {
    await page.waitForFunction(() => (window as any).client.revision > 1, undefined, { timeout: 10_000 });
    expect(await page.evaluate(cacheEntries)).toEqual({});
  } finally {
    await suite.server.patchFlag('promo-banner', { variations: small });
  }
  await page.waitForFunction(() => Object.keys(localStorage).some((name) => name.startsWith('avsb:')), undefined, { timeout: 10_000 });
  await page.evaluate(() => (window as any).client.close());
  await page.context().close();
}, 30_000);

it('serves a returning visitor from the cache with the server stopped, and never writes the key', async () => {
  const page = await suite.newPage();
  const args = { baseUrl: suite.server.url, clientKey: suite.server.clientKey, visitor };
  const online = await page.evaluate(async ({ baseUrl, clientKey, visitor }) => {
    const client = window.avsb.createClient({ clientKey, baseUrl, context: visitor });
    await client.waitForReady({ timeoutMs: 10_000 });
    const out = { revision: client.revision, theme: client.getStringFlagDetails('ui-theme', 'none') };
    await client.close();
    return out;
  }, args);
  const entries = await page.evaluate(cacheEntries);
  expect(Object.keys(entries)).toHaveLength(1);
  expect(Object.values(entries)[0]).not.toContain(suite.server.clientKey);
  // the entry's format, as every earlier version wrote it (a change would drop every visitor's cache once)
  const entry = JSON.parse(Object.values(entries)[0]!) as Record<string, unknown>;
  expect(Object.keys(entry)).toEqual(['format', 'id', 'revision', 'datafile']);
  expect(entry).toMatchObject({ format: 1, id: Object.keys(entries)[0]!.slice(-8), revision: online.revision, datafile: { revision: online.revision } });

  await suite.server.close(); // offline from here on
  await page.reload();
  await page.waitForFunction(() => document.documentElement.dataset.loaded === 'true');
  const offline = await page.evaluate(async ({ baseUrl, clientKey, visitor }) => {
    const client = window.avsb.createClient({ clientKey, baseUrl, context: visitor, logLevel: 'error' });
    const ready = await client.waitForReady({ timeoutMs: 5_000 });
    return { ready: ready.ready, revision: client.revision, theme: client.getStringFlagDetails('ui-theme', 'none') };
  }, args);
  expect(offline).toEqual({ ready: true, revision: online.revision, theme: online.theme });
  expect(offline.theme).toMatchObject({ value: 'dark', reason: { kind: 'RULE_MATCH' } });
  await page.context().close();
}, 30_000);
