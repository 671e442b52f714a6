// Test support: the guide's shop app on Hono, served on 127.0.0.1 by @hono/node-server.
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import type { MiddlewareHandler } from 'hono';
import { avsbMiddleware } from '../../src/index';
import type { AvsbMiddlewareOptions, AvsbMiddlewareServer } from '../../src/index';
import { listen } from '@avsb/test-support';
import type { Listening } from '@avsb/test-support';


/** The shop's routes after the middleware; `before` runs in front of it. */
export function shopApp(server: AvsbMiddlewareServer, options?: AvsbMiddlewareOptions, before?: MiddlewareHandler) {
  const app = new Hono();
  if (before) app.use(before);
  return app
    .use(avsbMiddleware(server, options))
    .get('/checkout', (c) =>
      c.json({
        showNewCheckout: c.get('avsb').getBoolFlag('checkout-v2', false),
        theme: c.var.avsb.getStringFlag('ui-theme', 'default'),
        context: c.get('avsb').context,
      }),
    )
    .post('/purchase', (c) => {
      c.get('avsb').track('purchase', { value: Number(c.req.query('amount') ?? 149.99), properties: { currency: 'usd' } });
      return c.json({ tracked: true }, 202);
    });
}

/** Serves a Hono app with @hono/node-server's request listener on 127.0.0.1. */
export function serve(app: { fetch: (request: Request) => Response | Promise<Response> }): Promise<Listening> {
  return listen(getRequestListener(app.fetch));
}
