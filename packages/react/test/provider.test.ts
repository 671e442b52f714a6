// In Chromium, against the real A vs B server: the provider given createClient's options creates the client after
// its first render, follows a new context prop with identify, sends tracked events (also those tracked before the
// client existed) and closes the client on unmount; StrictMode's double mount works. React 18 and 19.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@avsb/test-support';
import { REACT_MAJORS } from './support/bundle';
import { type ReactSuite, startReactSuite } from './support/react-suite';

let suite: ReactSuite;

beforeAll(async () => {
  suite = await startReactSuite('react-provider');
}, 120_000);

afterAll(async () => {
  await suite?.close();
}, 30_000);

const text = (id: string) => `(document.getElementById(${JSON.stringify(id)})?.textContent ?? '')`;
const loaded = `${text('details')}.includes(', client)') && !${text('details')}.includes('ERROR')`;

describe.each(REACT_MAJORS)('React %i', (major) => {
  it('calls identify when the context prop changes, re-rendering only the components whose flag differs', async () => {
    const { page, errors } = await suite.newPage(major);
    const props = { clientKey: suite.server.clientKey, baseUrl: suite.server.url, context: { kind: 'user', key: 'u_3' } };
    await page.evaluate((p) => window.page.mount(p), props);
    await page.waitForFunction(loaded, undefined, { timeout: 15_000 });
    expect(await page.evaluate(text('theme'))).toBe('theme: default, columns: 3');
    // the same context in a new object changes nothing
    await page.evaluate((p) => window.page.mount({ ...p, context: { ...p.context } }), props);
    const before = await page.evaluate(() => ({ ...window.page.renders }));
    await page.evaluate((p) => window.page.mount({ ...p, context: { kind: 'user', key: 'u_3', email: 'u3@avsb.dev' } }), props);
    await page.waitForFunction(`${text('theme')} === 'theme: dark, columns: 3'`, undefined, { timeout: 15_000 });
    const after = await page.evaluate(() => ({ ...window.page.renders }));
    expect(after.banner).toBe(before.banner);
    expect(after.theme).toBe(before.theme + 1);
    expect(await page.evaluate(text('details'))).toMatch(/^dark \(RULE_MATCH, client\)$/);
    expect(errors).toEqual([]);
    await page.context().close();
  }, 45_000);

  it('creates no client in the browser from options without a client key: it says so once and serves the bootstrap values', async () => {
    const { page, errors } = await suite.newPage(major);
    // what a server render passes (no key there): in the browser the provider cannot create its client
    const props = { baseUrl: suite.server.url, context: { kind: 'user', key: 'u_nokey' }, bootstrap: { 'ui-theme': 'dark', 'new-banner': true } };
    await page.evaluate((p) => window.page.mount(p), props);
    await page.waitForFunction(`${text('details')} !== ''`, undefined, { timeout: 15_000 });
    await page.waitForTimeout(500); // a client, had one been created, would have loaded its datafile by now
    expect(await page.evaluate(text('details'))).toBe('dark (BOOTSTRAP, no client)');
    expect(await page.evaluate(text('banner'))).toBe('banner: on');
    expect(errors).toEqual([
      "@avsb/react: <AvsbProvider> has no clientKey, so it creates no client in the browser: pass the environment's client-side key " +
        '(cli-…, A vs B → Settings → Environments) as clientKey, or client={null} to render from bootstrap alone. Flag reads serve the bootstrap values and defaults.',
    ]);
    await page.context().close();
  }, 45_000);

  it('says what createClient refused and serves the bootstrap values, even when the refused option is the logger itself', async () => {
    const { page, errors } = await suite.newPage(major);
    const props = { clientKey: suite.server.clientKey, baseUrl: suite.server.url, context: { kind: 'user', key: 'u_badopts' }, bootstrap: { 'ui-theme': 'dark', 'new-banner': true } };
    // plain-JavaScript mistakes: a flag from a data attribute's text, console.log as the logger (no error method)
    await page.evaluate((p) => window.page.mount({ ...p, events: 'no' as never, logger: console.log as never }), props);
    await page.waitForFunction(`${text('details')} !== ''`, undefined, { timeout: 15_000 });
    expect(await page.evaluate(text('details'))).toBe('dark (BOOTSTRAP, no client)');
    // the test page is a production build: the options named in a code (its text in @avsb/browser's dist/MESSAGES.md)
    expect(errors).toEqual([expect.stringMatching(/^@avsb\/react: avsb B[0-9A-Z]{3}: events, logger$/)]);
    await page.context().close();
  }, 45_000);

  it('sends tracked events, those tracked before the client existed too, and closes the client on unmount, flushing them', async () => {
    const { page, errors } = await suite.newPage(major);
    const user = `tracker-${major}`;
    await page.evaluate(
      (p) => window.page.mount({ clientKey: p.clientKey, baseUrl: p.baseUrl, context: { kind: 'user', key: p.user }, flushIntervalMs: 600_000 }),
      { clientKey: suite.server.clientKey, baseUrl: suite.server.url, user },
    );
    await page.waitForFunction(loaded, undefined, { timeout: 15_000 });
    await page.click('#details');
    await page.evaluate(() => window.page.unmount());
    const stored = await waitFor(
      async () => {
        const mine = (await suite.server.events()).filter((e) => e.contextKeys?.user === user && e.kind === 'custom');
        return mine.length >= 2 ? mine : null;
      },
      15_000,
      'the custom events of the unmounted page in the server',
    );
    expect(stored.map((e) => e.key).sort()).toEqual(['clicked', 'details-mounted']);
    expect(errors).toEqual([]);
    await page.context().close();
  }, 45_000);

  it('serves the datafile’s values under StrictMode (whose double mount creates, closes and creates the client)', async () => {
    const { page, errors } = await suite.newPage(major);
    await page.evaluate(
      (p) => window.page.mount({ clientKey: p.clientKey, baseUrl: p.baseUrl, context: { kind: 'user', key: 'u_5', email: 'u5@avsb.dev' } }, { strict: true }),
      { clientKey: suite.server.clientKey, baseUrl: suite.server.url },
    );
    await page.waitForFunction(loaded, undefined, { timeout: 15_000 });
    expect(await page.evaluate(text('theme'))).toBe('theme: dark, columns: 3');
    await suite.server.patchFlag('new-banner', { on: true });
    await page.waitForFunction(`${text('banner')} === 'banner: on'`, undefined, { timeout: 15_000 });
    await suite.server.patchFlag('new-banner', { on: false });
    await page.waitForFunction(`${text('banner')} === 'banner: off'`, undefined, { timeout: 15_000 });
    expect(errors).toEqual([]);
    await page.context().close();
  }, 45_000);
});
