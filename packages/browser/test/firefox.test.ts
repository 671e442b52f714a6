// @avsb/browser in Firefox ESR (Debian's package, over WebDriver BiDi with puppeteer-core): the conformance vectors
// compared with Node case by case, reads and the events of a page that leaves against the real server, an offline reload
// from the localStorage cache, and the inline entry. The other scenarios run in Chromium only (README, "Tests").
import { rmSync } from 'node:fs';
import { type SandboxServer, startSandboxServer } from '@avsb/server';
import { waitFor } from '@avsb/test-support';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type StaticServer, launchFirefox, serveStatic } from '@avsb/test-support/browser';
import { nodeCompile, nodeEvaluate, nodeLoad } from './support/node-host';
import { bundlePage } from './support/page-bundle';
import { vectorJobs } from './support/vector-jobs';

let server: SandboxServer;
let browser: Browser;
const sites: StaticServer[] = [];
const dirs: string[] = [];

/** What `value` is once it has travelled as JSON text, as the page's answers do. */
function asJson(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

async function open(entry: string): Promise<Page> {
  const dir = await bundlePage(entry);
  dirs.push(dir);
  const site = await serveStatic(dir);
  sites.push(site);
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.goto(site.url);
  await page.waitForFunction(() => document.documentElement.dataset.loaded === 'true');
  return page;
}

beforeAll(async () => {
  [server, browser] = await Promise.all([startSandboxServer(), launchFirefox()]);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  for (const site of sites) await site.close();
  await server?.close().catch(() => {});
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}, 30_000);

it('evaluates every conformance vector in Firefox as Node does, case by case', async () => {
  const page = await open('engine-host');
  await page.evaluate(() => window.engineHost.start());
  let compared = 0;
  for (const job of vectorJobs()) {
    const [load, ...results] = JSON.parse(
      await page.evaluate(
        // as JSON text both ways: puppeteer's BiDi serialiser refuses some vector values (objects without a prototype),
        // and its deserialiser loses an object the answer holds twice (engine-host.ts, `run`)
        (text) => window.engineHost.run(JSON.parse(text)),
        JSON.stringify({ datafile: job.datafile, evaluations: job.evaluations }),
      ),
    ) as unknown[];
    expect(load, `${job.name}: load`).toEqual(asJson(nodeLoad(job.datafile)));
    job.evaluations.forEach(([name, context, flag], i) => {
      expect(results[i], `${job.name}: ${name}`).toEqual(asJson(nodeEvaluate(context, flag)));
      compared++;
    });
  }
  expect(compared).toBeGreaterThan(900);
}, 120_000);

it('evaluates every conformance vector in Firefox on the evaluator, from the compiled datafile, as Node does', async () => {
  const page = await open('engine-host');
  await page.evaluate(() => window.engineHost.start('evaluator'));
  let compared = 0;
  for (const job of vectorJobs()) {
    const { document, outcome } = nodeCompile(job.datafile);
    expect(outcome, `${job.name}: compile`).toEqual(nodeLoad(job.datafile));
    if (document === null) continue;
    const [load, ...results] = JSON.parse(
      await page.evaluate((text) => window.engineHost.run(JSON.parse(text)), JSON.stringify({ datafile: JSON.stringify(document), evaluations: job.evaluations })),
    ) as unknown[];
    expect(load, `${job.name}: load`).toEqual({ error: null, warnings: [] });
    job.evaluations.forEach(([name, context, flag], i) => {
      expect(results[i], `${job.name}: ${name}`).toEqual(asJson(nodeEvaluate(context, flag)));
      compared++;
    });
  }
  expect(compared).toBeGreaterThan(900);
}, 120_000);

it('reads flags with @avsb/browser/inline in Firefox, its engine decoded by Uint8Array.fromBase64 and compiled synchronously by the first client, fetching no .wasm', async () => {
  const page = await open('inline-app');
  const result = await page.evaluate(
    async ({ baseUrl, clientKey }) => {
      // the first client decodes the engine: its calls of Firefox's own decoder (133+), counted
      const U8 = Uint8Array as unknown as { fromBase64?: (text: string) => Uint8Array };
      const fromBase64 = U8.fromBase64;
      let decodes = 0;
      if (fromBase64 !== undefined)
        U8.fromBase64 = (text: string) => {
          decodes++;
          return fromBase64.call(Uint8Array, text);
        };
      const client = window.avsb.createClient({ clientKey, baseUrl, context: { kind: 'user', key: 'u_7' }, events: false });
      const ready = await client.waitForReady({ timeoutMs: 10_000 });
      const theme = client.getStringFlagDetails('ui-theme', 'none');
      await client.close();
      return { ready: ready.ready, theme: [theme.value, theme.reason.kind], decodes };
    },
    { baseUrl: server.url, clientKey: server.clientKey },
  );
  expect(result).toEqual({ ready: true, theme: ['dark', 'RULE_MATCH'], decodes: 1 });
  expect(sites.at(-1)!.requests.filter((path) => path.endsWith('.wasm'))).toEqual([]);
}, 60_000);

// The page leaves by navigating, not by closing its tab: Firefox ESR 153 closing a tab over WebDriver BiDi lost every
// beacon its `pagehide` queued in 3 to 7 of 180 closes under load (a plain listener's beacon too, sent first thing in
// `pagehide`), while a page navigating away lost none in 180 (README, "Tests"). Chromium's events test closes the tab.
it('reads flags, stores the events of a page that leaves, and serves an offline reload from the cache', async () => {
  const page = await open('app');
  const args = { baseUrl: server.url, clientKey: server.clientKey };
  const online = await page.evaluate(async ({ baseUrl, clientKey }) => {
    const client = window.avsb.createClient({ clientKey, baseUrl, context: { kind: 'user', key: 'u_7' }, flushIntervalMs: 600_000 });
    const ready = await client.waitForReady({ timeoutMs: 10_000 });
    client.track('purchase', { value: 5 });
    return { ready: ready.ready, revision: client.revision, theme: client.getStringFlagDetails('ui-theme', 'none') };
  }, args);
  expect(online).toMatchObject({ ready: true, theme: { value: 'dark', reason: { kind: 'RULE_MATCH' } } });

  const site = sites.at(-1)!;
  await page.goto(`${site.url}?left`); // pagehide: the queue leaves by sendBeacon
  await waitFor(
    async () => (await server.admin<{ kind: string; key?: string; contextKeys?: Record<string, string> }[]>('/events?limit=1000')).some((e) => e.kind === 'custom' && e.contextKeys?.user === 'u_7'),
    15_000,
    'the left page’s custom event in the server',
  );

  await server.close(); // offline from here on
  await page.goto(site.url);
  await page.waitForFunction(() => document.documentElement.dataset.loaded === 'true');
  const offline = await page.evaluate(async ({ baseUrl, clientKey }) => {
    const client = window.avsb.createClient({ clientKey, baseUrl, context: { kind: 'user', key: 'u_7' }, logLevel: 'none', events: false });
    const ready = await client.waitForReady({ timeoutMs: 5_000 });
    return { ready: ready.ready, revision: client.revision, theme: client.getStringFlagDetails('ui-theme', 'none') };
  }, args);
  expect(offline).toEqual(online);
}, 60_000);
