import { Hono } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { avsbMiddleware } from '@avsb/hono';
import type { AvsbContext, AvsbMiddlewareServer } from '@avsb/hono';

/** A stand-in for the app's own users; the `demo_session` cookie below is NOT authentication. */
const USERS = new Map([
  ['u_1', { plan: 'free', email: 'ada@example.com' }],
  ['u_2', { plan: 'pro', email: 'grace@example.com' }],
  ['u_9', { plan: 'free', email: 'edsger@avsb.dev' }],
]);

function userContext(id: unknown) {
  const user = typeof id === 'string' ? USERS.get(id) : undefined;
  return user ? { kind: 'user' as const, key: id as string, ...user } : null;
}

/** The JSON body of a request, or `{}`. */
async function jsonBody(c: { req: { json(): Promise<unknown> } }): Promise<Record<string, unknown>> {
  const body: unknown = await c.req.json().catch(() => ({}));
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
}

/** The shop: `server` is the AvsbServer made once in main.ts, or a MockAvsbServer in tests. */
export function createApp(server: AvsbMiddlewareServer) {
  return (
    new Hono()
      // Step 3: the middleware types c.get('avsb') for every handler chained after it.
      // Step 6: contextFrom targets a signed-in user by id, plan and email; `null`
      // makes the middleware use an anonymous visitor id kept in a cookie.
      .use(avsbMiddleware(server, { contextFrom: (c): AvsbContext | null => userContext(getCookie(c, 'demo_session')) }))
      // Step 5: typed reads, never throwing.
      .get('/checkout', (c) =>
        c.json({
          showNewCheckout: c.get('avsb').getBoolFlag('checkout-v2', false),
          theme: c.var.avsb.getStringFlag('ui-theme', 'default'),
        }),
      )
      // Step 7: track an event (before returning: the client is closed once the handler has returned).
      .post('/purchase', async (c) => {
        const { amount } = await jsonBody(c);
        c.get('avsb').track('purchase', { value: typeof amount === 'number' ? amount : 149.99, properties: { currency: 'usd' } });
        return c.json({ tracked: true }, 202);
      })
      // Step 8: after a login, a new scoped client from the server singleton.
      .post('/login', async (c) => {
        const context = userContext((await jsonBody(c)).userId);
        if (!context) return c.json({ error: 'unknown user' }, 401);
        setCookie(c, 'demo_session', context.key, { httpOnly: true, sameSite: 'Lax', path: '/' });
        const scoped = server.forUser(context);
        try {
          return c.json({ userId: context.key, showNewCheckout: scoped.getBoolFlag('checkout-v2', false) });
        } finally {
          scoped.close(); // releases the context in the engine
        }
      })
  );
}
