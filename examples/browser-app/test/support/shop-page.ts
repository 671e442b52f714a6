// Test support: the example's page opened in Chromium as a visitor would open it, with what it fetched.
import type { Browser, Page } from 'playwright-core';

/** A `.wasm` the page fetched: its path, HTTP status and Content-Type. */
export interface WasmFetch {
  path: string;
  status: number;
  type: string;
}

export interface ShopPage {
  readonly page: Page;
  /** The `.wasm` files fetched so far, in order. */
  readonly wasm: WasmFetch[];
  /** Console errors and uncaught errors, in order. */
  readonly errors: string[];
  /** The text of `#theme` (the `ui-theme` flag) now. */
  theme(): Promise<string>;
  /** `ready` or `error`: what `waitForReady` gave the page (`<html data-avsb>`). */
  readonly state: string;
}

/**
 * Opens `url` (the page; `?user=` names the visitor) in a fresh browser context (its own localStorage) and waits
 * until the page's `waitForReady` has answered.
 */
export async function openShopPage(browser: Browser, url: string): Promise<ShopPage> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const wasm: WasmFetch[] = [];
  const errors: string[] = [];
  page.on('response', (response) => {
    const { pathname } = new URL(response.url());
    if (pathname.endsWith('.wasm')) wasm.push({ path: pathname, status: response.status(), type: response.headers()['content-type'] ?? '' });
  });
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  await page.goto(url);
  await page.waitForFunction(() => document.documentElement.dataset.avsb !== undefined, undefined, { timeout: 15_000 });
  const state = await page.evaluate(() => document.documentElement.dataset.avsb!);
  return { page, wasm, errors, state, theme: () => page.locator('#theme').innerText() };
}
