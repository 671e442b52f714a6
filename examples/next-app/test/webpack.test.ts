// The example built with `next build --webpack` (Next 16's other bundler), then served by `next start` against the
// real A vs B server behind a proxy that plays a service predating compiled datafiles (JSON answers only): the
// middleware's engines (@avsb/next/evaluator, switching to @avsb/next/engine) and the browser's .wasm assets
// (the evaluator, then the full engine) under webpack.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startRealProject } from '@avsb/test-support/real-project';
import type { RealProject } from '@avsb/test-support/real-project';
import { paintedFor } from './support/first-paint';
import { nextBuild, nextStart } from './support/next-process';
import type { NextServer } from './support/next-process';
import { NEXT_APP_FLAGS } from './support/flags';
import { startDatafileProxy } from './support/datafile-proxy';
import type { DatafileProxy } from './support/datafile-proxy';

const root = fileURLToPath(new URL('..', import.meta.url));
let project: RealProject;
let proxy: DatafileProxy;
let next: NextServer;

beforeAll(async () => {
  project = await startRealProject('next-webpack', NEXT_APP_FLAGS);
  proxy = await startDatafileProxy(project.url, project, true);
  await nextBuild(root, ['--webpack']);
  next = await nextStart(root, { AVSB_SDK_KEY: project.serverKey, AVSB_CLIENT_KEY: project.clientKey, AVSB_BASE_URL: proxy.url });
});

afterAll(async () => {
  await next?.stop();
  await proxy?.close();
  await project?.close();
});

it('switches the middleware to the full engine on a JSON datafile, once, and redirects by flag as before', async () => {
  const checkout = await fetch(`${next.url}/checkout`, { redirect: 'manual', headers: { cookie: 'demo_user=u_1' } });
  expect(checkout.status).toBe(307);
  expect(new URL(checkout.headers.get('location')!, next.url).pathname).toBe('/checkout/v2');
  const u7 = await fetch(`${next.url}/checkout`, { redirect: 'manual', headers: { cookie: 'demo_user=u_7' } });
  expect(u7.status).toBe(200);
  // the middleware asked for the compiled datafile, got JSON, and loaded @avsb/next/engine (once: one isolate)
  const edge = proxy.datafiles.filter((d) => d.key === 'server' && d.accept.startsWith('application/vnd.avsb.compiled-datafile'));
  expect(edge.map((d) => [d.status, d.type])).toEqual([[200, expect.stringMatching(/^application\/json/)]]);
  expect(next.output.match(/answered a JSON datafile \(it predates compiled datafiles\): loading avsb-engine\.wasm/g)).toHaveLength(1);
});

it('reads flags in pages and route handlers', async () => {
  const flags = await fetch(`${next.url}/api/flags`, { headers: { cookie: 'demo_user=u_9' } });
  expect(await flags.json()).toEqual({ user: 'u_9', showNewCheckout: false, theme: 'dark' });
  expect(await (await fetch(`${next.url}/`, { headers: { cookie: 'demo_user=u_7' } })).text()).toContain('<strong id="server-theme">dark</strong>');
});

it('loads the evaluator in the page, then the full engine for the JSON datafile, and paints the server’s value first', async () => {
  const painted = await paintedFor(next.url, 'u_7');
  expect(painted.values).toEqual(['dark']);
  expect(painted.errors).toEqual([]);
  expect(painted.wasm).toEqual([expect.stringMatching(/avsb-evaluator[^/]*\.wasm$/), expect.stringMatching(/avsb-engine[^/]*\.wasm$/)]);
});
