// The example as a user runs it: `next build`, then `next start` on 127.0.0.1 against the real A vs B server with a
// project, flags and keys created through its admin API (through a proxy that records the datafile requests); pages,
// a route handler and the edge middleware (on the evaluator with compiled datafiles) over HTTP, and the first paint in
// Debian's Chromium.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startRealProject } from '@avsb/test-support/real-project';
import type { RealProject } from '@avsb/test-support/real-project';
import { waitFor } from '@avsb/test-support';
import { startDatafileProxy } from './support/datafile-proxy';
import type { DatafileProxy } from './support/datafile-proxy';
import { NEXT_APP_FLAGS } from './support/flags';
import { paintedFor } from './support/first-paint';
import { nextBuild, nextStart } from './support/next-process';
import type { NextServer } from './support/next-process';

const root = fileURLToPath(new URL('..', import.meta.url));

let project: RealProject;
let proxy: DatafileProxy;
let next: NextServer;

beforeAll(async () => {
  project = await startRealProject('next-shop', NEXT_APP_FLAGS);
  proxy = await startDatafileProxy(project.url, project);
  await nextBuild(root);
  // as the start script runs it: the app handles SIGTERM (instrumentation.ts)
  next = await nextStart(root, {
    AVSB_SDK_KEY: project.serverKey,
    AVSB_CLIENT_KEY: project.clientKey,
    AVSB_BASE_URL: proxy.url,
    NEXT_MANUAL_SIG_HANDLE: 'true',
  });
});

afterAll(async () => {
  await next?.stop();
  await proxy?.close();
  await project?.close();
});

async function get(path: string, cookie?: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${next.url}${path}`, { redirect: 'manual', headers: { ...headers, ...(cookie === undefined ? {} : { cookie }) } });
}

it('builds with the middleware on the edge runtime', () => {
  const manifest = JSON.parse(readFileSync(`${root}/.next/server/middleware-manifest.json`, 'utf8')) as { middleware: Record<string, unknown> };
  expect(Object.keys(manifest.middleware)).toEqual(['/']);
  expect(existsSync(`${root}/.next/BUILD_ID`)).toBe(true);
});

it('renders the variation of the user in the session cookie, in the server component and the client one', async () => {
  const u7 = await (await get('/', 'demo_user=u_7')).text();
  expect(u7).toContain('<code id="visitor">u_7</code>');
  expect(u7).toContain('<strong id="server-theme">dark</strong>');
  expect(u7).toContain('<strong id="client-theme">dark</strong>');
  expect(u7).toContain('<strong id="server-checkout">false</strong>');
  const u1 = await (await get('/', 'demo_user=u_1')).text();
  expect(u1).toContain('<strong id="server-theme">default</strong>');
  expect(u1).toContain('<strong id="client-theme">default</strong>');
  expect(u1).toContain('<strong id="server-checkout">true</strong>');
});

it('returns flag values from a route handler', async () => {
  expect(await (await get('/api/flags', 'demo_user=u_1')).json()).toEqual({ user: 'u_1', showNewCheckout: true, theme: 'default' });
  expect(await (await get('/api/flags', 'demo_user=u_9')).json()).toEqual({ user: 'u_9', showNewCheckout: false, theme: 'dark' });
});

it('serves pages and route handlers from one AvsbServer, whatever bundle they are in', async () => {
  await get('/', 'demo_user=u_1');
  await get('/api/flags', 'demo_user=u_1');
  // each client logs this once, on its first datafile: the Node runtime's AvsbServer and the middleware's AvsbEdge
  expect(next.output.match(/ready: serving datafile revision/g)).toHaveLength(2);
});

it('runs the middleware on the evaluator: it asks for the compiled datafile and gets it', async () => {
  await get('/checkout', 'demo_user=u_7');
  const compiled = proxy.datafiles.filter((d) => d.key === 'server' && d.status === 200 && d.accept.startsWith('application/vnd.avsb.compiled-datafile'));
  expect(compiled.length).toBeGreaterThan(0);
  expect(compiled.every((d) => d.type.startsWith('application/vnd.avsb.compiled-datafile'))).toBe(true);
  // the Node runtime's AvsbServer asks for JSON; no engine switch on the edge
  expect(next.output).not.toContain('loading avsb-engine.wasm');
});

it('redirects by flag in the middleware', async () => {
  const u1 = await get('/checkout', 'demo_user=u_1');
  expect(u1.status).toBe(307);
  expect(new URL(u1.headers.get('location')!, next.url).pathname).toBe('/checkout/v2');
  const u7 = await get('/checkout', 'demo_user=u_7');
  expect(u7.status).toBe(200);
  expect(await u7.text()).toContain('<h1 id="checkout">Checkout</h1>');
  expect(await (await get('/checkout/v2', 'demo_user=u_1')).text()).toContain('<h1 id="checkout">Checkout v2</h1>');
});

it('redirects on the host the browser asked (sign-in and the middleware): a Location on another host loses the cookies just set', async () => {
  // the README's step: open http://127.0.0.1:3000/login?user=u_7; the redirect went to http://localhost:…/, where the
  // browser sends neither demo_user nor avsb_uid (cookies are per host), so the page showed an anonymous visitor
  const login = await get('/login?user=u_7');
  expect(login.status).toBe(303);
  expect(login.headers.getSetCookie()).toContainEqual(expect.stringMatching(/^demo_user=u_7;/));
  expect(new URL(login.headers.get('location')!, next.url).href).toBe(`${next.url}/`);
  const checkout = await get('/checkout', 'demo_user=u_1');
  expect(new URL(checkout.headers.get('location')!, next.url).href).toBe(`${next.url}/checkout/v2`);
});

it('keeps an anonymous visitor in the cookie the middleware sets, which the page sees on the first visit', async () => {
  const first = await get('/');
  const setCookies = first.headers.getSetCookie();
  expect(setCookies).toEqual([expect.stringMatching(/^avsb_uid=[0-9a-f-]{36}; Path=\/; Max-Age=31536000; HttpOnly; SameSite=Lax$/)]);
  const id = /^avsb_uid=([^;]+)/.exec(setCookies[0]!)![1]!;
  const html = await first.text();
  expect(html).toContain('<code id="visitor">anonymous</code>');
  // the provider's context (in the RSC payload) is the visitor of the cookie, not another random id
  expect(html).toContain(id);
  const again = await get('/api/flags', `avsb_uid=${id}`);
  expect(again.headers.getSetCookie()).toEqual([]);
  expect(await again.json()).toEqual({ user: null, showNewCheckout: false, theme: 'default' });
});

it('sets the visitor cookie from a route handler the middleware does not run for', async () => {
  const first = await get('/api/flags');
  // through Next's cookie store, which adds Expires
  expect(first.headers.getSetCookie()).toEqual([expect.stringMatching(/^avsb_uid=[0-9a-f-]{36}; Path=\/; Expires=[^;]+; Max-Age=31536000; HttpOnly; SameSite=lax$/)]);
  const cookie = first.headers.getSetCookie()[0]!.split(';')[0]!;
  const again = await get('/api/flags', cookie);
  expect(again.headers.getSetCookie()).toEqual([]);
});

it('never sends the server key or private attributes to the browser', async () => {
  const html = await (await get('/', 'demo_user=u_1')).text();
  // what a client-side navigation fetches (Next adds its cache-busting _rsc parameter by a redirect)
  const rscReply = await fetch(`${next.url}/`, { headers: { cookie: 'demo_user=u_1', rsc: '1' } });
  expect(rscReply.headers.get('content-type')).toMatch(/^text\/x-component/);
  const rsc = await rscReply.text();
  for (const payload of [html, rsc]) {
    expect(payload).toContain(project.clientKey);
    expect(payload).not.toContain(project.serverKey);
    // `name` is private (lib/avsb.ts); the other attributes reach the browser's context
    expect(payload).not.toContain('Ada Lovelace');
    expect(payload).toContain('ada@example.com');
    // only client-side flags are handed over
    expect(payload).toContain('ui-theme');
    expect(payload).not.toContain('checkout-v2');
  }
  expect(next.output).not.toContain(project.serverKey);
});

it('tracks an event from a route handler, stored by the A vs B server', async () => {
  const reply = await fetch(`${next.url}/api/purchase`, {
    method: 'POST',
    headers: { cookie: 'demo_user=u_1', 'content-type': 'application/json' },
    body: JSON.stringify({ amount: 149.99 }),
  });
  expect(reply.status).toBe(202);
  // AvsbServer flushes every 5 s
  const purchase = await waitFor(
    async () => (await project.events()).find((e) => e.kind === 'custom' && e.key === 'purchase'),
    20_000,
    'the purchase event',
  );
  expect(purchase).toMatchObject({ value: 149.99 });
});

it('paints the server’s value first and keeps it once the browser client is live (no flicker)', async () => {
  const painted = await paintedFor(next.url, 'u_7');
  expect(painted.values).toEqual(['dark']);
  expect(painted.serverTheme).toBe('dark');
  expect(painted.errors).toEqual([]);
  // the browser client runs on the evaluator Next's bundler emitted, with the compiled client-side datafile
  expect(painted.wasm).toEqual([expect.stringMatching(/^\/_next\/static\/.*avsb-evaluator[^/]*\.wasm$/)]);
  const page = proxy.datafiles.filter((d) => d.key === 'client' && d.status === 200);
  expect(page.length).toBeGreaterThan(0);
  expect(page.every((d) => d.type.startsWith('application/vnd.avsb.compiled-datafile'))).toBe(true);
});

it('flushes the events on SIGTERM before the process exits (the last test: it stops the app)', async () => {
  const reply = await fetch(`${next.url}/api/purchase`, {
    method: 'POST',
    headers: { cookie: 'demo_user=u_7', 'content-type': 'application/json' },
    body: JSON.stringify({ amount: 42.5 }),
  });
  expect(reply.status).toBe(202);
  // well within the 5 s flush interval: only the shutdown can have sent it
  expect(await next.stop()).toBe(0);
  const events = await project.events();
  expect(events.filter((e) => e.kind === 'custom' && e.value === 42.5)).toEqual([expect.objectContaining({ key: 'purchase', contextKeys: { user: 'u_7' } })]);
});
