import type { ScopedClient } from '@avsb/core';
import { createRequestScope } from '@avsb/node/adapter';
import type { Context, Env, MiddlewareHandler } from 'hono';
import type { AvsbEnv, AvsbMiddlewareOptions, AvsbMiddlewareServer } from './types';

/**
 * Hono middleware that sets an A vs B scoped client on every request,
 * `c.get('avsb')`, on Node and on Web-standard runtimes alike:
 *
 * ```ts
 * const app = new Hono().use(avsbMiddleware(server, { contextFrom: (c) => ({ kind: 'user', key: c.get('userId') }) }));
 * app.get('/checkout', (c) => c.json({ showNewCheckout: c.get('avsb').getBoolFlag('checkout-v2', false) }));
 * ```
 *
 * The context is built once per request (using the middleware twice does not
 * build it again). Without `contextFrom`, or when it returns `null`, the
 * visitor is anonymous, with a random id kept in an HttpOnly `avsb_uid`
 * cookie. A `contextFrom` that throws, rejects or returns an invalid context
 * is logged once per kind of problem and the request goes on anonymously. The
 * scoped client is closed when the handlers after the middleware have
 * returned: read flags before a streamed body is sent.
 */
export function avsbMiddleware<E extends Env = Env>(
  server: AvsbMiddlewareServer,
  options: AvsbMiddlewareOptions<E> = {},
): MiddlewareHandler<E & AvsbEnv> {
  const scope = createRequestScope<Context<E>>(server, options, 'avsbMiddleware');

  return async (c, next) => {
    const vars = c as unknown as Context<AvsbEnv>;
    if (vars.get('avsb') !== undefined) {
      await next();
      return;
    }
    const scoped: ScopedClient | undefined = await scope.open(c as unknown as Context<E>, {
      header: c.req.header('cookie'),
      // the URL the runtime saw; behind a TLS-terminating proxy on Node it is http: set cookie.secure
      secure: c.req.url.startsWith('https:'),
      setCookie: (cookie) => c.header('Set-Cookie', cookie, { append: true }),
    });
    if (scoped === undefined) {
      await next();
      return;
    }
    vars.set('avsb', scoped);
    try {
      await next();
    } finally {
      // no 'finish' event on Web-standard runtimes: the response exists once the handlers returned
      scoped.close();
    }
  };
}
