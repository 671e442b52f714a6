import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { MockAvsbServer, TestData } from '@avsb/testing';
import { ANONYMOUS_COOKIE, avsbMiddleware } from './index';
import type { AvsbMiddlewareOptions } from './index';
import { CONTEXT_FROM_FAILURES, call, contextFromWarnings, cookiePair, failingContextFrom } from '@avsb/test-support';
import { serve, shopApp } from '../test/support/app';
import type { Listening } from '@avsb/test-support';

const open: Listening[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((l) => l.close()));
});

function shop(): MockAvsbServer {
  return new MockAvsbServer({
    flags: [
      TestData.flag('checkout-v2').booleanFlag().variationForUser('u_1', true).ifMatch('plan', 'pro').thenReturn(true).fallthroughVariation(false),
      TestData.flag('ui-theme').variations('default', 'dark').fallthroughVariation('default'),
    ],
  });
}

interface Reply {
  status: number;
  body: any;
  setCookies: string[];
}
type Fetcher = (path: string, init?: { method?: string; headers?: Record<string, string> }) => Promise<Reply>;

// the same app over Node (@hono/node-server on 127.0.0.1) and over the Web-standard fetch handler alone, as on edge runtimes
const runtimes: [string, (app: ReturnType<typeof shopApp>) => Promise<Fetcher>][] = [
  [
    'Node (@hono/node-server)',
    async (app) => {
      const listening = await serve(app);
      open.push(listening);
      return (path, init) => call(`${listening.url}${path}`, init);
    },
  ],
  [
    'a Web-standard runtime (app.fetch)',
    async (app) => async (path, init) => {
      const res = await app.fetch(new Request(`https://shop.example${path}`, { method: init?.method ?? 'GET', headers: init?.headers }));
      return { status: res.status, body: await res.json(), setCookies: res.headers.getSetCookie() };
    },
  ],
];

describe.each(runtimes)('on %s', (runtime, connect) => {
  const start = (mock: MockAvsbServer, options?: AvsbMiddlewareOptions, before?: Parameters<typeof shopApp>[2]) =>
    connect(shopApp(mock, options, before));

  it('sets c.get(\'avsb\') per request, built by contextFrom from Hono\'s context', async () => {
    const mock = shop();
    const fetch = await start(mock, { contextFrom: (c) => ({ kind: 'user', key: c.req.header('x-user') ?? 'none', plan: 'free' }) });
    expect((await fetch('/checkout', { headers: { 'x-user': 'u_1' } })).body).toEqual({
      showNewCheckout: true,
      theme: 'default',
      context: { kind: 'user', key: 'u_1', plan: 'free' },
    });
    expect((await fetch('/checkout', { headers: { 'x-user': 'u_2' } })).body.showNewCheckout).toBe(false);
    expect((await fetch('/purchase?amount=20', { method: 'POST', headers: { 'x-user': 'u_2' } })).status).toBe(202);
    expect(mock.trackedEvents).toEqual([{ key: 'purchase', value: 20, properties: { currency: 'usd' }, context: { kind: 'user', key: 'u_2', plan: 'free' } }]);
    expect(mock.exposures.map((e) => [e.flag, e.context.key, e.value])).toEqual([
      ['checkout-v2', 'u_1', true],
      ['ui-theme', 'u_1', 'default'],
      ['checkout-v2', 'u_2', false],
      ['ui-theme', 'u_2', 'default'],
    ]);
    expect(mock.metrics().liveContexts).toBe(0);
  });

  it('keeps an anonymous visitor in a cookie, next to the cookies the app sets', async () => {
    const mock = shop();
    const fetch = await start(mock, undefined, async (c, next) => {
      c.header('Set-Cookie', 'session=abc; Path=/', { append: true });
      await next();
    });
    const first = await fetch('/checkout');
    const secure = runtime.startsWith('Node') ? '' : '; Secure';
    expect(first.body.context).toEqual({ kind: 'user', key: expect.stringMatching(/^[0-9a-f-]{36}$/), anonymous: true });
    expect(first.setCookies).toEqual(['session=abc; Path=/', `${ANONYMOUS_COOKIE}=${first.body.context.key}; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax${secure}`]);
    const again = await fetch('/checkout', { headers: { cookie: cookiePair(first.setCookies, ANONYMOUS_COOKIE)! } });
    expect(again.body.context.key).toBe(first.body.context.key);
    expect(again.setCookies).toEqual(['session=abc; Path=/']);
  });

  it('logs a contextFrom that throws, rejects or returns an invalid context once, and serves the request anonymously', async () => {
    const mock = shop();
    const fetch = await start(mock, {
      contextFrom: (c) => failingContextFrom(c.req.header('x-fail')),
    });
    for (let i = 0; i < 2; i++) {
      for (const fail of CONTEXT_FROM_FAILURES) {
        const reply = await fetch('/checkout', { headers: { 'x-fail': fail } });
        expect(reply.status).toBe(200);
        expect(reply.body).toMatchObject({ showNewCheckout: false, context: { anonymous: true } });
      }
    }
    expect(mock.logs.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual(contextFromWarnings('avsbMiddleware'));
  });

  it('builds the context once when used twice, and closes the client once the handlers returned', async () => {
    const mock = shop();
    let calls = 0;
    const contextFrom = () => {
      calls++;
      return { kind: 'user', key: 'u_1' };
    };
    let kept: { getBoolFlagDetails: (key: string, fallback: boolean) => unknown } | undefined;
    const app = new Hono()
      .use(avsbMiddleware(mock, { contextFrom }))
      .use(avsbMiddleware(mock, { contextFrom }))
      .get('/checkout', (c) => {
        kept = c.get('avsb');
        return c.json({ read: c.get('avsb').getBoolFlag('checkout-v2', false) });
      });
    const fetch = await connect(app as never);
    expect((await fetch('/checkout')).body).toEqual({ read: true });
    expect(calls).toBe(1);
    expect(kept?.getBoolFlagDetails('checkout-v2', false)).toMatchObject({ value: false, reason: { kind: 'ERROR', errorKind: 'CLIENT_CLOSED' } });
    expect(mock.metrics().liveContexts).toBe(0);
  });
});

it('refuses a server without forUser, and a contextFrom that is not a function, at start-up', () => {
  expect(() => avsbMiddleware({} as never)).toThrow(/avsbMiddleware\(server\): pass the AvsbServer/);
  expect(() => avsbMiddleware(shop(), { contextFrom: 'user' as never })).toThrow(/contextFrom must be a function/);
});
