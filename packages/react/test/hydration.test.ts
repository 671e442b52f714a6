// In Chromium, against the real A vs B server: HTML rendered on the server from bootstrap values (allFlags of
// @avsb/node with clientSideOnly) hydrates without a mismatch, and the first painted value is the server's: no
// flicker. React 18 and 19.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonValue } from '@avsb/browser';
import type { Route } from 'playwright-core';
import { type ReactMajor, REACT_MAJORS } from './support/bundle';
import { type ReactSuite, type TestPage, startReactSuite } from './support/react-suite';
import { serverPage, serverValuesFor } from './support/server-page';

let suite: ReactSuite;
let serverValues: Record<string, JsonValue>;
const visitor = { kind: 'user', key: 'u_2', email: 'ada@avsb.dev' }; // staff: ui-theme "dark"

beforeAll(async () => {
  suite = await startReactSuite('react-ssr');
  serverValues = await serverValuesFor(suite, visitor);
}, 120_000);

afterAll(async () => {
  await suite?.close();
}, 30_000);

async function hydrated(major: ReactMajor, path: string, bootstrap: Record<string, JsonValue>): Promise<TestPage> {
  suite.site(major).put(path, serverPage(suite, major, visitor, bootstrap));
  const tab = await suite.newPage(major, path);
  await tab.page.evaluate(() => window.page.hydrate((window as any).__AVSB_PROPS__));
  // the client has loaded the datafile: the details button reads from it
  await tab.page.waitForFunction(() => /\((?!BOOTSTRAP|ERROR)[A-Z_]+, client\)/.test(document.getElementById('details')?.textContent ?? ''), undefined, {
    timeout: 15_000,
  });
  return tab;
}

const painted = (tab: TestPage) => tab.page.evaluate(() => ({ first: (window as any).firstPaint, all: (window as any).painted, errors: window.page.recoverableErrors }));

describe.each(REACT_MAJORS)('React %i', (major) => {
  it('hydrates the server’s HTML without a mismatch, and paints the server’s values first and only', async () => {
    expect(serverValues).toEqual({ 'new-banner': false, 'ui-theme': 'dark', layout: { columns: 3 } }); // pricing-v3 is not client-side
    const tab = await hydrated(major, `/ssr-${major}.html`, serverValues);
    const seen = await painted(tab);
    expect(seen.first).toEqual(['banner: off', 'theme: dark, columns: 3']);
    expect(seen.all).toEqual([['banner: off', 'theme: dark, columns: 3']]); // the datafile agreed: nothing changed
    expect(seen.errors).toEqual([]);
    expect(tab.errors).toEqual([]);
    await tab.page.context().close();
  }, 45_000);

  it('hydrates stale bootstrap values without a mismatch, then shows the datafile’s value', async () => {
    const tab = await hydrated(major, `/ssr-stale-${major}.html`, { ...serverValues, 'new-banner': true });
    await tab.page.waitForFunction(() => document.getElementById('banner')?.textContent === 'banner: off', undefined, { timeout: 15_000 });
    const seen = await painted(tab);
    expect(seen.first).toEqual(['banner: on', 'theme: dark, columns: 3']);
    expect(seen.all).toEqual([
      ['banner: on', 'theme: dark, columns: 3'],
      ['banner: off', 'theme: dark, columns: 3'],
    ]);
    expect(seen.errors).toEqual([]);
    expect(tab.errors).toEqual([]);
    await tab.page.context().close();
  }, 45_000);

  it('hydrates without a mismatch with client={client} already evaluating from its datafile, when given the bootstrap values', async () => {
    suite.site(major).put(`/ssr-ready-${major}.html`, serverPage(suite, major, visitor, { ...serverValues, 'new-banner': true }));
    const tab = await suite.newPage(major, `/ssr-ready-${major}.html`);
    const ready = await tab.page.evaluate(async () => {
      const { clientKey, baseUrl, context, bootstrap } = (window as any).__AVSB_PROPS__;
      const client = window.page.createClient({ clientKey, baseUrl, context, bootstrap });
      const result = await client.waitForReady({ timeoutMs: 10_000 });
      window.page.hydrate({ client, bootstrap });
      return { ready: result.ready, banner: client.getBoolFlag('new-banner', true) };
    });
    expect(ready).toEqual({ ready: true, banner: false }); // the client already disagrees with the server's HTML
    await tab.page.waitForFunction(() => document.getElementById('banner')?.textContent === 'banner: off', undefined, { timeout: 15_000 });
    const seen = await painted(tab);
    expect(seen.all).toEqual([
      ['banner: on', 'theme: dark, columns: 3'],
      ['banner: off', 'theme: dark, columns: 3'],
    ]);
    expect(seen.errors).toEqual([]);
    expect(tab.errors).toEqual([]);
    await tab.page.context().close();
  }, 45_000);

  it('hydrates without a mismatch with client={client} created with bootstrap and no bootstrap prop, while the client loads', async () => {
    suite.site(major).put(`/ssr-client-${major}.html`, serverPage(suite, major, visitor, { ...serverValues, 'new-banner': true }));
    const tab = await suite.newPage(major, `/ssr-client-${major}.html`);
    // the datafile is held until hydration has rendered: the client is surely still loading then
    const held: Route[] = [];
    let released = false;
    await tab.page.route(`${suite.server.url}/**`, (route) => (released ? route.continue() : void held.push(route)));
    await tab.page.evaluate(async () => {
      const { clientKey, baseUrl, context, bootstrap } = (window as any).__AVSB_PROPS__;
      const client = window.page.createClient({ clientKey, baseUrl, context, bootstrap });
      window.page.hydrate({ client }); // the provider hydrates from what the loading client serves: its bootstrap values
      while (!/, client\)$/.test(document.getElementById('details')?.textContent ?? '')) await new Promise((resolve) => setTimeout(resolve, 10));
    });
    released = true;
    for (const route of held.splice(0)) void route.continue();
    await tab.page.waitForFunction(() => document.getElementById('banner')?.textContent === 'banner: off', undefined, { timeout: 15_000 });
    const seen = await painted(tab);
    expect(seen.all).toEqual([
      ['banner: on', 'theme: dark, columns: 3'],
      ['banner: off', 'theme: dark, columns: 3'],
    ]);
    expect(seen.errors).toEqual([]);
    expect(tab.errors).toEqual([]);
    await tab.page.context().close();
  }, 45_000);

  it('is seen to catch a mismatch: hydrating with other values than the server rendered is reported by React', async () => {
    suite.site(major).put(`/ssr-other-${major}.html`, serverPage(suite, major, visitor, serverValues));
    const tab = await suite.newPage(major, `/ssr-other-${major}.html`);
    await tab.page.evaluate(() => {
      const props = (window as any).__AVSB_PROPS__;
      window.page.hydrate({ ...props, bootstrap: { ...props.bootstrap, 'ui-theme': 'default' } });
    });
    await tab.page.waitForFunction(() => window.page.recoverableErrors.length > 0, undefined, { timeout: 15_000 });
    await tab.page.context().close();
  }, 45_000);
});
