import Fastify from 'fastify';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { avsbPlugin } from '@avsb/fastify';
import type { AvsbContext, AvsbPluginServer } from '@avsb/fastify';

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
 * `null` makes the plugin use an anonymous visitor id kept in a cookie.
 */
export function contextFrom(request: FastifyRequest): AvsbContext | null {
  const session = /(?:^|;\s*)demo_session=([^;]*)/.exec(request.headers.cookie ?? '');
  return userContext(session?.[1]);
}

/** The shop: `server` is the AvsbServer made once in main.ts, or a MockAvsbServer in tests. */
export async function createApp(server: AvsbPluginServer): Promise<FastifyInstance> {
  const app = Fastify();
  // Step 3: the plugin gives every route request.avsb and closes the server
  // (flushing its events) when Fastify closes.
  await app.register(avsbPlugin, { server, contextFrom });

  // Step 5: typed reads, never throwing.
  app.get('/checkout', async (request) => ({
    showNewCheckout: request.avsb.getBoolFlag('checkout-v2', false),
    theme: request.avsb.getStringFlag('ui-theme', 'default'),
  }));

  // Step 7: track an event.
  app.post<{ Body: { amount?: number } | undefined }>('/purchase', async (request, reply) => {
    const amount = typeof request.body?.amount === 'number' ? request.body.amount : 149.99;
    request.avsb.track('purchase', { value: amount, properties: { currency: 'usd' } });
    return reply.code(202).send({ tracked: true });
  });

  // Step 8: after a login, a new scoped client from the server singleton.
  app.post<{ Body: { userId?: string } | undefined }>('/login', async (request, reply) => {
    const context = userContext(request.body?.userId);
    if (!context) return reply.code(401).send({ error: 'unknown user' });
    void reply.header('set-cookie', `demo_session=${context.key}; Path=/; HttpOnly; SameSite=Lax`);
    const scoped = server.forUser(context);
    try {
      return { userId: context.key, showNewCheckout: scoped.getBoolFlag('checkout-v2', false) };
    } finally {
      scoped.close(); // releases the context in the engine
    }
  });

  return app;
}
