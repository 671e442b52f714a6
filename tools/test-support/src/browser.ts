// Test support for tests in a real browser: Debian's Chromium driven by playwright-core, Firefox ESR by puppeteer-core
// over WebDriver BiDi, and a static server that serves a bundled test page on 127.0.0.1 as any static host would
// (the .wasm as application/wasm).
import { copyFileSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize } from 'node:path';
import { build } from 'esbuild';
import { type Browser, type Page, chromium } from 'playwright-core';
import puppeteer, { type Browser as FirefoxBrowser } from 'puppeteer-core';

export type { FirefoxBrowser };

/** Where Debian puts Chromium (`apt-get install chromium`, which `pnpm setup:test` runs). */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Launches headless Chromium. Throws a clear error when it is not installed,
 * so a browser test fails saying why rather than being skipped silently.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: the browser tests run in Debian's Chromium; install it with \`pnpm setup:test\` (apt-get install chromium)`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
};

/** A static site on 127.0.0.1. */
export interface StaticServer {
  readonly url: string;
  /** Paths requested so far, in order. */
  readonly requests: string[];
  /** Serves `body` at `path` from now on (e.g. an HTML page rendered by the test). */
  put(path: string, body: string): void;
  close(): Promise<void>;
}

/** Serves the files of `dir` (and `extra` paths → bodies, HTML unless the extension says otherwise) on a free port of 127.0.0.1. */
export async function serveStatic(dir: string, extra: Record<string, string> = {}): Promise<StaticServer> {
  const requests: string[] = [];
  const bodies = new Map(Object.entries(extra));
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push(path);
    const body = bodies.get(path);
    if (body !== undefined) {
      res.writeHead(200, { 'Content-Type': TYPES[extname(path)] ?? TYPES['.html']! });
      res.end(body);
      return;
    }
    const file = normalize(join(dir, path === '/' ? 'index.html' : path));
    if (!file.startsWith(dir)) {
      res.writeHead(403).end();
      return;
    }
    readFile(file).then(
      (data) => res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(data),
      () => res.writeHead(404).end('not found'),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    put: (path, body) => void bodies.set(path, body),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Where Debian puts Firefox ESR (`apt-get install firefox-esr`, which `pnpm setup:test` runs). */
export const FIREFOX = '/usr/bin/firefox-esr';

/**
 * Launches headless Firefox ESR, driven over WebDriver BiDi by puppeteer-core. Throws a clear error when it is not
 * installed.
 */
export async function launchFirefox(): Promise<FirefoxBrowser> {
  if (!existsSync(FIREFOX)) {
    throw new Error(`${FIREFOX} is missing: the browser tests also run in Firefox ESR; install it with \`pnpm setup:test\` (apt-get install firefox-esr)`);
  }
  return puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX, headless: true, protocol: 'webDriverBiDi' });
}

/** What {@link bundleTestPage} bundles. */
export interface TestPageBundle {
  /** The package whose test page it is: esbuild works from there, so imports resolve as in that package. */
  packageDir: string;
  /** The page's entry, relative to `packageDir` (e.g. `test/page/app.ts`). */
  entry: string;
  /**
   * The engine file served beside the bundle as `avsb-engine.wasm`; the `avsb-evaluator.wasm` beside it (in
   * `@avsb/browser`'s or `@avsb/engine`'s `dist/`), which `@avsb/browser` fetches first, is served too.
   */
  wasm: string;
  /** The page's `index.html`; it loads `/app.js`. */
  html: string;
  /**
   * Extra export conditions, as a bundler's: none (the default) bundles what a production build gets (the `browser`
   * builds of the SDK's packages, with short message texts), `['development']` a development build (full texts).
   */
  conditions?: readonly string[];
}

/**
 * Bundles a test page with esbuild as an application would bundle it (ESM for browsers, with a source map) into a new
 * temporary directory holding `index.html`, `app.js`, `avsb-engine.wasm` and `avsb-evaluator.wasm`; returns the directory
 * (the caller removes it).
 */
export async function bundleTestPage({ packageDir, entry, wasm, html, conditions = [] }: TestPageBundle): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'avsb-test-page-'));
  await build({
    absWorkingDir: packageDir,
    entryPoints: [join(packageDir, entry)],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outfile: join(dir, 'app.js'),
    sourcemap: true,
    logLevel: 'silent',
    conditions: [...conditions],
  });
  copyFileSync(wasm, join(dir, 'avsb-engine.wasm'));
  const evaluator = join(dirname(wasm), 'avsb-evaluator.wasm');
  if (existsSync(evaluator)) copyFileSync(evaluator, join(dir, 'avsb-evaluator.wasm'));
  writeFileSync(join(dir, 'index.html'), html);
  return dir;
}

/** A page opened by {@link openTestPage}. */
export interface TestPage {
  readonly page: Page;
  /** The console's errors and the page's uncaught errors, in order. */
  readonly errors: string[];
}

/**
 * Opens `url` in a new browser context of `browser` (its own storage), collecting the page's errors, and waits until
 * the test page says it has loaded (`document.documentElement.dataset.loaded === 'true'`).
 */
export async function openTestPage(browser: Browser, url: string): Promise<TestPage> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  await page.goto(url);
  await page.waitForFunction(() => document.documentElement.dataset.loaded === 'true');
  return { page, errors };
}
