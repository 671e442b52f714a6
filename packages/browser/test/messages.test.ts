// A page's production build writes short message texts (a code and the values, README "Size", thirteenth pass), its
// development build the full texts: the same page, bundled both ways, in one Chromium against the real A vs B server.
// Every message the production page gives is a code whose text in @avsb/browser's catalogue (dist/MESSAGES.md, which
// lists the codes of the packages it uses too), with the values put in, is the development page's message word for word.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type StaticServer, serveStatic } from '@avsb/test-support/browser';
import { useBrowserSuite } from './support/browser-suite';
import { expandMessage, browserCatalogue } from './support/message-catalogue';
import { bundlePage } from './support/page-bundle';

const suite = useBrowserSuite('app', 'short');
let full: { dir: string; site: StaticServer };

beforeAll(async () => {
  const dir = await bundlePage('app', 'full');
  full = { dir, site: await serveStatic(dir) };
}, 60_000);

afterAll(async () => {
  await full?.site.close();
  if (full !== undefined) rmSync(full.dir, { recursive: true, force: true });
});

/** A new browser context's page at `url`, once its bundle has loaded. */
async function loadedPage(url: string) {
  const context = await suite.browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForFunction(() => document.documentElement.dataset.loaded === 'true');
  return { context, page };
}

/** What the page says when misused: the errors thrown and returned, and the lines logged, in order. */
async function messagesAt(url: string): Promise<string[]> {
  const { context, page } = await loadedPage(url);
  const said = await page.evaluate(
    async ({ baseUrl, serverKey }) => {
      const out: string[] = [];
      const logger = { debug() {}, info() {}, warn: (line: string) => void out.push(line), error: (line: string) => void out.push(line) };
      const attempt = (options: Parameters<typeof window.avsb.createClient>[0]): void => {
        try {
          window.avsb.createClient(options);
        } catch (e) {
          out.push(`${(e as Error).name}: ${(e as Error).message}`);
        }
      };
      attempt({ clientKey: serverKey, baseUrl, context: { key: 'u_1' } });
      attempt({ clientKey: 'cli-example', baseUrl: 'ftp://flags.example.com', context: { key: 'u_1' } });
      const client = window.avsb.createClient({ clientKey: 'cli-not-a-real-key', baseUrl, context: { key: 'u_1' }, logger, events: false, cache: false });
      const refused = await client.waitForReady({ timeoutMs: 10_000 });
      out.push(refused.ready ? 'ready' : refused.error.message);
      await client.close();
      const closed = await client.waitForReady({ timeoutMs: 1_000 });
      out.push(closed.ready ? 'ready' : closed.error.message);
      // no .wasm at the URL given: what to serve (the evaluator; the full engine only with jsonDatafiles)
      const missing = window.avsb.createClient({ clientKey: 'cli-example', baseUrl, context: { key: 'u_1' }, wasmUrl: '/missing/avsb-evaluator.wasm', logLevel: 'none', events: false, cache: false });
      const failed = await missing.waitForReady({ timeoutMs: 10_000 });
      // the page's origin differs between the two builds' sites
      out.push(failed.ready ? 'ready' : failed.error.message.replace(location.origin, '<page>'));
      await missing.close();
      return out;
    },
    { baseUrl: suite.server.url, serverKey: suite.server.serverKey },
  );
  await context.close();
  return said;
}

it('gives codes in a production build, whose catalogue texts are the development build’s messages word for word', async () => {
  const [short, long] = await Promise.all([messagesAt(suite.site.url), messagesAt(full.site.url)]);
  const catalogue = browserCatalogue();
  // the production page's own words: a code (and the values) where the development page has a sentence
  expect(short[0]).toMatch(/^AvsbConfigError: avsb B[0-9A-Z]{3}: avsb B[0-9A-Z]{3}$/);
  expect(long[0]).toMatch(/^AvsbConfigError: createClient: that is a server key \(srv-…\), which sees every flag and must never reach a browser/);
  const code = /avsb (B[0-9A-Z]{3})\b/.exec(short[0]!)![1]!;
  expect(catalogue.get(code)).toMatch(/^createClient: that is a server key \(srv-…\), which sees every flag and must never reach a browser: .*\{1\}\.$/);
  expect(short).toHaveLength(long.length);
  expect(short.length).toBe(6);
  expect(long[5]).toMatch(/^could not load the engine from <page>\/missing\/avsb-evaluator\.wasm \(HTTP 404\): serve avsb-evaluator\.wasm of @avsb\/browser beside your bundle \(avsb-engine\.wasm too if you pass jsonDatafiles\)/);
  expect(short[5]).toMatch(/^avsb B[0-9A-Z]{3}: <page>\/missing\/avsb-evaluator\.wasm, 404$/);
  for (const [i, message] of short.entries()) {
    expect(message, long[i]).toMatch(/avsb [BCEMV][0-9A-Z]{3}\b/);
    expect(message.length, message).toBeLessThan(long[i]!.length);
    expect(expandMessage(message, catalogue)).toBe(long[i]);
  }
  // the one catalogue of @avsb/browser explains the codes of every package a page bundles
  expect(new Set([...catalogue.keys()].map((code) => code[0]))).toEqual(new Set(['B', 'C', 'E', 'M', 'V']));
  // neither build writes the key it refused
  for (const message of [...short, ...long]) {
    expect(message).not.toContain(suite.server.serverKey);
    expect(message).not.toContain('cli-not-a-real-key');
  }
}, 60_000);

/** The `errorMessage` of a read of a misspelt key, once the page serves a datafile, read twice, and the warnings logged. */
async function missAt(url: string): Promise<{ message: string | undefined; again: string | undefined; warnings: string[] }> {
  const { context, page } = await loadedPage(url);
  const said = await page.evaluate(
    async ({ baseUrl, clientKey }) => {
      const warnings: string[] = [];
      const ignore = () => {};
      const logger = { debug: ignore, info: ignore, warn: (m: string) => warnings.push(m), error: ignore };
      const client = window.avsb.createClient({ clientKey, baseUrl, context: { key: 'u_1' }, events: false, cache: false, logger });
      await client.waitForReady({ timeoutMs: 10_000 });
      const message = client.getStringFlagDetails('ui-thme', 'none').errorMessage;
      const again = client.getStringFlagDetails('ui-thme', 'none').errorMessage;
      await client.close();
      return { message, again, warnings: warnings.filter((w) => w.includes('ui-thme')) };
    },
    { baseUrl: suite.server.url, clientKey: suite.server.clientKey },
  );
  await context.close();
  return said;
}

it('names the nearest key of a missing flag in a development build only: the production build leaves the search out (developmentOnly)', async () => {
  const [short, long] = await Promise.all([missAt(suite.site.url), missAt(full.site.url)]);
  expect(long.message).toMatch(/^flag "ui-thme" is not in the datafile \(revision \d+, \d+ flags\); did you mean "ui-theme"\?$/);
  expect(short.message).toMatch(/^flag "ui-thme" is not in the datafile \(revision \d+, \d+ flags\)$/);
  // each build says the same at the second read and logs the key once: the production build's message is made again
  // at each miss (it remembers no messages), the development build's remembered with its search
  for (const { message, again, warnings } of [short, long]) {
    expect(again).toBe(message);
    expect(warnings).toHaveLength(1);
  }
  expect(short.warnings[0]).toMatch(/avsb C[0-9A-Z]{3}: flag "ui-thme" is not in the datafile/);
}, 60_000);

/** The lines logged for a listener of an event the client has none of, and whether anything called it by the time the first datafile was served. */
async function unknownEventAt(url: string): Promise<{ logged: string[]; called: boolean; changed: boolean }> {
  const { context, page } = await loadedPage(url);
  const said = await page.evaluate(
    async ({ baseUrl, clientKey }) => {
      const logged: string[] = [];
      const log = (m: string) => void logged.push(m);
      const client = window.avsb.createClient({ clientKey, baseUrl, context: { key: 'u_7' }, events: false, cache: false, logger: { debug() {}, info() {}, warn: log, error: log } });
      let called = false;
      client.on('chnage' as 'change', () => void (called = true));
      // a change the page does hear: the first datafile's values, told before ready
      let changed = false;
      client.on('change', () => void (changed = true));
      await client.waitForReady({ timeoutMs: 10_000 });
      await client.close();
      return { logged, called, changed };
    },
    { baseUrl: suite.server.url, clientKey: suite.server.clientKey },
  );
  await context.close();
  return said;
}

it('warns of a listener for an unknown event in a development build only (developmentOnly); neither build calls it', async () => {
  const [short, long] = await Promise.all([unknownEventAt(suite.site.url), unknownEventAt(full.site.url)]);
  expect(long.logged).toEqual(['[avsb] on("chnage"): unknown event; use "ready", "update", "change" or "change:<flag key>"']);
  expect(short.logged).toEqual([]);
  for (const { called, changed } of [short, long]) expect({ called, changed }).toEqual({ called: false, changed: true });
}, 60_000);

/** What `createClient` throws for option values of the wrong type (`events: 'no'`, `pollIntervalMs: '1000'`). */
async function wrongOptionsAt(url: string): Promise<string> {
  const { context, page } = await loadedPage(url);
  const said = await page.evaluate(
    ({ baseUrl, clientKey }) => {
      try {
        window.avsb.createClient({ clientKey, baseUrl, context: { key: 'u_7' }, events: 'no', pollIntervalMs: '1000' } as never);
        return 'no error';
      } catch (e) {
        return `${(e as Error).name}: ${(e as Error).message}`;
      }
    },
    { baseUrl: suite.server.url, clientKey: suite.server.clientKey },
  );
  await context.close();
  return said;
}

it('refuses option values of the wrong type in both builds: the development build says what each takes, the production build names the options', async () => {
  const [short, long] = await Promise.all([wrongOptionsAt(suite.site.url), wrongOptionsAt(full.site.url)]);
  expect(long).toBe(
    'AvsbConfigError: createClient: events must be true or false, not "no"; ' +
      "pollIntervalMs must be a number of milliseconds (0 or more) such as 5000, not \"1000\" (Number(…) reads one from the environment's text)",
  );
  expect(short).toMatch(/^AvsbConfigError: avsb B[0-9A-Z]{3}: events, pollIntervalMs$/);
  const code = short.slice('AvsbConfigError: '.length);
  expect(expandMessage(code, browserCatalogue())).toBe(
    "createClient: events, pollIntervalMs: a value of the wrong type or out of range; give each what the option table of @avsb/browser's README says (true or false, milliseconds 0 or more, a log level, a logger)",
  );
}, 60_000);

/** The lines a client logs for options it does not know (`baseURL` for `baseUrl`, an SDK option of the server). */
async function unknownOptionsAt(url: string): Promise<string[]> {
  const { context, page } = await loadedPage(url);
  const said = await page.evaluate(
    async ({ baseUrl, clientKey }) => {
      const logged: string[] = [];
      const log = (m: string) => void logged.push(m);
      const options = { clientKey, baseURL: baseUrl, sdkKey: 'x', context: { key: 'u_7' }, events: false, cache: false, logger: { debug() {}, info() {}, warn: log, error() {} } };
      const client = window.avsb.createClient(options as never);
      await client.close();
      return logged;
    },
    { baseUrl: suite.server.url, clientKey: suite.server.clientKey },
  );
  await context.close();
  return said;
}

it('warns of options createClient does not know in a development build only (developmentOnly), naming the one meant', async () => {
  const [short, long] = await Promise.all([unknownOptionsAt(suite.site.url), unknownOptionsAt(full.site.url)]);
  expect(long).toEqual(['[avsb] createClient: unknown option "baseURL", ignored; did you mean "baseUrl"?', '[avsb] createClient: unknown option "sdkKey", ignored']);
  expect(short).toEqual([]);
}, 60_000);
