// The real-server scenario every server example app passes: the built app (`node dist/main.js`,
// as its README runs it) against the real A vs B server, with a project, its flags and its key
// created through the admin API. One copy, so a change to the example contract is made once.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp, startAppProcess } from './app-process';
import { call, cookiePair } from './http';
import type { RealProject } from './real-project';
import { startRealProject } from './real-project';
import { waitFor } from './wait';

/** What differs between the example apps in {@link describeExampleAgainstRealServer}. */
export interface ExampleAppScenario {
  /** The example's directory (the one holding its `package.json` and `tsconfig.json`). */
  root: string;
  /** The project created on the server for this app; unique per app so runs do not share events. */
  project: string;
  /** How the process ends on SIGTERM: exit code 0 (default), or the signal when the framework re-raises it (Nest). */
  sigtermExit?: number | string;
}

/**
 * Registers the real-server tests of an example app: it serves the project's variations, never
 * prints the SDK key, flushes its queued events on SIGTERM, and refuses to start without a key.
 */
export function describeExampleAgainstRealServer({ root, project, sigtermExit = 0 }: ExampleAppScenario): void {
  let real: RealProject;

  beforeAll(async () => {
    [real] = await Promise.all([startRealProject(project), buildApp(root)]);
  });

  afterAll(async () => {
    await real?.close();
  });

  it('serves the project’s variations, never prints the key, and flushes its events on SIGTERM', async () => {
    const app = await startAppProcess('dist/main.js', { cwd: root, env: { AVSB_SDK_KEY: real.serverKey, AVSB_BASE_URL: real.url, PORT: '0' } });
    try {
      const login = await call(`${app.url}/login`, { method: 'POST', body: { userId: 'u_1' } });
      expect(login.body).toEqual({ userId: 'u_1', showNewCheckout: true });
      const staff = cookiePair((await call(`${app.url}/login`, { method: 'POST', body: { userId: 'u_9' } })).setCookies, 'demo_session')!;
      expect((await call(`${app.url}/checkout`, { headers: { cookie: staff } })).body.theme).toBe('dark');
      const pro = cookiePair((await call(`${app.url}/login`, { method: 'POST', body: { userId: 'u_2' } })).setCookies, 'demo_session')!;
      expect((await call(`${app.url}/purchase`, { method: 'POST', body: { amount: 42.5 }, headers: { cookie: pro } })).status).toBe(202);
      expect(await app.stop('SIGTERM')).toBe(sigtermExit);
    } finally {
      await app.stop('SIGKILL');
    }
    expect(app.output).toContain('SIGTERM: shutting down');
    expect(app.output).not.toContain(real.serverKey);
    // the purchase was still queued when SIGTERM came: closing the app delivered it
    const events = await waitFor(async () => {
      const stored = await real.events();
      return stored.some((e) => e.kind === 'custom') ? stored : null;
    }, 10_000, 'the purchase on the server');
    expect(events.filter((e) => e.kind === 'custom')).toEqual([
      expect.objectContaining({ key: 'purchase', value: 42.5, properties: { currency: 'usd' }, contextKeys: { user: 'u_2' } }),
    ]);
    // and the per-flag read counts of the requests
    const summarised = new Set(events.filter((e) => e.kind === 'summary').flatMap((e: { flags: object }) => Object.keys(e.flags)));
    expect(summarised).toEqual(new Set(['checkout-v2', 'ui-theme']));
  });

  it('refuses to start without AVSB_SDK_KEY and says where to find it', async () => {
    await expect(startAppProcess('dist/main.js', { cwd: root, env: { AVSB_SDK_KEY: '' } })).rejects.toThrow(/exited \(1\)[\s\S]*Set AVSB_SDK_KEY to the server SDK key/);
  });
}
