// Events from a page reach the real server, including those still queued when the tab closes.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { waitFor } from '@avsb/test-support';
import { patchFlag } from './support/admin';
import { type BrowserSuite, startBrowserSuite } from './support/browser-suite';

let suite: BrowserSuite;

beforeAll(async () => {
  suite = await startBrowserSuite();
  // the experiment flag of the guide, made visible to client keys
  await patchFlag(suite.server, 'checkout-v2', { clientSide: true });
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
