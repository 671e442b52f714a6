// The edge claim, checked the way an edge bundler sees it: the middleware and
// everything it imports (@avsb/node/adapter → @avsb/core → the engine,
// @avsb/common) bundle for a browser-like platform with no Node built-ins, and
// the bundle serves a request through Web-standard Request/Response only.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const entry = fileURLToPath(new URL('./index.ts', import.meta.url));

it('bundles for a Web-standard runtime without any Node built-in', async () => {
  const result = await build({
    stdin: {
      contents: `export { avsbMiddleware } from ${JSON.stringify(entry)};`,
      resolveDir: fileURLToPath(new URL('.', import.meta.url)),
      loader: 'ts',
    },
    bundle: true,
    write: false,
    format: 'esm',
    // what Cloudflare Workers, Vercel Edge and Deno Deploy bundlers resolve with: no node: modules
    platform: 'browser',
    conditions: ['workerd', 'worker', 'browser'],
    external: ['hono', 'hono/*'],
    logLevel: 'silent',
  });
  expect(result.errors).toEqual([]);
  const code = result.outputFiles[0]!.text;
  expect(code).not.toMatch(/from\s*["']node:|require\(["']node:/);
  expect(code).toContain('avsbMiddleware');
});
