// Test support: the test page bundled from source (test/page/*.ts) with esbuild, as an application would bundle
// @avsb/browser (its built dist, resolved through the workspace), with avsb-engine.wasm copied beside the bundle.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleTestPage } from '@avsb/test-support/browser';

const here = dirname(fileURLToPath(import.meta.url));
export const PACKAGE_DIR = join(here, '..', '..');

const INDEX = '<!doctype html><meta charset="utf-8"><title>avsb</title><div id="out"></div><script type="module" src="/app.js"></script>\n';

/**
 * The message texts a page is bundled with: `short`, a production build's (the packages' `browser` builds: a code and
 * the values, `avsb B1Q9`; dist/MESSAGES.md has the full texts), or `full`, a development build's (the `development`
 * condition): a test that asserts what a message says bundles `full`.
 */
export type MessageTexts = 'short' | 'full';

/** Bundles `test/page/<entry>.ts` into a new directory with index.html, app.js, avsb-evaluator.wasm and avsb-engine.wasm; returns the directory. */
export function bundlePage(entry = 'app', texts: MessageTexts = 'short'): Promise<string> {
  // bundleTestPage serves dist/avsb-evaluator.wasm, beside the given file, too
  return bundleTestPage({
    packageDir: PACKAGE_DIR,
    entry: `test/page/${entry}.ts`,
    wasm: join(PACKAGE_DIR, 'dist', 'avsb-engine.wasm'),
    html: INDEX,
    conditions: texts === 'full' ? ['development'] : [],
  });
}
