// Test support: the guide's shop app on Koa (2 or 3), listening on 127.0.0.1.
import type Koa from 'koa';
import { avsbMiddleware } from '../../src/index';
import type { AvsbMiddlewareOptions, AvsbMiddlewareServer } from '../../src/index';
import { listen } from '@avsb/test-support';
import type { Listening } from '@avsb/test-support';


/** The shop's routes after the middleware; `before` adds middleware in front of it. */
export function shopApp(
  KoaClass: typeof Koa,
  server: AvsbMiddlewareServer,
  options?: AvsbMiddlewareOptions,
  before?: (app: Koa) => void,
): Koa {
  const app = new KoaClass();
  app.proxy = true;
  before?.(app);
  app.use(avsbMiddleware(server, options)).use(async (ctx, next) => {
    if (ctx.path === '/checkout') {
      ctx.body = {
        showNewCheckout: ctx.state.avsb.getBoolFlag('checkout-v2', false),
        theme: ctx.state.avsb.getStringFlag('ui-theme', 'default'),
        context: ctx.state.avsb.context,
      };
    } else if (ctx.path === '/purchase' && ctx.method === 'POST') {
      ctx.state.avsb.track('purchase', { value: Number(ctx.query.amount ?? 149.99), properties: { currency: 'usd' } });
      ctx.status = 202;
      ctx.body = { tracked: true };
    } else {
      await next();
    }
  });
  return app;
}

export function serve(app: Koa): Promise<Listening> {
  return listen(app.callback());
}
