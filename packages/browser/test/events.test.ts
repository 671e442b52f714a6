// Events from a page reach the real server, including those still queued when the tab closes.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { waitFor } from '@avsb/test-support';
import { type BrowserSuite, startBrowserSuite } from './support/browser-suite';

let suite: BrowserSuite;

beforeAll(async () => {
  suite = await startBrowserSuite();
  // the experiment flag of the guide, made visible to client keys
  await suite.server.patchFlag('checkout-v2', { clientSide: true });
}, 60_000);

afterAll(async () => {
  await suite?.close();
}, 30_000);

interface StoredEvent {
  kind: string;
  contextKeys?: Record<string, string>;
  flag?: string;
  key?: string;
  value?: number;
  inExperiment?: boolean;
}

it('stores the exposures and custom events of a tab that closes before its next flush', async () => {
  const page = await suite.newPage();
  const read = await page.evaluate(
    async ({ baseUrl, clientKey }) => {
      // a flush interval longer than the test: only leaving the page sends anything
      const client = window.avsb.createClient({ clientKey, baseUrl, context: { kind: 'user', key: 'visitor-7' }, flushIntervalMs: 600_000 });
      await client.waitForReady({ timeoutMs: 10_000 });
      const detail = client.getBoolFlagDetails('checkout-v2', false);
      for (let i = 0; i < 50; i++) client.getBoolFlag('checkout-v2', false); // deduplicated: one exposure
      client.track('purchase', { value: 149.99, properties: { currency: 'usd' } });
      return detail;
    },
    { baseUrl: suite.server.url, clientKey: suite.server.clientKey },
  );
  expect(read).toMatchObject({ inExperiment: true, reason: { kind: 'FALLTHROUGH' } });
  await page.close({ runBeforeUnload: true }); // pagehide: the queue leaves by sendBeacon
  const stored = await waitFor(
    async () => {
      const events = await suite.server.admin<StoredEvent[]>('/events?limit=1000');
      const mine = events.filter((e) => e.contextKeys?.user === 'visitor-7');
      return mine.some((e) => e.kind === 'custom') && mine.some((e) => e.kind === 'exposure') ? mine : null;
    },
    15_000,
    'the closed tab’s events in the server',
  );
  const exposures = stored.filter((e) => e.kind === 'exposure');
  expect(exposures).toHaveLength(1);
  expect(exposures[0]).toMatchObject({ flag: 'checkout-v2', inExperiment: true });
  expect(stored.find((e) => e.kind === 'custom')).toMatchObject({ key: 'purchase', value: 149.99 });
}, 30_000);

it('sends events while the page lives, and close() flushes them', async () => {
  const page = await suite.newPage();
  await page.evaluate(
    async ({ baseUrl, clientKey }) => {
      const client = window.avsb.createClient({ clientKey, baseUrl, context: { kind: 'user', key: 'visitor-8' }, flushIntervalMs: 600_000 });
      client.track('signup'); // before the engine is even loaded
      await client.waitForReady({ timeoutMs: 10_000 });
      client.getBoolFlag('checkout-v2', false);
      await client.close();
    },
    { baseUrl: suite.server.url, clientKey: suite.server.clientKey },
  );
  const events = await suite.server.admin<StoredEvent[]>('/events?limit=1000');
  const mine = events.filter((e) => e.contextKeys?.user === 'visitor-8');
  expect(mine.map((e) => e.kind).sort()).toEqual(['custom', 'exposure']);
  await page.context().close();
}, 30_000);

it('sends by fetch with the key in a header while the page lives, and by beacon with ?key= once it is hidden', async () => {
  const page = await suite.newPage();
  const posts: { query: boolean; authorization: boolean; type: string | undefined }[] = [];
  page.on('request', (request) => {
    if (request.method() !== 'POST' || !request.url().startsWith(`${suite.server.url}/sdk/v1/events`)) return;
    const headers = request.headers();
    posts.push({ query: request.url().includes('?key=cli-'), authorization: headers.authorization !== undefined, type: headers['content-type'] });
  });
  await page.evaluate(
    async ({ baseUrl, clientKey }) => {
      const client = window.avsb.createClient({ clientKey, baseUrl, context: { kind: 'user', key: 'visitor-9' }, flushIntervalMs: 600_000 });
      await client.waitForReady({ timeoutMs: 10_000 });
      client.track('first');
      await client.flush(); // the page lives: fetch
      client.track('second');
      window.dispatchEvent(new Event('pagehide')); // what a closing tab (or a page going into the back/forward cache) fires
      await new Promise((resolve) => setTimeout(resolve, 100));
      window.dispatchEvent(new Event('pageshow')); // back from the back/forward cache: fetch again
      client.track('third');
      await client.flush();
    },
    { baseUrl: suite.server.url, clientKey: suite.server.clientKey },
  );
  const stored = await waitFor(
    async () => {
      const events = await suite.server.admin<StoredEvent[]>('/events?limit=1000');
      const keys = events.filter((e) => e.contextKeys?.user === 'visitor-9' && e.kind === 'custom').map((e) => e.key);
      return keys.length === 3 ? keys : null;
    },
    15_000,
    'the three custom events in the server',
  );
  expect(stored).toEqual(['first', 'second', 'third']);
  expect(posts).toEqual([
    { query: false, authorization: true, type: 'application/json; charset=utf-8' },
    { query: true, authorization: false, type: 'text/plain;charset=UTF-8' },
    { query: false, authorization: true, type: 'application/json; charset=utf-8' },
  ]);
  await page.context().close();
}, 30_000);

it('watches the page leaving only when it has events to send: no listeners with events: false, three removed at close otherwise', async () => {
  const page = await suite.newPage();
  const result = await page.evaluate(
    async ({ baseUrl, clientKey }) => {
      // every page-leaving listener added or removed on window and document from here on
      const noted: string[] = [];
      const watched = ['pagehide', 'pageshow', 'visibilitychange'];
      for (const target of [window, document] as EventTarget[]) {
        const { addEventListener: add, removeEventListener: remove } = target;
        target.addEventListener = function (this: EventTarget, type: string, ...rest: [EventListenerOrEventListenerObject | null, unknown?]) {
          if (watched.includes(type)) noted.push(`add ${type}`);
          return add.call(this, type, ...(rest as [EventListenerOrEventListenerObject | null]));
        };
        target.removeEventListener = function (this: EventTarget, type: string, ...rest: [EventListenerOrEventListenerObject | null, unknown?]) {
          if (watched.includes(type)) noted.push(`remove ${type}`);
          return remove.call(this, type, ...(rest as [EventListenerOrEventListenerObject | null]));
        };
      }
      const run = async (events: boolean) => {
        const from = noted.length;
        const client = window.avsb.createClient({ clientKey, baseUrl, context: { kind: 'user', key: 'u_7' }, events });
        const ready = await client.waitForReady({ timeoutMs: 10_000 });
        const theme = client.getStringFlag('ui-theme', 'none');
        const created = noted.slice(from);
        await client.close();
        return { ready: ready.ready, theme, created, closed: noted.slice(from + created.length) };
      };
      return { without: await run(false), with: await run(true) };
    },
    { baseUrl: suite.server.url, clientKey: suite.server.clientKey },
  );
  expect(result.without).toEqual({ ready: true, theme: 'dark', created: [], closed: [] });
  expect(result.with).toEqual({
    ready: true,
    theme: 'dark',
    created: ['add pagehide', 'add pageshow', 'add visibilitychange'],
    closed: ['remove pagehide', 'remove pageshow', 'remove visibilitychange'],
  });
  await page.context().close();
}, 30_000);
