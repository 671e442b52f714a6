import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { afterEach, expect, it } from 'vitest';
import { MockAvsbServer, TestData } from '@avsb/testing';
import defaultExport, { ANONYMOUS_COOKIE, avsbPlugin } from './index';
import { call, contextFromWarnings, cookiePair, waitFor } from '@avsb/test-support';
import { shopApp, start } from '../test/support/app';

const open: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((app) => app.close()));
});

function shop(): MockAvsbServer {
  return new MockAvsbServer({
    flags: [
      TestData.flag('checkout-v2').booleanFlag().variationForUser('u_1', true).ifMatch('plan', 'pro').thenReturn(true).fallthroughVariation(false),
      TestData.flag('ui-theme').variations('default', 'dark').fallthroughVariation('default'),
    ],
  });
}

async function serve(...args: Parameters<typeof shopApp>): Promise<string> {
  const app = await shopApp(...args);
  open.push(app);
  return start(app);
}

it('exports the plugin by name and as the default export', () => {
  expect(defaultExport).toBe(avsbPlugin);
});

it('decorates request.avsb with a scoped client per request, built from contextFrom with Fastify\'s request', async () => {
  const mock = shop();
  const url = await serve({
    server: mock,
    contextFrom: (request) => ({ kind: 'user', key: String(request.headers['x-user']), plan: request.hostname === '' ? 'none' : 'free' }),
  });
  expect((await call(`${url}/checkout`, { headers: { 'x-user': 'u_1' } })).body).toEqual({
    showNewCheckout: true,
    theme: 'default',
    context: { kind: 'user', key: 'u_1', plan: 'free' },
  });
  expect((await call(`${url}/checkout`, { headers: { 'x-user': 'u_2' } })).body.showNewCheckout).toBe(false);
  expect((await call(`${url}/purchase`, { method: 'POST', headers: { 'x-user': 'u_2' }, body: { amount: 20 } })).status).toBe(202);
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
  const url = await serve({ server: mock }, (app) =>
    app.addHook('onRequest', async (_request, reply) => {
      reply.header('set-cookie', 'session=abc; Path=/');
    }),
  );
  const first = await call(`${url}/checkout`);
  expect(first.body.context).toEqual({ kind: 'user', key: expect.stringMatching(/^[0-9a-f-]{36}$/), anonymous: true });
  expect(first.setCookies).toEqual(['session=abc; Path=/', `${ANONYMOUS_COOKIE}=${first.body.context.key}; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax`]);
  const again = await call(`${url}/checkout`, { headers: { cookie: cookiePair(first.setCookies, ANONYMOUS_COOKIE)! } });
  expect(again.body.context.key).toBe(first.body.context.key);
  expect(again.setCookies).toEqual(['session=abc; Path=/']);
});

it('logs a contextFrom that throws, rejects or returns an invalid context once, and serves the request anonymously', async () => {
  const mock = shop();
  const url = await serve({
    server: mock,
    contextFrom: async (request) => {
      if (request.headers['x-fail'] === 'invalid') return { kind: 'user', key: 42 } as never;
      if (request.headers['x-fail'] === 'reject') throw new RangeError('no session');
      return null;
    },
  });
  const sync = await serve({
    server: mock,
    contextFrom: () => {
      throw new Error('session store down');
    },
  });
  for (let i = 0; i < 2; i++) {
    for (const [base, fail] of [[sync, 'throw'], [url, 'invalid'], [url, 'reject']] as const) {
      const reply = await call(`${base}/checkout`, { headers: { 'x-fail': fail } });
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({ showNewCheckout: false, context: { anonymous: true } });
    }
  }
  expect(mock.logs.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual(contextFromWarnings('avsbPlugin'));
});

it('builds the context in the hook chosen, after the app\'s authentication hook', async () => {
  const mock = shop();
  const app = Fastify();
  open.push(app);
  app.decorateRequest('user', null);
  app.addHook('preValidation', async (request) => {
    (request as unknown as { user: string }).user = String(request.headers['x-user']);
  });
  await app.register(avsbPlugin, {
    server: mock,
    hook: 'preHandler',
    contextFrom: (request) => ({ kind: 'user', key: (request as unknown as { user: string }).user }),
  });
  app.get('/who', async (request) => request.avsb.context);
  const url = await start(app);
  expect((await call(`${url}/who`, { headers: { 'x-user': 'u_7' } })).body).toEqual({ kind: 'user', key: 'u_7' });
});

it('closes the request\'s client when the response ends, and the server when Fastify closes', async () => {
  const mock = shop();
  const late: unknown[] = [];
  const app = await shopApp({ server: mock, contextFrom: () => ({ kind: 'user', key: 'u_1' }) });
  app.get('/late', async (request, reply) => {
    reply.raw.once('finish', () => setImmediate(() => late.push(request.avsb.getBoolFlagDetails('checkout-v2', false).reason)));
    return { read: request.avsb.getBoolFlag('checkout-v2', false) };
  });
  const url = await start(app);
  expect((await call(`${url}/late`)).body).toEqual({ read: true });
  await call(`${url}/purchase`, { method: 'POST' });
  // the read after the response ended: by then the request's client was closed
  await waitFor(() => late.length === 1, 5_000, 'the late read');
  expect(late).toEqual([{ kind: 'ERROR', errorKind: 'CLIENT_CLOSED' }]);
  await waitFor(() => mock.metrics().liveContexts === 0, 5_000, 'the purchase’s client to be closed');
  expect(mock.flushCount).toBe(0);
  await app.close();
  expect(mock.flushCount).toBe(1);
  expect(mock.trackedEvents).toHaveLength(1);
  // closed: reads serve defaults
  expect(mock.forUser({ kind: 'user', key: 'u_1' }).getBoolFlag('checkout-v2', false)).toBe(false);
});

it('leaves a shared server open with closeOnShutdown: false', async () => {
  const mock = shop();
  const app = await shopApp({ server: mock, closeOnShutdown: false });
  await app.ready();
  await app.close();
  expect(mock.forUser({ kind: 'user', key: 'u_1' }).getBoolFlag('checkout-v2', false)).toBe(true);
});

it('refuses a missing server, a contextFrom that is not a function and an unknown hook at start-up', async () => {
  for (const [options, message] of [
    [{}, /avsbPlugin\(server\): pass the AvsbServer/],
    [{ server: shop(), contextFrom: 'user' }, /contextFrom must be a function/],
    [{ server: shop(), hook: 'onSend' }, /hook must be/],
  ] as const) {
    const app = Fastify();
    await expect(app.register(avsbPlugin, options as never).ready()).rejects.toThrow(message);
    await app.close();
  }
});
