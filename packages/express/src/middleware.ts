import type { ScopedClient } from '@avsb/core';
import { createRequestScope, releaseOnEnd } from '@avsb/node/adapter';
import { appendSetCookie } from './cookies';
import type { AvsbExpressRequest, AvsbMiddlewareOptions, AvsbMiddlewareServer, AvsbRequest, AvsbRequestHandler } from './types';

/** The anonymous visitor's cookie name. */
export { ANONYMOUS_COOKIE } from '@avsb/node/adapter';

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function';
}

/**
 * Express middleware that puts an A vs B scoped client on every request:
 *
 * ```ts
 * app.use(avsbMiddleware(server, { contextFrom: (req) => ({ kind: 'user', key: req.user.id }) }));
 * app.get('/checkout', (req, res) => res.json({ showNewCheckout: req.avsb.getBoolFlag('checkout-v2', false) }));
 * ```
 *
 * The context is built once per request (mounting the middleware twice does
 * not build it again). Without `contextFrom`, or when it returns `null`, the
 * visitor is anonymous, with a random id kept in an HttpOnly cookie
 * (`avsb_uid`) so that experiments count a visitor once. A `contextFrom` that
 * throws, rejects or returns an invalid context is logged (once per kind of
 * problem) and the request continues with the anonymous context. The scoped
 * client's engine context is released when the response finishes or the
 * connection closes: reads after that return defaults (reason
 * `CLIENT_CLOSED`) and `track()` is dropped. After `server.close()`, every
 * request's scoped client does the same.
 *
 * `req` in `contextFrom` is Express's `Request` (`req.get()`, `req.query`,
 * `req.ip`…); type `req.user` by merging it into `Express.Request`, or pass
 * your request type: `avsbMiddleware<MyRequest>(server, { contextFrom })`.
 */
export function avsbMiddleware<Req extends AvsbRequest = AvsbExpressRequest>(
  server: AvsbMiddlewareServer,
  options: AvsbMiddlewareOptions<Req> = {},
): AvsbRequestHandler<Req> {
  const scope = createRequestScope<Req>(server, options, 'avsbMiddleware');

  return (req, res, next) => {
    const target = req as unknown as { avsb?: ScopedClient };
    if (target.avsb !== undefined) {
      next();
      return;
    }
    const attach = (scoped: ScopedClient | undefined): void => {
      if (scoped === undefined) return;
      target.avsb = scoped;
      releaseOnEnd(scoped, res);
    };
    const opened = scope.open(req, {
      header: req.headers.cookie,
      secure: req.secure === true,
      setCookie: (cookie) => appendSetCookie(res, cookie),
    });
    if (!isPromise(opened)) {
      attach(opened);
      next();
      return;
    }
    opened.then((scoped) => {
      attach(scoped);
      next();
    }, next);
  };
}
