// Test support: what a signed-in visitor's browser paints, in Debian's Chromium (playwright-core).
import { launchChromium } from '@avsb/test-support/browser';

/** What `#client-theme` showed, in order, until the browser client was live; and what went wrong meanwhile. */
export interface Painted {
  /** Each value `#client-theme` showed, from the first one parsed. */
  readonly values: string[];
  readonly serverTheme: string | null;
  /** Console errors, page errors and failed responses (the example has no favicon, which is left out). */
  readonly errors: string[];
  /** The paths of the `.wasm` files the page fetched, in order (the engine the browser client runs on). */
  readonly wasm: string[];
}

/** Opens `url` as the demo user `user` and waits until `#client-status` says the client is live. */
export async function paintedFor(url: string, user: string): Promise<Painted> {
  const browser = await launchChromium();
  try {
    const context = await browser.newContext();
    await context.addCookies([{ name: 'demo_user', value: user, url }]);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(String(error)));
    const wasm: string[] = [];
    page.on('response', (response) => {
      const path = new URL(response.url()).pathname;
      if (path.endsWith('.wasm')) wasm.push(path);
      if (response.status() >= 400 && !response.url().endsWith('/favicon.ico')) errors.push(`${response.status()} ${response.url()}`);
    });
    await page.addInitScript(() => {
      const w = window as unknown as { painted: string[] };
      w.painted = [];
      const record = (): void => {
        const text = document.getElementById('client-theme')?.textContent;
        if (text != null && w.painted[w.painted.length - 1] !== text) w.painted.push(text);
      };
      new MutationObserver(record).observe(document, { childList: true, subtree: true, characterData: true });
    });
    await page.goto(`${url}/`);
    await page.waitForFunction(() => document.getElementById('client-status')?.textContent === 'live', undefined, { timeout: 20_000 });
    return {
      values: await page.evaluate(() => (window as unknown as { painted: string[] }).painted),
      serverTheme: await page.textContent('#server-theme'),
      errors,
      wasm,
    };
  } finally {
    await browser.close();
  }
}
