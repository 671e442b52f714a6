import Koa3 from 'koa';
import Koa2 from 'koa2';
import { afterEach, describe, expect, it } from 'vitest';
import { MockAvsbServer, TestData } from '@avsb/testing';
import { ANONYMOUS_COOKIE, avsbMiddleware } from './index';
import type { AvsbMiddlewareOptions } from './index';
import { CONTEXT_FROM_FAILURES, call, contextFromWarnings, cookiePair, failingContextFrom, waitFor } from '@avsb/test-support';
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

describe.each([
  ['Koa 3', Koa3],
  ['Koa 2', Koa2],
] as const)('with %s', (_name, Koa) => {
  async function start(mock: MockAvsbServer, options?: AvsbMiddlewareOptions, before?: (app: Koa3) => void): Promise<string> {
    const listening = await serve(shopApp(Koa, mock, options, before));
    open.push(listening);
    return listening.url;
  }

  it('puts a scoped client on ctx.state.avsb per request, built by contextFrom from Koa\'s ctx', async () => {
    const mock = shop();
    const url = await start(mock, { contextFrom: (ctx) => ({ kind: 'user', key: ctx.get('x-user'), plan: 'free' }) });
    expect((await call(`${url}/checkout`, { headers: { 'x-user': 'u_1' } })).body).toEqual({
      showNewCheckout: true,
      theme: 'default',
      context: { kind: 'user', key: 'u_1', plan: 'free' },
    });
    expect((await call(`${url}/checkout`, { headers: { 'x-user': 'u_2' } })).body.showNewCheckout).toBe(false);
    expect((await call(`${url}/purchase?amount=20`, { method: 'POST', headers: { 'x-user': 'u_2' } })).status).toBe(202);
    expect(mock.trackedEvents).toEqual([{ key: 'purchase', value: 20, properties: { currency: 'usd' }, context: { kind: 'user', key: 'u_2', plan: 'free' } }]);
    expect(mock.exposures.map((e) => [e.flag, e.context.key, e.value])).toEqual([
      ['checkout-v2', 'u_1', true],
      ['ui-theme', 'u_1', 'default'],
      ['checkout-v2', 'u_2', false],
      ['ui-theme', 'u_2', 'default'],
    ]);
    await waitFor(() => mock.metrics().liveContexts === 0, 5_000, 'the requests’ clients to be closed');
  });

  it('keeps an anonymous visitor in a cookie (Secure over HTTPS), next to the cookies the app sets', async () => {
    const mock = shop();
    const url = await start(mock, undefined, (app) =>
      app.use(async (ctx, next) => {
        ctx.cookies.set('session', 'abc', { httpOnly: false, overwrite: true });
        await next();
      }),
    );
    const first = await call(`${url}/checkout`);
    expect(first.body.context).toEqual({ kind: 'user', key: expect.stringMatching(/^[0-9a-f-]{36}$/), anonymous: true });
    expect(first.setCookies).toEqual(['session=abc; path=/', `${ANONYMOUS_COOKIE}=${first.body.context.key}; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax`]);
    const again = await call(`${url}/checkout`, { headers: { cookie: cookiePair(first.setCookies, ANONYMOUS_COOKIE)! } });
    expect(again.body.context.key).toBe(first.body.context.key);
    expect(again.setCookies).toEqual(['session=abc; path=/']);
    const https = await call(`${url}/checkout`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(https.setCookies[1]).toMatch(/; HttpOnly; SameSite=Lax; Secure$/);
  });

  it('logs a contextFrom that throws, rejects or returns an invalid context once, and serves the request anonymously', async () => {
    const mock = shop();
    const url = await start(mock, {
      contextFrom: (ctx) => failingContextFrom(ctx.get('x-fail')),
    });
    for (let i = 0; i < 2; i++) {
      for (const fail of CONTEXT_FROM_FAILURES) {
        const reply = await call(`${url}/checkout`, { headers: { 'x-fail': fail } });
        expect(reply.status).toBe(200);
        expect(reply.body).toMatchObject({ showNewCheckout: false, context: { anonymous: true } });
      }
    }
    expect(mock.logs.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual(contextFromWarnings('avsbMiddleware'));
  });

  it('builds the context once when used twice, and closes the client when the response ends', async () => {
    const mock = shop();
    let calls = 0;
    const contextFrom = () => {
      calls++;
      return { kind: 'user', key: 'u_1' };
    };
    const late: unknown[] = [];
    const url = await start(mock, { contextFrom }, (app) =>
      app.use(avsbMiddleware(mock, { contextFrom })).use(async (ctx, next) => {
        if (ctx.path !== '/late') return next();
        ctx.res.once('finish', () => setImmediate(() => late.push(ctx.state.avsb.getBoolFlagDetails('checkout-v2', false).reason)));
        ctx.body = { read: ctx.state.avsb.getBoolFlag('checkout-v2', false) };
      }),
    );
    expect((await call(`${url}/late`)).body).toEqual({ read: true });
    expect(calls).toBe(1);
    // the read after the response ended: by then the request's client was closed
    await waitFor(() => late.length === 1, 5_000, 'the late read');
    expect(late).toEqual([{ kind: 'ERROR', errorKind: 'CLIENT_CLOSED' }]);
    expect(mock.metrics().liveContexts).toBe(0);
  });
});

it('refuses a server without forUser, and a contextFrom that is not a function, at start-up', () => {
  expect(() => avsbMiddleware({} as never)).toThrow(/avsbMiddleware\(server\): pass the AvsbServer/);
  expect(() => avsbMiddleware(shop(), { contextFrom: 'user' as never })).toThrow(/contextFrom must be a function/);
});
