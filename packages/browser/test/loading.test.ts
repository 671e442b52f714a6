// How the engine reaches the page: the .wasm beside the bundle, a missing .wasm (reads keep serving bootstrap values
// or defaults, waitForReady says why), and the inline entry that fetches no .wasm at all.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type BrowserSuite, startBrowserSuite } from './support/browser-suite';
import { PACKAGE_DIR } from './support/page-bundle';

let suite: BrowserSuite;
let inline: BrowserSuite;

beforeAll(async () => {
  // the app's page with full message texts (a test reads what the missing .wasm's error says), the inline one as a production build
  [suite, inline] = await Promise.all([startBrowserSuite('app', 'full'), startBrowserSuite('inline-app')]);
}, 60_000);

afterAll(async () => {
  await Promise.all([suite?.close(), inline?.close()]);
}, 30_000);

it('fetches avsb-evaluator.wasm from beside the bundle by default, asks for the compiled datafile, and caches it; avsb-engine.wasm is not fetched', async () => {
  const page = await suite.newPage();
  const accepts: string[] = [];
  page.on('request', (request) => {
    if (request.url().endsWith('/sdk/v1/datafile')) accepts.push(request.headers().accept ?? '');
  });
  const before = suite.site.requests.length;
  const result = await page.evaluate(
    async ({ baseUrl, clientKey }) => {
      const client = window.avsb.createClient({ clientKey, baseUrl, context: { key: 'u_1' } });
      const ready = await client.waitForReady({ timeoutMs: 10_000 });
      const theme = client.getStringFlagDetails('ui-theme', 'none');
      await client.close();
      const key = Object.keys(localStorage).find((k) => k.startsWith('avsb:datafile:'))!;
      return { ready: ready.ready, theme, cached: JSON.parse(localStorage.getItem(key)!).datafile.format };
    },
    { baseUrl: suite.server.url, clientKey: suite.server.clientKey },
  );
  expect(result).toMatchObject({ ready: true, theme: { reason: { kind: 'FALLTHROUGH' } }, cached: 'avsb.compiled-datafile' });
  const wasm = suite.site.requests.slice(before).filter((path) => path.endsWith('.wasm'));
  expect(wasm).toEqual(['/avsb-evaluator.wasm']);
  expect(accepts.length).toBeGreaterThan(0);
  for (const accept of accepts) expect(accept).toBe('application/vnd.avsb.compiled-datafile; v=1, application/json;q=0.5');
  await page.context().close();
}, 30_000);

it('with jsonDatafiles, falls back to avsb-engine.wasm, fetched then, when the service answers JSON datafiles (a service that predates compiled ones)', async () => {
  const page = await suite.newPage();
  // the service as an older one answers: JSON whatever the Accept
  await page.route(`${suite.server.url}/sdk/v1/datafile`, (route) => void route.continue({ headers: { ...route.request().headers(), accept: 'application/json' } }));
  const before = suite.site.requests.length;
  const result = await page.evaluate(
    async ({ baseUrl, clientKey }) => {
      const jsonDatafiles = window.avsb.jsonDatafiles;
      const client = window.avsb.createClient({ clientKey, baseUrl, context: { kind: 'user', key: 'u_7' }, events: false, jsonDatafiles });
      const ready = await client.waitForReady({ timeoutMs: 10_000 });
      const theme = client.getStringFlagDetails('ui-theme', 'none');
      await client.close();
      const key = Object.keys(localStorage).find((k) => k.startsWith('avsb:datafile:'))!;
      return { ready: ready.ready, theme, cached: JSON.parse(localStorage.getItem(key)!).datafile.schemaVersion };
    },
    { baseUrl: suite.server.url, clientKey: suite.server.clientKey },
  );
  expect(result).toMatchObject({ ready: true, theme: { value: 'dark', reason: { kind: 'RULE_MATCH' } }, cached: 1 });
  const wasm = suite.site.requests.slice(before).filter((path) => path.endsWith('.wasm'));
  expect(wasm).toEqual(['/avsb-evaluator.wasm', '/avsb-engine.wasm']);
  await page.context().close();
}, 30_000);

it('with jsonDatafiles, tells an update that only changed a segment of a JSON datafile, with the flags that use it (the compiled path leaves the segment rules out)', async () => {
  const page = await suite.newPage();
  let answers = 0;
  // an older service's JSON; once the page has read its first value (not before: under load a poll could land
  // before that read), the segment beta-testers no longer holds u_7
  let segmentChanged = false;
  await page.route(`${suite.server.url}/sdk/v1/datafile`, async (route) => {
    const { 'if-none-match': _etag, ...headers } = route.request().headers();
    const response = await route.fetch({ headers: { ...headers, accept: 'application/json' } });
    const datafile = (await response.json()) as { revision: number; segments?: { key: string; included?: string[] }[] };
    answers++;
    if (segmentChanged) {
      datafile.revision += answers;
      datafile.segments = (datafile.segments ?? []).map((segment) => (segment.key === 'beta-testers' ? { ...segment, included: ['u_8'] } : segment));
    }
    await route.fulfill({ response, json: datafile, headers: { 'content-type': 'application/json' } });
  });
  const before = await page.evaluate(
    async ({ baseUrl, clientKey }) => {
      const jsonDatafiles = window.avsb.jsonDatafiles;
      const client = window.avsb.createClient({ clientKey, baseUrl, context: { kind: 'user', key: 'u_7' }, events: false, cache: false, streaming: false, pollIntervalMs: 100, jsonDatafiles });
      const updates: string[][] = [];
      const themes: unknown[] = [];
      await client.waitForReady({ timeoutMs: 10_000 });
      // what the first datafile changed (from the default) is not this test's
      client.on('update', (info) => void updates.push([...info.flagKeys].sort()));
      client.on('change:ui-theme', (value) => void themes.push(value));
      (window as unknown as { segmentTest: unknown }).segmentTest = { client, updates, themes };
      return client.getStringFlag('ui-theme', 'none');
    },
    { baseUrl: suite.server.url, clientKey: suite.server.clientKey },
  );
  segmentChanged = true;
  const result = await page.evaluate(async () => {
    const { client, updates, themes } = (window as unknown as { segmentTest: { client: ReturnType<typeof window.avsb.createClient>; updates: string[][]; themes: unknown[] } }).segmentTest;
    for (let i = 0; i < 200 && themes.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    const after = client.getStringFlag('ui-theme', 'none');
    await client.close();
    return { after, themes, updates };
  });
  expect(before).toBe('dark');
  expect(result.after).not.toBe('dark');
  expect(result.themes).toEqual([result.after]);
  // the flags are as they were: only the segment rules name ui-theme (a client-side datafile has no banner)
  expect(result.updates[0]).toEqual(['ui-theme']);
  await page.context().close();
}, 30_000);

it('without jsonDatafiles, refuses the JSON datafiles of a service that predates compiled ones, says what to pass, and fetches no avsb-engine.wasm', async () => {
  const page = await suite.newPage();
  await page.route(`${suite.server.url}/sdk/v1/datafile`, (route) => void route.continue({ headers: { ...route.request().headers(), accept: 'application/json' } }));
  const before = suite.site.requests.length;
  const result = await page.evaluate(
    async ({ baseUrl, clientKey }) => {
      const errors: string[] = [];
      const logger = { debug() {}, info() {}, warn() {}, error: (m: string) => void errors.push(m) };
      const client = window.avsb.createClient({ clientKey, baseUrl, context: { key: 'u_7' }, events: false, cache: false, streaming: false, logger });
      const ready = await client.waitForReady({ timeoutMs: 1_500 });
      const theme = client.getStringFlagDetails('ui-theme', 'none');
      await client.close();
      return { ready: ready.ready, theme, errors };
    },
    { baseUrl: suite.server.url, clientKey: suite.server.clientKey },
  );
  expect(result).toMatchObject({ ready: false, theme: { value: 'none', reason: { kind: 'ERROR', errorKind: 'CLIENT_NOT_READY' } } });
  expect(result.errors.join('\n')).toMatch(/refused a datafile \(poll\): datafile: a JSON datafile, which this client does not load: .*createClient\(\{ jsonDatafiles \}\)/);
  const wasm = suite.site.requests.slice(before).filter((path) => path.endsWith('.wasm'));
  expect(wasm).toEqual(['/avsb-evaluator.wasm']);
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
        wasmUrl: '/missing/avsb-evaluator.wasm',
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
  // avsb-engine.wasm is asked for only of a page that passes jsonDatafiles
  expect(result.message).toMatch(/HTTP 404.*serve avsb-evaluator\.wasm of @avsb\/browser beside your bundle \(avsb-engine\.wasm too if you pass jsonDatafiles\).*@avsb\/browser\/inline/);
  await page.context().close();
}, 30_000);

it('constructed with new AvsbBrowserClient, fetches the engine from its second argument when the options name none (createClient passes the URL beside the bundle), else avsb-evaluator.wasm beside the page', async () => {
  const page = await suite.newPage();
  const before = suite.site.requests.length;
  const result = await page.evaluate(
    async ({ baseUrl, clientKey }) => {
      const options = { clientKey, baseUrl, context: { key: 'u_1' }, events: false, cache: false, logLevel: 'none' as const };
      const elsewhere = new window.avsb.AvsbBrowserClient(options, '/elsewhere/avsb-evaluator.wasm');
      const beside = new window.avsb.AvsbBrowserClient(options);
      const [missed, ready] = await Promise.all([elsewhere.waitForReady({ timeoutMs: 10_000 }), beside.waitForReady({ timeoutMs: 10_000 })]);
      await Promise.all([elsewhere.close(), beside.close()]);
      return { missed: missed.ready ? 'ready' : missed.error.message, ready: ready.ready };
    },
    { baseUrl: suite.server.url, clientKey: suite.server.clientKey },
  );
  expect(result.missed).toMatch(/^could not load the engine from http:\/\/127\.0\.0\.1:\d+\/elsewhere\/avsb-evaluator\.wasm \(HTTP 404\)/);
  expect(result.ready).toBe(true);
  expect(suite.site.requests.slice(before).filter((path) => path.endsWith('.wasm')).sort()).toEqual(['/avsb-evaluator.wasm', '/elsewhere/avsb-evaluator.wasm']);
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

it('with @avsb/browser/inline and the evaluator as wasmUrl, switches to the inlined engine, not a fetched avsb-engine.wasm, when the service answers JSON datafiles', async () => {
  const page = await inline.newPage();
  // the service as an older one answers: JSON whatever the Accept
  await page.route(`${inline.server.url}/sdk/v1/datafile`, (route) => void route.continue({ headers: { ...route.request().headers(), accept: 'application/json' } }));
  const before = inline.site.requests.length;
  const result = await page.evaluate(
    async ({ baseUrl, clientKey }) => {
      const client = window.avsb.createClient({ clientKey, baseUrl, context: { kind: 'user', key: 'u_7' }, events: false, wasmUrl: '/avsb-evaluator.wasm' });
      const ready = await client.waitForReady({ timeoutMs: 10_000 });
      const theme = client.getStringFlagDetails('ui-theme', 'none');
      await client.close();
      return { ready: ready.ready, theme };
    },
    { baseUrl: inline.server.url, clientKey: inline.server.clientKey },
  );
  expect(result).toMatchObject({ ready: true, theme: { value: 'dark', reason: { kind: 'RULE_MATCH' } } });
  // the evaluator it was given, and nothing else: avsb-engine.wasm is served beside the page, but not asked for
  expect(inline.site.requests.slice(before).filter((path) => path.endsWith('.wasm'))).toEqual(['/avsb-evaluator.wasm']);
  await page.context().close();
}, 30_000);

it('compiles the inlined engine only for a client without an engine of its own: not at import, not for a page that passes its own, once for all the others', async () => {
  const context = await inline.browser.newContext();
  // notes every compile the page asks for, from before its scripts run: by what, and the bytes' length when given bytes
  await context.addInitScript(() => {
    const calls: [string, number | null][] = [];
    (window as unknown as { compiles: typeof calls }).compiles = calls;
    const length = (source: unknown): number | null => (ArrayBuffer.isView(source) || source instanceof ArrayBuffer ? source.byteLength : null);
    const wasm = WebAssembly as unknown as Record<string, (...args: unknown[]) => unknown>;
    for (const name of ['compile', 'compileStreaming', 'instantiate', 'instantiateStreaming']) {
      const original = wasm[name]!;
      wasm[name] = (...args: unknown[]) => {
        calls.push([name, length(args[0])]);
        return original.apply(WebAssembly, args);
      };
    }
    const Module = WebAssembly.Module;
    const noted = function (bytes: BufferSource) {
      calls.push(['Module', length(bytes)]);
      return new Module(bytes);
    };
    noted.prototype = Module.prototype;
    (WebAssembly as { Module: unknown }).Module = Object.assign(noted, { customSections: Module.customSections, exports: Module.exports, imports: Module.imports });
  });
  const page = await context.newPage();
  await page.goto(inline.site.url);
  await page.waitForFunction(() => document.documentElement.dataset.loaded === 'true');
  const result = await page.evaluate(
    async ({ baseUrl, clientKey }) => {
      const compiles = () => [...(window as unknown as { compiles: [string, number | null][] }).compiles];
      const atImport = compiles();
      const make = (own: boolean) =>
        window.avsb.createClient({
          clientKey,
          baseUrl,
          context: { kind: 'user', key: 'u_7' },
          events: false,
          ...(own ? { engine: WebAssembly.compileStreaming(fetch('/avsb-evaluator.wasm')) } : {}),
        });
      const read = async (client: ReturnType<typeof make>) => {
        const ready = await client.waitForReady({ timeoutMs: 10_000 });
        const theme = client.getStringFlag('ui-theme', 'none');
        await client.close();
        return [ready.ready, theme];
      };
      const ownEngine = await read(make(true));
      const withOwn = compiles();
      const inlined = await Promise.all([make(false), make(false)].map(read));
      return { atImport, ownEngine, withOwn, inlined, after: compiles().slice(withOwn.length) };
    },
    { baseUrl: inline.server.url, clientKey: inline.server.clientKey },
  );
  const engineBytes = readFileSync(join(PACKAGE_DIR, 'dist', 'avsb-engine.wasm')).length; // what the entry inlines
  expect(result.atImport).toEqual([]);
  // the page's own engine, compiled by the page; nothing of the inlined one (decoding it is what compiles it)
  expect(result.ownEngine).toEqual([true, 'dark']);
  expect(result.withOwn).toEqual([['compileStreaming', null]]);
  // then two clients on the inlined engine: compiled once, for both
  expect(result.inlined).toEqual([
    [true, 'dark'],
    [true, 'dark'],
  ]);
  expect(result.after).toHaveLength(1);
  expect(result.after[0]![1]).toBe(engineBytes);
  await context.close();
}, 30_000);

/**
 * Runs in the page before its scripts: counts the calls of `Uint8Array.fromBase64` and `atob` (or removes
 * `fromBase64`, as a browser older than Chromium 140 has none) and keeps the bytes the page compiles.
 */
function noteDecodes(native: boolean): void {
  const U8 = Uint8Array as unknown as { fromBase64?: (text: string) => Uint8Array };
  const noted = { fromBase64: 0, atob: 0, compiled: [] as Uint8Array[] };
  (window as unknown as { decodes: typeof noted }).decodes = noted;
  const fromBase64 = U8.fromBase64;
  if (!native) delete U8.fromBase64;
  else if (fromBase64 !== undefined)
    U8.fromBase64 = (text: string) => {
      noted.fromBase64++;
      return fromBase64.call(Uint8Array, text);
    };
  const atob = window.atob;
  window.atob = (text: string) => {
    noted.atob++;
    return atob(text);
  };
  const Module = WebAssembly.Module;
  const kept = function (bytes: BufferSource) {
    noted.compiled.push(new Uint8Array(ArrayBuffer.isView(bytes) ? bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) : bytes));
    return new Module(bytes);
  };
  kept.prototype = Module.prototype;
  (WebAssembly as { Module: unknown }).Module = Object.assign(kept, { customSections: Module.customSections, exports: Module.exports, imports: Module.imports });
}

it('with @avsb/browser/inline, decodes the engine with Chromium’s Uint8Array.fromBase64, and without it by atob, to the same bytes: the .wasm', async () => {
  const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
  const release = sha256(readFileSync(join(PACKAGE_DIR, 'dist', 'avsb-engine.wasm'))); // what the entry inlines
  const decoded = [];
  for (const native of [true, false]) {
    const context = await inline.browser.newContext();
    await context.addInitScript(noteDecodes, native);
    const page = await context.newPage();
    await page.goto(inline.site.url);
    await page.waitForFunction(() => document.documentElement.dataset.loaded === 'true');
    const result = await page.evaluate(
      async ({ baseUrl, clientKey }) => {
        const client = window.avsb.createClient({ clientKey, baseUrl, context: { kind: 'user', key: 'u_7' }, events: false });
        const ready = await client.waitForReady({ timeoutMs: 10_000 });
        const theme = client.getStringFlagDetails('ui-theme', 'none');
        await client.close();
        const { fromBase64, atob, compiled } = (window as unknown as { decodes: { fromBase64: number; atob: number; compiled: Uint8Array[] } }).decodes;
        // hashed here: the bytes handed to Node as an array of numbers took seconds to serialise on a loaded machine
        const sha256 = async (bytes: Uint8Array) => [...new Uint8Array(await crypto.subtle.digest('SHA-256', new Uint8Array(bytes)))].map((b) => b.toString(16).padStart(2, '0')).join('');
        return { ready: ready.ready, theme: [theme.value, theme.reason.kind], fromBase64, atob, compiled: await Promise.all(compiled.map(sha256)) };
      },
      { baseUrl: inline.server.url, clientKey: inline.server.clientKey },
    );
    await context.close();
    expect(result).toMatchObject({ ready: true, theme: ['dark', 'RULE_MATCH'] });
    expect(result.compiled).toHaveLength(1);
    decoded.push({ fromBase64: result.fromBase64, atob: result.atob, bytes: result.compiled[0] });
  }
  // Chromium's own decoder once where it has one (not atob); atob once where it has none; the release .wasm both times
  expect(decoded).toEqual([
    { fromBase64: 1, atob: 0, bytes: release },
    { fromBase64: 0, atob: 1, bytes: release },
  ]);
}, 30_000);

it('with @avsb/browser/inline on a page whose Content-Security-Policy refuses WebAssembly, createClient does not throw: waitForReady says the engine failed, reads serve defaults', async () => {
  const context = await inline.browser.newContext();
  const page = await context.newPage();
  // the page as served, with a policy that allows its scripts but not WebAssembly (no 'wasm-unsafe-eval')
  await page.route(`${inline.site.url}/`, async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': "script-src 'self'" } });
  });
  await page.goto(`${inline.site.url}/`);
  await page.waitForFunction(() => document.documentElement.dataset.loaded === 'true');
  const result = await page.evaluate(
    async ({ baseUrl, clientKey }) => {
      try {
        const client = window.avsb.createClient({ clientKey, baseUrl, context: { kind: 'user', key: 'u_7' }, events: false, logLevel: 'none' });
        const ready = await client.waitForReady({ timeoutMs: 10_000 });
        const theme = client.getStringFlagDetails('ui-theme', 'none');
        await client.close();
        return { ready: ready.ready, kind: ready.ready ? null : ready.error.kind, theme: [theme.value, theme.reason.kind] };
      } catch (e) {
        return { threw: String(e) };
      }
    },
    { baseUrl: inline.server.url, clientKey: inline.server.clientKey },
  );
  expect(result).toEqual({ ready: false, kind: 'engine', theme: ['none', 'ERROR'] });
  await context.close();
}, 30_000);
