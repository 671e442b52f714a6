import type { ScopedClient } from '@avsb/core';
import type { AdapterServer, RequestScopeOptions } from '@avsb/node/adapter';
import type { DefaultContext, DefaultState, ParameterizedContext } from 'koa';

/**
 * What the middleware adds to `ctx.state`. `app.use(avsbMiddleware(server))`
 * returns an application whose state type includes it, so `ctx.state.avsb` is
 * typed in the middleware used after it; for routers, `new Router<AvsbState>()`.
 */
export interface AvsbState {
  /** The A vs B client for this request's context (set by `avsbMiddleware`). */
  avsb: ScopedClient;
}

/** Anything with `AvsbServer`'s surface: `AvsbServer` (`@avsb/node`) or `MockAvsbServer` (`@avsb/testing`). */
export interface AvsbMiddlewareServer extends AdapterServer {}

/**
 * The middleware's options. `contextFrom` receives Koa's own context
 * (`ctx.state.user` from koa-passport or koa-jwt, `ctx.get()`, `ctx.cookies`…).
 */
export interface AvsbMiddlewareOptions<State = DefaultState, Context = DefaultContext>
  extends RequestScopeOptions<ParameterizedContext<State, Context>> {}
