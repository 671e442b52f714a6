import type { ScopedClient } from '@avsb/core';
import { createRequestScope, releaseOnEnd } from '@avsb/node/adapter';
import type { DefaultContext, DefaultState, Middleware, ParameterizedContext } from 'koa';
import type { AvsbMiddlewareOptions, AvsbMiddlewareServer, AvsbState } from './types';

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function';
}

/**
 * Koa middleware (Koa 2 and 3) that puts an A vs B scoped client on every
 * request's `ctx.state.avsb`:
 *
 * ```ts
 * app.use(avsbMiddleware(server, { contextFrom: (ctx) => (ctx.state.user ? { kind: 'user', key: ctx.state.user.id } : null) }));
 * app.use((ctx) => { ctx.body = { showNewCheckout: ctx.state.avsb.getBoolFlag('checkout-v2', false) }; });
 * ```
 *
 * The context is built once per request (using the middleware twice does not
 * build it again). Without `contextFrom`, or when it returns `null`, the
 * visitor is anonymous, with a random id kept in an HttpOnly `avsb_uid`
 * cookie. A `contextFrom` that throws, rejects or returns an invalid context
 * is logged once per kind of problem and the request goes on anonymously. The
 * scoped client is closed when the response finishes or the connection closes.
 */
export function avsbMiddleware<State = DefaultState, Context = DefaultContext>(
  server: AvsbMiddlewareServer,
  options: AvsbMiddlewareOptions<State, Context> = {},
): Middleware<State & AvsbState, Context> {
  const scope = createRequestScope<ParameterizedContext<State, Context>>(server, options, 'avsbMiddleware');

  return (ctx, next) => {
    const state = ctx.state as Partial<AvsbState>;
    if (state.avsb !== undefined) return next();
    const attach = (scoped: ScopedClient | undefined): void => {
      if (scoped === undefined) return;
      state.avsb = scoped;
      releaseOnEnd(scoped, ctx.res);
    };
    const opened = scope.open(ctx, {
      header: ctx.headers.cookie,
      // Koa's ctx.secure honours app.proxy (X-Forwarded-Proto)
      secure: ctx.secure,
      setCookie: (cookie) => ctx.append('Set-Cookie', cookie),
    });
    if (!isPromise(opened)) {
      attach(opened);
      return next();
    }
    return opened.then((scoped) => {
      attach(scoped);
      return next();
    });
  };
}
