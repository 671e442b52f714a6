// Test support: the real A vs B server with a project of client-side flags (made through the admin API), Chromium, and
// the test app bundled for the browser and for Node with React 18 and 19, each page on its own static server.
import { createRequire } from 'node:module';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { type StaticServer, type TestPage, launchChromium, openTestPage, serveStatic } from '@avsb/test-support/browser';
import { type RealProject, WEB_PAGE_FLAGS, startRealProject } from '@avsb/test-support/real-project';
import { type ReactMajor, REACT_MAJORS, bundle } from './bundle';

type ServerEntry = typeof import('../page/server-entry');

/** The project's flags: three marked for client-side use, one not. */
export const FLAGS: readonly unknown[] = [
  { key: 'new-banner', on: false, clientSide: true, variations: [false, true], offVariation: 0, fallthrough: { variation: 1 } },
  ...WEB_PAGE_FLAGS,
];

export interface ReactSuite {
  readonly server: RealProject;
  /** Chromium (not launched when the suite is started with `{ chromium: false }`: a test that drives Firefox). */
  readonly browser: Browser;
  /** The static site of each React version. */
  site(major: ReactMajor): StaticServer;
  /** The server rendering of the test app with that React version. */
  ssr(major: ReactMajor): ServerEntry;
  /** A new page (own browser context) at `path` of that version's site, once its script has loaded. */
  newPage(major: ReactMajor, path?: string): Promise<TestPage>;
  close(): Promise<void>;
}

export type { TestPage };

const INDEX = '<!doctype html><meta charset="utf-8"><title>avsb react</title><link rel="icon" href="data:,"><div id="root"></div><script type="module" src="/app.js"></script>\n';

export async function startReactSuite(project: string, options: { chromium?: boolean } = {}): Promise<ReactSuite> {
  const dirs: string[] = [];
  const sites = new Map<ReactMajor, StaticServer>();
  const entries = new Map<ReactMajor, ServerEntry>();
  const [server, browser] = await Promise.all([startRealProject(project, FLAGS), options.chromium === false ? null : launchChromium()]);
  try {
    for (const major of REACT_MAJORS) {
      const dir = await bundle('browser-entry', major, 'browser', 'app.js');
      await bundle('server-entry', major, 'node', 'server-entry.cjs', dir);
      writeFileSync(join(dir, 'index.html'), INDEX);
      dirs.push(dir);
      sites.set(major, await serveStatic(dir));
      entries.set(major, createRequire(import.meta.url)(join(dir, 'server-entry.cjs')) as ServerEntry);
    }
  } catch (error) {
    await Promise.all([browser?.close(), server.close(), ...[...sites.values()].map((s) => s.close())]);
    throw error;
  }
  return {
    server,
    get browser(): Browser {
      if (browser === null) throw new Error('this suite was started without Chromium');
      return browser;
    },
    site: (major) => sites.get(major)!,
    ssr: (major) => entries.get(major)!,
    async newPage(major, path = '/') {
      if (browser === null) throw new Error('this suite was started without Chromium');
      return openTestPage(browser, `${sites.get(major)!.url}${path}`);
    },
    async close() {
      await browser?.close();
      await Promise.all([...sites.values()].map((s) => s.close()));
      await server.close();
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    },
  };
}
