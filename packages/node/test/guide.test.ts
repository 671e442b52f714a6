// The user's guide (shared/seed, the Django integration), step by step in
// TypeScript with @avsb/node, against the real A vs B server. The middleware
// step uses a plain node:http handler here; `@avsb/express` packages it as
// `avsbMiddleware(server, { contextFrom })`.
import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AvsbContext, ScopedClient } from '../src/index';
import { AvsbServer } from '../src/index';
import type { RealServer } from './support/harness';
import { startRealServer } from './support/harness';

let real: RealServer;
let app: Server;
let appUrl: string;
let server: AvsbServer;

interface User {
  id: string;
  plan: 'free' | 'pro';
  authenticated: boolean;
}
const users: Record<string, User> = { u_1: { id: 'u_1', plan: 'free', authenticated: true } };

beforeAll(async () => {
  real = await startRealServer();
  // Step 2: the SDK key lives in the environment (here set by the test).
  process.env.AVSB_SDK_KEY = real.serverKey;
  process.env.AVSB_BASE_URL = real.url;

  // Step 4: one server per process, created and awaited at start-up.
  server = new AvsbServer({ sdkKey: process.env.AVSB_SDK_KEY });
  const ready = await server.onReady({ timeoutMs: 5000 });
  if (!ready.ready) console.warn(ready.error.message); // reads serve defaults meanwhile

  // Step 6: contextFrom builds the targeting context from the request.
  const contextFrom = (req: IncomingMessage): AvsbContext => {
    const user = users[String(req.headers['x-user-id'])];
    return { kind: 'user', key: user?.authenticated ? user.id : 'anon', plan: user?.plan ?? 'free' };
  };

  // Step 3: a per-request scoped client (what the middleware does).
  app = createServer((req, res) => {
    using avsb: ScopedClient = server.forUser(contextFrom(req));
    if (req.url === '/checkout') {
      // Step 5: typed flag reads in a view.
      const showNew = avsb.getBoolFlag('checkout-v2', false);
      const theme = avsb.getStringFlag('ui-theme', 'default');
      res.end(JSON.stringify({ showNewCheckout: showNew, theme }));
    } else if (req.url === '/purchase') {
      // Step 7: track an event.
      avsb.track('purchase', { value: 149.99, properties: { currency: 'usd' } });
      res.end('{}');
    } else if (req.url === '/login') {
      // Step 8: identify a user who logged in during the request.
      const user: User = { id: 'u_2', plan: 'pro', authenticated: true };
      const scoped = server.forUser({ kind: 'user', key: user.id, plan: user.plan });
      const showNew = scoped.getBoolFlag('checkout-v2', false);
      scoped.close();
      res.end(JSON.stringify({ showNewCheckout: showNew }));
    } else {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
});

afterAll(async () => {
  app?.close();
  await server?.close();
  await real?.close();
  delete process.env.AVSB_SDK_KEY;
  delete process.env.AVSB_BASE_URL;
});

const get = async (path: string, userId?: string) =>
  (await fetch(appUrl + path, { headers: userId ? { 'x-user-id': userId } : {} })).json() as Promise<any>;

it('reads checkout-v2 and ui-theme in the checkout view', async () => {
  expect(await get('/checkout', 'u_1')).toEqual({ showNewCheckout: true, theme: 'default' });
  const anon = await get('/checkout');
  expect(typeof anon.showNewCheckout).toBe('boolean');
  expect(anon.theme).toBe('default');
});

it('tracks a purchase and re-evaluates after a login', async () => {
  await get('/purchase', 'u_1');
  expect(await get('/login')).toEqual({ showNewCheckout: true });
});

it('shuts down gracefully, delivering the events', async () => {
  // Graceful shutdown: close() flushes (what atexit + close_sync does in the guide).
  await server.close();
  const events = await real.events();
  expect(events).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ kind: 'custom', key: 'purchase', value: 149.99, contextKeys: { user: 'u_1' } }),
      // the anonymous visitor is in checkout-v2's experiment; u_1 and u_2 (pro) match a rule, so their reads are only counted
      expect.objectContaining({ kind: 'exposure', flag: 'checkout-v2', inExperiment: true, contextKeys: { user: 'anon' } }),
      expect.objectContaining({ kind: 'summary', flags: expect.objectContaining({ 'checkout-v2': expect.anything(), 'ui-theme': expect.anything() }) }),
    ]),
  );
  expect(events.filter((e: any) => e.kind === 'exposure' && e.contextKeys.user !== 'anon')).toEqual([]);
  expect(server.metrics().liveContexts).toBe(0);
});
