// Test support: one real A vs B server, the bundled test page on a static server and Chromium, shared by a test file.
import { rmSync } from 'node:fs';
import { type SandboxServer, startSandboxServer } from '@avsb/server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { type StaticServer, launchChromium, serveStatic } from '@avsb/test-support/browser';
import { type MessageTexts, bundlePage } from './page-bundle';

export interface BrowserSuite {
  readonly server: SandboxServer;
  readonly site: StaticServer;
  readonly browser: Browser;
  /** A new page (own context, so its own localStorage) with the test page loaded. */
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

/** Starts the suite; `entry` names the page under test/page/ (default `app`), `texts` its messages' (production's short ones by default). */
export async function startBrowserSuite(entry = 'app', texts: MessageTexts = 'short'): Promise<BrowserSuite> {
  const [server, dir, browser] = await Promise.all([startSandboxServer(), bundlePage(entry, texts), launchChromium()]);
  const site = await serveStatic(dir);
  return {
    server,
    site,
    browser,
    async newPage() {
      const context = await browser.newContext();
      const page = await context.newPage();
      page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
      await page.goto(site.url);
      await page.waitForFunction(() => document.documentElement.dataset.loaded === 'true');
      return page;
    },
    async close() {
      await browser.close();
      await site.close();
      await server.close().catch(() => {}); // a test may have stopped it already
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The suite of a test file: started before its tests (`entry` and `texts` as for {@link startBrowserSuite}) and closed after them.
 * The returned object reads the started suite when a test uses it.
 */
export function useBrowserSuite(entry = 'app', texts: MessageTexts = 'short'): BrowserSuite {
  let started: BrowserSuite | undefined;
  beforeAll(async () => {
    started = await startBrowserSuite(entry, texts);
  }, 60_000);
  afterAll(async () => {
    await started?.close();
  }, 30_000);
  const current = (): BrowserSuite => {
    if (started === undefined) throw new Error('the browser suite starts in beforeAll: use it inside a test');
    return started;
  };
  return {
    get server() {
      return current().server;
    },
    get site() {
      return current().site;
    },
    get browser() {
      return current().browser;
    },
    newPage: () => current().newPage(),
    close: () => current().close(),
  };
}
