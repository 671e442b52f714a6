import 'reflect-metadata';
import { Controller, Get, Inject, Injectable, Module } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import { afterEach, expect, it } from 'vitest';
import { MockAvsbServer, TestData } from '@avsb/testing';
import { ANONYMOUS_COOKIE, AVSB_SERVER, AvsbModule } from './index';
import type { AvsbModuleOptions } from './index';
import { CONTEXT_FROM_FAILURES, call, contextFromWarnings, cookiePair, failingContextFrom, waitFor } from '@avsb/test-support';
import { startShop } from '../test/support/shop';

const open: INestApplication[] = [];
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

const fromUser: AvsbModuleOptions['contextFrom'] = (req: { user?: { id: string; plan: string } }) =>
  req.user ? { kind: 'user', key: req.user.id, plan: req.user.plan } : null;

async function serve(options: AvsbModuleOptions): Promise<string> {
  const { app, url } = await startShop(AvsbModule.forRoot(options));
  open.push(app);
  return url;
}

it('gives each handler the request\'s scoped client through @Avsb(), built by contextFrom after the guards ran', async () => {
  const mock = shop();
  const url = await serve({ server: mock, contextFrom: fromUser });
  expect((await call(`${url}/checkout`, { headers: { 'x-user-id': 'u_1' } })).body).toEqual({
    showNewCheckout: true,
    theme: 'default',
    context: { kind: 'user', key: 'u_1', plan: 'free' },
  });
  expect((await call(`${url}/checkout`, { headers: { 'x-user-id': 'u_2', 'x-plan': 'pro' } })).body.showNewCheckout).toBe(true);
  expect((await call(`${url}/checkout`, { headers: { 'x-user-id': 'u_3' } })).body.showNewCheckout).toBe(false);
  expect((await call(`${url}/purchase?amount=20`, { method: 'POST', headers: { 'x-user-id': 'u_3' } })).status).toBe(202);
  expect(mock.trackedEvents).toEqual([{ key: 'purchase', value: 20, properties: { currency: 'usd' }, context: { kind: 'user', key: 'u_3', plan: 'free' } }]);
  expect(mock.exposures.map((e) => [e.flag, e.context.key, e.value])).toEqual([
    ['checkout-v2', 'u_1', true],
    ['ui-theme', 'u_1', 'default'],
    ['checkout-v2', 'u_2', true],
    ['ui-theme', 'u_2', 'default'],
    ['checkout-v2', 'u_3', false],
    ['ui-theme', 'u_3', 'default'],
  ]);
  // forUser after a login, through the injected server
  expect((await call(`${url}/login`, { method: 'POST', headers: { 'x-login': 'u_9' } })).body).toEqual({ showNewCheckout: true });
  await waitFor(() => mock.metrics().liveContexts === 0, 5_000, 'the requests’ clients to be closed');
});

it('keeps an anonymous visitor in a cookie', async () => {
  const url = await serve({ server: shop() });
  const first = await call(`${url}/checkout`);
  expect(first.body.context).toEqual({ kind: 'user', key: expect.stringMatching(/^[0-9a-f-]{36}$/), anonymous: true });
  expect(first.setCookies).toEqual([`${ANONYMOUS_COOKIE}=${first.body.context.key}; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax`]);
  const again = await call(`${url}/checkout`, { headers: { cookie: cookiePair(first.setCookies, ANONYMOUS_COOKIE)! } });
  expect(again.body.context.key).toBe(first.body.context.key);
  expect(again.setCookies).toEqual([]);
});

it('logs a contextFrom that throws, rejects or returns an invalid context once, and serves the request anonymously', async () => {
  const mock = shop();
  const url = await serve({
    server: mock,
    contextFrom: (req: { headers: Record<string, string | undefined> }) => failingContextFrom(req.headers['x-fail']),
  });
  for (let i = 0; i < 2; i++) {
    for (const fail of CONTEXT_FROM_FAILURES) {
      const reply = await call(`${url}/checkout`, { headers: { 'x-fail': fail } });
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({ showNewCheckout: false, context: { anonymous: true } });
    }
  }
  expect(mock.logs.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual(contextFromWarnings('AvsbModule'));
});

it('closes the server through Nest\'s shutdown hooks (unless closeOnShutdown is false)', async () => {
  const mock = shop();
  const { app, url } = await startShop(AvsbModule.forRoot({ server: mock, contextFrom: fromUser }));
  await call(`${url}/purchase`, { method: 'POST', headers: { 'x-user-id': 'u_1' } });
  expect(mock.flushCount).toBe(0);
  await app.close();
  expect(mock.flushCount).toBe(1);
  expect(mock.trackedEvents).toHaveLength(1);
  expect(mock.forUser({ kind: 'user', key: 'u_1' }).getBoolFlag('checkout-v2', false)).toBe(false);

  const shared = shop();
  const kept = await startShop(AvsbModule.forRoot({ server: shared, closeOnShutdown: false }));
  await kept.app.close();
  expect(shared.forUser({ kind: 'user', key: 'u_1' }).getBoolFlag('checkout-v2', false)).toBe(true);
});

it('takes its options from forRootAsync, injecting a provider', async () => {
  const mock = shop();
  @Injectable()
  class Config {
    readonly server = mock;
  }
  @Module({ providers: [Config], exports: [Config] })
  class ConfigModule {}
  const { app, url } = await startShop(
    AvsbModule.forRootAsync({
      imports: [ConfigModule],
      inject: [Config],
      useFactory: async (config: Config) => ({ server: config.server, contextFrom: fromUser }),
    }),
  );
  open.push(app);
  expect((await call(`${url}/checkout`, { headers: { 'x-user-id': 'u_1' } })).body.showNewCheckout).toBe(true);
  expect(app.get(AVSB_SERVER)).toBe(mock);
});

it('creates an AvsbServer from forRoot({ sdkKey }) and injects it anywhere', async () => {
  @Controller('server')
  class ServerController {
    constructor(@Inject(AVSB_SERVER) private readonly _server: { constructor: { name: string } }) {}
    @Get()
    name() {
      return { server: this._server.constructor.name };
    }
  }
  @Module({ imports: [AvsbModule.forRoot({ sdkKey: 'srv-test-key', offline: true, logLevel: 'none', readyTimeoutMs: 50 })], controllers: [ServerController] })
  class AppModule {}
  const { NestFactory } = await import('@nestjs/core');
  const app = await NestFactory.create(AppModule, { logger: false });
  open.push(app);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  expect((await call(`http://127.0.0.1:${port}/server`)).body).toEqual({ server: 'AvsbServer' });
});

it('says in Nest\'s log when forRoot({ sdkKey }) starts the application without a datafile', async () => {
  // a port nothing listens on: the service is down
  const { createServer } = await import('node:net');
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port: downPort } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  const warnings: string[] = [];
  const logger = { log() {}, error() {}, debug() {}, verbose() {}, warn: (message: unknown, context?: unknown) => void warnings.push(`${String(context)}: ${String(message)}`) };
  @Module({ imports: [AvsbModule.forRoot({ sdkKey: 'srv-test-key', baseUrl: `http://127.0.0.1:${downPort}`, logLevel: 'none', readyTimeoutMs: 150 })] })
  class AppModule {}
  const { NestFactory } = await import('@nestjs/core');
  const app = await NestFactory.create(AppModule, { logger });
  open.push(app);
  await app.init();
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toMatch(/^AvsbModule: starting without a datafile: A vs B: no datafile within 150 ms \(last problem: .+\); flag reads return their defaults/);
  expect(warnings[0]).not.toContain('srv-test-key');
});

it('works from the built package (tsup/esbuild compiles the decorators without metadata)', async () => {
  const built = (await import('../dist/index.js')) as unknown as typeof import('./index');
  const mock = shop();
  const { app, url: builtUrl } = await startShop(built.AvsbModule.forRoot({ server: mock, contextFrom: fromUser }));
  open.push(app);
  expect((await call(`${builtUrl}/checkout`, { headers: { 'x-user-id': 'u_1' } })).body.showNewCheckout).toBe(true);
  await app.close();
  open.pop();
  expect(mock.flushCount).toBe(1);
});

it('works on @nestjs/platform-fastify: Fastify\'s request in contextFrom, its reply for the cookie, shutdown flushes', async () => {
  const mock = shop();
  const { app, url } = await startShop(
    AvsbModule.forRoot({
      server: mock,
      contextFrom: (req: { user?: { id: string }; hostname?: string }) => (req.user ? { kind: 'user', key: req.user.id, host: String(req.hostname) } : null),
    }),
    'fastify',
  );
  open.push(app);
  expect((await call(`${url}/checkout`, { headers: { 'x-user-id': 'u_1' } })).body).toMatchObject({
    showNewCheckout: true,
    context: { kind: 'user', key: 'u_1', host: '127.0.0.1' },
  });
  const anonymous = await call(`${url}/checkout`);
  expect(anonymous.setCookies).toEqual([`${ANONYMOUS_COOKIE}=${anonymous.body.context.key}; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax`]);
  expect((await call(`${url}/purchase`, { method: 'POST', headers: { 'x-user-id': 'u_1' } })).status).toBe(202);
  await waitFor(() => mock.metrics().liveContexts === 0, 5_000, 'the requests’ clients to be closed');
  await app.close();
  open.pop();
  expect(mock.flushCount).toBe(1);
  expect(mock.trackedEvents).toHaveLength(1);
});
