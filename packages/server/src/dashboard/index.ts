/**
 * The dashboard's files, as the server serves them: the single-page app of
 * `ui/` (TypeScript and CSS), bundled at build time by
 * `build/bundle-dashboard.ts` into `dist/dashboard/` beside the server's
 * code. The server reads the folder once when it starts and answers from
 * memory; nothing is bundled at run time.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface DashboardAsset {
  /** The Content-Type header, with its charset. */
  contentType: string;
  body: Buffer;
  /** A strong ETag from the content. */
  etag: string;
  /** True for content-hashed names (`app-<hash>.js`): cacheable for good. */
  immutable: boolean;
}

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

const HASHED = /-[A-Z0-9]{8,}\.(js|css)(\.map)?$/;

/**
 * Where the bundle is: `dashboard/` beside the built server (`dist/index.js`),
 * or `dist/dashboard/` of the package when this module runs from source
 * (tests; their globalSetup bundles it first).
 */
export function dashboardDir(): string | null {
  for (const relative of ['./dashboard/', '../../dist/dashboard/']) {
    const dir = fileURLToPath(new URL(relative, import.meta.url));
    if (existsSync(join(dir, 'index.html'))) return dir;
  }
  return null;
}

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>A vs B</title></head>
<body><p>The dashboard is not built. Run <code>pnpm --filter @avsb/server build</code> and restart the server.</p></body></html>
`;

function asset(contentType: string, body: Buffer, immutable: boolean): DashboardAsset {
  const etag = '"' + createHash('sha256').update(body).digest('base64url').slice(0, 22) + '"';
  return { contentType, body, etag, immutable };
}

/**
 * Request path → asset: `/` and `/index.html` are the page shell, the other
 * paths are the files' names (`/app-<hash>.js`, …). Without a built bundle,
 * `/` answers a page that says how to build it.
 */
export function dashboardAssets(dir: string | null = dashboardDir()): Map<string, DashboardAsset> {
  const assets = new Map<string, DashboardAsset>();
  if (dir === null) {
    const page = asset(TYPES['.html']!, Buffer.from(NOT_BUILT), false);
    assets.set('/', page);
    assets.set('/index.html', page);
    return assets;
  }
  for (const name of readdirSync(dir)) {
    const contentType = TYPES[extname(name)];
    if (!contentType) continue;
    assets.set('/' + name, asset(contentType, readFileSync(join(dir, name)), HASHED.test(name)));
  }
  const shell = assets.get('/index.html');
  if (shell) assets.set('/', shell);
  return assets;
}
