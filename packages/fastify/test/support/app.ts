// Test support: the guide's shop app on Fastify, listening on 127.0.0.1.
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { avsbPlugin } from '../../src/index';
import type { AvsbPluginOptions } from '../../src/index';

/** Registers the plugin and the shop's routes; `before` runs before the plugin is registered. */
export async function shopApp(options: AvsbPluginOptions, before?: (app: FastifyInstance) => void): Promise<FastifyInstance> {
  const app = Fastify();
  before?.(app);
  await app.register(avsbPlugin, options);
  app.get('/checkout', async (request) => ({
    showNewCheckout: request.avsb.getBoolFlag('checkout-v2', false),
    theme: request.avsb.getStringFlag('ui-theme', 'default'),
    context: request.avsb.context,
  }));
  app.post<{ Body: { amount?: number } }>('/purchase', async (request, reply) => {
    request.avsb.track('purchase', { value: request.body?.amount ?? 149.99, properties: { currency: 'usd' } });
    return reply.code(202).send({ tracked: true });
  });
  return app;
}

/** Starts `app` on 127.0.0.1 and returns its URL. */
export async function start(app: FastifyInstance): Promise<string> {
  return app.listen({ port: 0, host: '127.0.0.1' });
}
