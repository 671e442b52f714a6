import Koa from 'koa';
import type { Context } from 'koa';
import { avsbMiddleware } from '@avsb/koa';
import type { AvsbContext, AvsbMiddlewareServer } from '@avsb/koa';

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

/**
 * Step 6 of the guide: a signed-in user is targeted by id, plan and email;
 * `null` makes the middleware use an anonymous visitor id kept in a cookie.
 */
export function contextFrom(ctx: Context): AvsbContext | null {
  return userContext(ctx.cookies.get('demo_session'));
}

/** The JSON body of a request (a body parser such as @koa/bodyparser does this in a real app). */
async function jsonBody(ctx: Context): Promise<Record<string, unknown>> {
  let text = '';
  for await (const chunk of ctx.req) text += chunk;
  try {
    const body: unknown = JSON.parse(text);
    return typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The shop: `server` is the AvsbServer made once in main.ts, or a MockAvsbServer in tests. */
export function createApp(server: AvsbMiddlewareServer) {
  // Step 3: the middleware gives every later middleware ctx.state.avsb.
  return new Koa().use(avsbMiddleware(server, { contextFrom })).use(async (ctx) => {
    const route = `${ctx.method} ${ctx.path}`;
    if (route === 'GET /checkout') {
      // Step 5: typed reads, never throwing.
      ctx.body = {
        showNewCheckout: ctx.state.avsb.getBoolFlag('checkout-v2', false),
        theme: ctx.state.avsb.getStringFlag('ui-theme', 'default'),
      };
    } else if (route === 'POST /purchase') {
      // Step 7: track an event.
      const { amount } = await jsonBody(ctx);
      ctx.state.avsb.track('purchase', { value: typeof amount === 'number' ? amount : 149.99, properties: { currency: 'usd' } });
      ctx.status = 202;
      ctx.body = { tracked: true };
    } else if (route === 'POST /login') {
      // Step 8: after a login, a new scoped client from the server singleton.
      const context = userContext((await jsonBody(ctx)).userId);
      if (!context) {
        ctx.status = 401;
        ctx.body = { error: 'unknown user' };
        return;
      }
      ctx.cookies.set('demo_session', context.key, { httpOnly: true, sameSite: 'lax' });
      const scoped = server.forUser(context);
      try {
        ctx.body = { userId: context.key, showNewCheckout: scoped.getBoolFlag('checkout-v2', false) };
      } finally {
        scoped.close(); // releases the context in the engine
      }
    }
  });
}
