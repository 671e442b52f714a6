// The example built with `next build --webpack` (Next 16's other bundler), then served by `next start` against the
// real A vs B server: the middleware's engine (@avsb/next/engine) and the browser's .wasm asset under webpack.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startRealProject } from '@avsb/test-support/real-project';
import type { RealProject } from '@avsb/test-support/real-project';
import { paintedFor } from './support/first-paint';
import { nextBuild, nextStart } from './support/next-process';
import type { NextServer } from './support/next-process';
import { NEXT_APP_FLAGS } from './support/flags';

const root = fileURLToPath(new URL('..', import.meta.url));
let project: RealProject;
let next: NextServer;

beforeAll(async () => {
  project = await startRealProject('next-webpack', NEXT_APP_FLAGS);
  await nextBuild(root, ['--webpack']);
  next = await nextStart(root, { AVSB_SDK_KEY: project.serverKey, AVSB_CLIENT_KEY: project.clientKey, AVSB_BASE_URL: project.url });
});

afterAll(async () => {
  await next?.stop();
  await project?.close();
});

it('redirects by flag in the middleware and reads flags in pages and route handlers', async () => {
  const checkout = await fetch(`${next.url}/checkout`, { redirect: 'manual', headers: { cookie: 'demo_user=u_1' } });
  expect(checkout.status).toBe(307);
  expect(new URL(checkout.headers.get('location')!, next.url).pathname).toBe('/checkout/v2');
  const flags = await fetch(`${next.url}/api/flags`, { headers: { cookie: 'demo_user=u_9' } });
  expect(await flags.json()).toEqual({ user: 'u_9', showNewCheckout: false, theme: 'dark' });
  expect(await (await fetch(`${next.url}/`, { headers: { cookie: 'demo_user=u_7' } })).text()).toContain('<strong id="server-theme">dark</strong>');
});

it('loads the engine in the page and paints the server’s value first', async () => {
  const painted = await paintedFor(next.url, 'u_7');
  expect(painted.values).toEqual(['dark']);
  expect(painted.errors).toEqual([]);
});
