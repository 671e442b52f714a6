// The same scenarios in Firefox ESR (Debian's package, over WebDriver BiDi with puppeteer-core), React 18 and 19:
// a flag toggled through the admin API changes the rendered text without a reload and re-renders only its
// component; server HTML with bootstrap values hydrates without a mismatch, painting the server's values first.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonValue } from '@avsb/browser';
import { type FirefoxBrowser, launchFirefox } from '@avsb/test-support/browser';
import { type ReactMajor, REACT_MAJORS } from './support/bundle';
import { type ReactSuite, startReactSuite } from './support/react-suite';
import { serverPage, serverValuesFor } from './support/server-page';

type FirefoxPage = Awaited<ReturnType<FirefoxBrowser['newPage']>>;

let suite: ReactSuite;
let firefox: FirefoxBrowser;
let serverValues: Record<string, JsonValue>;
const visitor = { kind: 'user', key: 'u_6', email: 'grace@avsb.dev' }; // staff: ui-theme "dark"

beforeAll(async () => {
  [suite, firefox] = await Promise.all([startReactSuite('react-firefox', { chromium: false }), launchFirefox()]);
  serverValues = await serverValuesFor(suite, visitor);
}, 120_000);

afterAll(async () => {
  await firefox?.close();
  await suite?.close();
}, 30_000);

/** A page of its own browser context at `path` of that version's site, with the errors it reports. */
async function open(major: ReactMajor, path = '/'): Promise<{ page: FirefoxPage; errors: string[] }> {
  const context = await firefox.createBrowserContext();
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(`page error: ${(error as Error).message}`));
  await page.goto(`${suite.site(major).url}${path}`);
  await page.waitForFunction(() => document.documentElement.dataset.loaded === 'true');
  return { page, errors };
}

const text = (id: string) => `(document.getElementById(${JSON.stringify(id)})?.textContent ?? '')`;
const loaded = `/\\((?!BOOTSTRAP|ERROR)[A-Z_]+, client\\)/.test(${text('details')})`;

describe.each(REACT_MAJORS)('React %i', (major) => {
  it('changes the rendered text when the flag is toggled, without a reload, and re-renders only the component that reads it', async () => {
    const { page, errors } = await open(major);
    expect(await page.evaluate(() => window.page.version.split('.')[0])).toBe(String(major));
    await page.evaluate(
      (p) => window.page.mount({ clientKey: p.clientKey, baseUrl: p.baseUrl, context: { kind: 'user', key: 'u_1' } }),
      { clientKey: suite.server.clientKey, baseUrl: suite.server.url },
    );
    await page.waitForFunction(loaded, { timeout: 15_000 });
    expect(await page.evaluate(text('banner'))).toBe('banner: off');
    const before = await page.evaluate(() => ({ ...window.page.renders }));
    await suite.server.patchFlag('new-banner', { on: true });
    await page.waitForFunction(`${text('banner')} === 'banner: on'`, { timeout: 15_000 });
    const after = await page.evaluate(() => ({ ...window.page.renders }));
    expect(after).toEqual({ ...before, banner: before.banner + 1 });
    await suite.server.patchFlag('new-banner', { on: false });
    await page.waitForFunction(`${text('banner')} === 'banner: off'`, { timeout: 15_000 });
    expect(errors).toEqual([]);
    await page.browserContext().close();
  }, 45_000);

  it('hydrates the server’s HTML without a mismatch, painting the server’s values first, then the datafile’s where they differ', async () => {
    expect(serverValues).toEqual({ 'new-banner': false, 'ui-theme': 'dark', layout: { columns: 3 } });
    suite.site(major).put(`/ssr-${major}.html`, serverPage(suite, major, visitor, { ...serverValues, 'new-banner': true }));
    const { page, errors } = await open(major, `/ssr-${major}.html`);
    await page.evaluate(() => window.page.hydrate((window as any).__AVSB_PROPS__));
    await page.waitForFunction(loaded, { timeout: 15_000 });
    await page.waitForFunction(`${text('banner')} === 'banner: off'`, { timeout: 15_000 });
    const seen = await page.evaluate(() => ({ all: (window as any).painted, errors: window.page.recoverableErrors }));
    expect(seen).toEqual({
      all: [
        ['banner: on', 'theme: dark, columns: 3'],
        ['banner: off', 'theme: dark, columns: 3'],
      ],
      errors: [],
    });
    expect(errors).toEqual([]);
    await page.browserContext().close();
  }, 45_000);
});
