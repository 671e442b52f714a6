// avsbMiddleware in Node with Next's own NextRequest/NextResponse, against the real A vs B server (the example app's
// tests run it on Next's edge runtime): the visitor cookie, the handler's redirect and events sent through waitUntil.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { NextRequest, NextResponse } from 'next/server';
import type { NextFetchEvent } from 'next/server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MemoryLogger, waitFor } from '@avsb/test-support';
import { startRealProject } from '@avsb/test-support/real-project';
import type { RealProject } from '@avsb/test-support/real-project';
import { avsbMiddleware } from './middleware';
import type { AvsbMiddlewareOptions } from './middleware';

const wasm = new WebAssembly.Module(readFileSync(createRequire(import.meta.url).resolve('@avsb/engine/avsb-engine.wasm')));

let project: RealProject;
beforeAll(async () => {
  project = await startRealProject('next-middleware');
});
afterAll(async () => {
  await project?.close();
});

function event(): NextFetchEvent & { promises: Promise<unknown>[] } {
  const promises: Promise<unknown>[] = [];
  return { promises, waitUntil: (p: Promise<unknown>) => void promises.push(p) } as unknown as NextFetchEvent & { promises: Promise<unknown>[] };
}

function middleware(options: Partial<AvsbMiddlewareOptions> = {}) {
  return avsbMiddleware({ sdkKey: project.serverKey, baseUrl: project.url, wasm, logger: new MemoryLogger(), ...options });
}

const request = (path: string, cookie?: string) =>
  new NextRequest(`http://shop.test${path}`, { headers: cookie === undefined ? {} : { cookie } });

it('gives a new visitor the avsb_uid cookie and passes it on to the page’s request', async () => {
  const run = middleware();
  const response = await run(request('/', 'theme=dark'), event());
  const [setCookie, ...more] = response.headers.getSetCookie();
  expect(more).toEqual([]);
  expect(setCookie).toMatch(/^avsb_uid=[0-9a-f-]{36}; Path=\/; Max-Age=31536000; HttpOnly; SameSite=Lax$/);
  const id = /^avsb_uid=([^;]+)/.exec(setCookie!)![1];
  // NextResponse.next({ request: { headers } }): Next applies these headers to the request the page sees
  expect(response.headers.get('x-middleware-next')).toBe('1');
  expect(response.headers.get('x-middleware-request-cookie')).toBe(`theme=dark; avsb_uid=${id}`);
  // a returning visitor keeps the id and gets no new cookie
  const again = await run(request('/', `avsb_uid=${id}`), event());
  expect(again.headers.getSetCookie()).toEqual([]);
  expect(again.headers.get('x-middleware-request-cookie')).toBe(`avsb_uid=${id}`);
});

it('redirects by flag for the context from contextFrom, and sends the events after the response', async () => {
  const seen: string[] = [];
  const run = middleware({
    contextFrom: ({ cookies }) => {
      const user = cookies.get('user')?.value;
      return user === undefined ? null : { kind: 'user', key: user };
    },
    handler: ({ request: req, flags }) => {
      flags.track('checkout-visit');
      seen.push(String(flags.context.key));
      if (flags.getBoolFlag('checkout-v2', false)) return NextResponse.redirect(new URL('/checkout/v2', req.url));
      return undefined;
    },
  });
  const e = event();
  const targeted = await run(request('/checkout', 'user=u_1'), e);
  expect(targeted.status).toBe(307);
  expect(targeted.headers.get('location')).toBe('http://shop.test/checkout/v2');
  expect(targeted.headers.getSetCookie()).toEqual([]);
  // an anonymous visitor: the redirect (or not) carries the new cookie
  const anonymous = await run(request('/checkout'), event());
  expect(anonymous.headers.getSetCookie()).toHaveLength(1);
  expect(seen[0]).toBe('u_1');
  await Promise.all(e.promises);
  const stored = await waitFor(async () => (await project.events()).find((x) => x.kind === 'custom' && x.key === 'checkout-visit'), 10_000, 'the tracked event');
  expect(stored.contextKeys).toEqual({ user: 'u_1' });
});

it('sets no cookie with cookie: false, and lets the request through when the handler returns nothing', async () => {
  const run = middleware({ cookie: false, handler: () => undefined });
  const response = await run(request('/'), event());
  expect(response.headers.getSetCookie()).toEqual([]);
  expect(response.headers.get('x-middleware-next')).toBe('1');
});

it('refuses a client key at start-up without printing it', () => {
  expect(() => middleware({ sdkKey: project.clientKey })).toThrow(TypeError);
  try {
    middleware({ sdkKey: project.clientKey });
  } catch (error) {
    expect(String(error)).not.toContain(project.clientKey);
  }
});
