// In Chromium, against the real A vs B server: a flag toggled through the admin API changes the rendered text
// without a reload, and a component reading another flag does not re-render. React 18 and 19.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REACT_MAJORS } from './support/bundle';
import { type ReactSuite, startReactSuite } from './support/react-suite';

let suite: ReactSuite;

beforeAll(async () => {
  suite = await startReactSuite('react-live');
}, 120_000);

afterAll(async () => {
  await suite?.close();
}, 30_000);

const text = (id: string) => `(document.getElementById(${JSON.stringify(id)})?.textContent ?? '')`;

describe.each(REACT_MAJORS)('React %i', (major) => {
  it('changes the rendered text when the flag is toggled, without a reload, and re-renders only the component that reads it', async () => {
    const { page, errors } = await suite.newPage(major);
    expect(await page.evaluate(() => window.page.version.split('.')[0])).toBe(String(major));
    await page.evaluate(({ baseUrl, clientKey }) => window.page.mount({ clientKey, baseUrl, context: { kind: 'user', key: 'u_1' } }), {
      baseUrl: suite.server.url,
      clientKey: suite.server.clientKey,
    });
    await page.waitForFunction(`${text('details')}.includes(', client)') && !${text('details')}.includes('ERROR')`, undefined, { timeout: 15_000 });
    expect(await page.evaluate(text('banner'))).toBe('banner: off');
    expect(await page.evaluate(text('theme'))).toBe('theme: default, columns: 3');
    const before = await page.evaluate(() => ({ ...window.page.renders }));

    await suite.server.patchFlag('new-banner', { on: true });
    await page.waitForFunction(`${text('banner')} === 'banner: on'`, undefined, { timeout: 15_000 });
    const after = await page.evaluate(() => ({ ...window.page.renders }));
    expect(after.banner - before.banner).toBe(1);
    expect(after.theme).toBe(before.theme);
    expect(after.details).toBe(before.details);

    // an edit that leaves every value alone re-renders nothing; toggling back re-renders the banner again
    await suite.server.patchFlag('ui-theme', { name: 'UI theme (renamed)' });
    await suite.server.patchFlag('new-banner', { on: false });
    await page.waitForFunction(`${text('banner')} === 'banner: off'`, undefined, { timeout: 15_000 });
    const last = await page.evaluate(() => ({ ...window.page.renders }));
    expect(last).toEqual({ banner: after.banner + 1, theme: before.theme, details: before.details });
    expect(errors).toEqual([]);
    await page.context().close();
  }, 45_000);

  it('re-renders the details hook when a datafile serves the same value for another reason, and no other component', async () => {
    const { page, errors } = await suite.newPage(major);
    await page.evaluate(({ baseUrl, clientKey }) => window.page.mount({ clientKey, baseUrl, context: { kind: 'user', key: 'u_3' } }), {
      baseUrl: suite.server.url,
      clientKey: suite.server.clientKey,
    });
    await page.waitForFunction(`${text('details')} === 'default (FALLTHROUGH, client)'`, undefined, { timeout: 15_000 });
    const before = await page.evaluate(() => ({ ...window.page.renders }));
    // turned off, ui-theme serves its off variation: "default" again, now for the reason OFF (the client's update event)
    await suite.server.patchFlag('ui-theme', { on: false });
    try {
      await page.waitForFunction(`${text('details')} === 'default (OFF, client)'`, undefined, { timeout: 15_000 });
    } finally {
      await suite.server.patchFlag('ui-theme', { on: true });
    }
    await page.waitForFunction(`${text('details')} === 'default (FALLTHROUGH, client)'`, undefined, { timeout: 15_000 });
    const after = await page.evaluate(() => ({ ...window.page.renders }));
    expect(after).toEqual({ banner: before.banner, theme: before.theme, details: before.details + 2 });
    expect(errors).toEqual([]);
    await page.context().close();
  }, 45_000);
});
