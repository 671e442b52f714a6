// Test support: the real A vs B server with a project of client-side flags (made through the admin API), Chromium, and
// the test page (test/page/web-app.ts: @openfeature/web-sdk and the web provider) bundled by esbuild as an
// application bundles them, with avsb-engine.wasm beside it where @avsb/browser fetches it from.
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { type StaticServer, bundleTestPage, launchChromium, openTestPage, serveStatic } from '@avsb/test-support/browser';
import { type RealProject, WEB_PAGE_FLAGS, startRealProject } from '@avsb/test-support/real-project';

const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The project's flags: three marked for client-side use, one not (a client key does not see it). */
export const WEB_FLAGS: readonly unknown[] = [
  { key: 'new-banner', on: true, clientSide: true, variations: [false, true], offVariation: 0, targets: [{ values: ['u_1'], variation: 1 }], fallthrough: { variation: 0 } },
  ...WEB_PAGE_FLAGS,
];

export interface WebSuite {
  readonly server: RealProject;
  /** A new page (own browser context and storage) with the test page loaded, and its errors. */
  newPage(): Promise<{ page: Page; errors: string[] }>;
  close(): Promise<void>;
}

const INDEX = '<!doctype html><meta charset="utf-8"><title>avsb openfeature web</title><link rel="icon" href="data:,"><script type="module" src="/app.js"></script>\n';

export async function startWebSuite(project: string): Promise<WebSuite> {
  let dir: string | null = null;
  let browser: Browser | null = null;
  let server: RealProject | null = null;
  let site: StaticServer | null = null;
  try {
    dir = await bundleTestPage({
      packageDir: PACKAGE_DIR,
      entry: 'test/page/web-app.ts',
      wasm: join(PACKAGE_DIR, 'node_modules', '@avsb', 'browser', 'dist', 'avsb-engine.wasm'),
      html: INDEX,
    });
    [server, browser, site] = await Promise.all([startRealProject(project, WEB_FLAGS), launchChromium(), serveStatic(dir)]);
  } catch (error) {
    await Promise.all([browser?.close(), server?.close(), site?.close()]);
    if (dir !== null) rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const [b, s, st, d] = [browser, server, site, dir];
  return {
    server: s,
    newPage: () => openTestPage(b, st.url),
    async close() {
      await b.close();
      await Promise.all([st.close(), s.close()]);
      rmSync(d, { recursive: true, force: true });
    },
  };
}
