// avsbMiddleware in Node with Next's own NextRequest/NextResponse, against the real A vs B server (the example app's
// tests run it on Next's edge runtime): the visitor cookie, the handler's redirect and events sent through waitUntil,
// on the evaluator with compiled datafiles, and on the full engine for a service that answers JSON.
import { readFileSync } from 'node:fs';
import { NextRequest, NextResponse } from 'next/server';
import type { NextFetchEvent } from 'next/server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FetchLike, ResponseLike } from '@avsb/core';
import { COMPILED_MEDIA_TYPE } from '@avsb/engine';
import { MemoryLogger, waitFor } from '@avsb/test-support';
import { startRealProject } from '@avsb/test-support/real-project';
import type { RealProject } from '@avsb/test-support/real-project';
import { avsbMiddleware } from './middleware';
import type { AvsbMiddlewareOptions } from './middleware';

// the files @avsb/next/evaluator and @avsb/next/engine ship (dist/, after the package's build)
const shipped = (file: string) => new WebAssembly.Module(readFileSync(new URL(`../dist/${file}`, import.meta.url)));
const evaluator = shipped('avsb-evaluator.wasm');
const fullEngine = shipped('avsb-engine.wasm');

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

/** The middleware as the README sets it up: the evaluator, and the full engine for a service that answers JSON. */
function middleware(options: Partial<AvsbMiddlewareOptions> = {}) {
  return avsbMiddleware({ sdkKey: project.serverKey, baseUrl: project.url, wasm: evaluator, fullEngine, logger: new MemoryLogger(), ...options });
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

/** A fetch to the real server recording each datafile request's Accept and answer's Content-Type; `jsonOnly` plays a service that predates compiled datafiles (it answers JSON whatever is asked). */
function service(jsonOnly: boolean): { fetch: FetchLike; seen: { accept: string; type: string | null }[] } {
  const seen: { accept: string; type: string | null }[] = [];
  const fetch: FetchLike = async (url, init) => {
    if (!url.endsWith('/sdk/v1/datafile')) return globalThis.fetch(url, init as RequestInit) as Promise<ResponseLike>;
    const headers = jsonOnly ? { ...init.headers, Accept: 'application/json' } : init.headers;
    const response = await globalThis.fetch(url, { ...(init as RequestInit), headers });
    seen.push({ accept: init.headers?.Accept ?? '', type: response.headers.get('content-type') });
    return response as ResponseLike;
  };
  return { fetch, seen };
}

const USERS = ['u_1', 'u_2', 'u_7', 'u_42', 'u_pro'];

/** What each of USERS reads in the handler (the checkout-v2 experiment's bucket, reasons, all flags) and where it is sent. */
async function variations(options: Partial<AvsbMiddlewareOptions>): Promise<unknown[]> {
  const reads: unknown[] = [];
  const run = middleware({
    events: false,
    contextFrom: ({ cookies }) => ({ kind: 'user', key: cookies.get('user')!.value, plan: cookies.get('user')!.value === 'u_pro' ? 'pro' : 'free' }),
    handler: ({ request: req, flags }) => {
      reads.push([flags.getBoolFlagDetails('checkout-v2', false), flags.getStringFlagDetails('ui-theme', 'default'), flags.allFlags()]);
      return flags.getBoolFlag('checkout-v2', false) ? NextResponse.redirect(new URL('/checkout/v2', req.url)) : undefined;
    },
    ...options,
  });
  for (const user of USERS) {
    const e = event();
    reads.push((await run(request('/checkout', `user=${user}`), e)).status);
    // the refresh of a stale datafile, if any, through waitUntil
    await Promise.all(e.promises);
  }
  return reads;
}

it('asks for the compiled datafile and serves it on the evaluator, with the full engine’s variations', async () => {
  const net = service(false);
  let fullEngineAsked = 0;
  const onEvaluator = await variations({ fetch: net.fetch, fullEngine: () => (fullEngineAsked++, fullEngine) });
  expect(net.seen[0]).toEqual({ accept: expect.stringMatching(new RegExp(`^${COMPILED_MEDIA_TYPE.replace(/[.;=+]/g, '\\$&')}`)), type: expect.stringContaining('compiled') });
  // the compiled document was loaded by the evaluator: the full engine was never needed
  expect(fullEngineAsked).toBe(0);
  const onFullEngine = await variations({ wasm: fullEngine, fullEngine: undefined });
  expect(onEvaluator).toEqual(onFullEngine);
  // u_1 is targeted and the pro plan has a rule: both redirected; the others are the experiment's buckets
  expect(onEvaluator.filter((x) => typeof x === 'number')).toEqual([307, expect.any(Number), expect.any(Number), expect.any(Number), 307]);
});

it('switches to fullEngine when the service answers JSON, before the first request reads, and serves the same variations', async () => {
  const net = service(true);
  const logger = new MemoryLogger();
  let fullEngineAsked = 0;
  const onJson = await variations({ fetch: net.fetch, logger, pollIntervalMs: 0, fullEngine: () => (fullEngineAsked++, fullEngine) });
  expect(net.seen[0]).toMatchObject({ accept: expect.stringContaining('compiled'), type: expect.stringContaining('application/json') });
  expect(fullEngineAsked).toBe(1);
  expect(onJson).toEqual(await variations({ wasm: fullEngine, fullEngine: undefined }));
  // switched once: the refreshes (pollIntervalMs 0: each request) ask for JSON first
  expect(net.seen.length).toBeGreaterThan(1);
  expect(net.seen.at(-1)!.accept).toMatch(/^application\/json/);
  expect(logger.lines.filter((l) => l.message.includes('loading avsb-engine.wasm'))).toHaveLength(1);
});
