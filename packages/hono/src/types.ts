import type { ScopedClient } from '@avsb/core';
import type { AdapterServer, RequestScopeOptions } from '@avsb/node/adapter';
import type { Context, Env } from 'hono';

/** The variables the middleware sets: `c.get('avsb')` / `c.var.avsb`. */
export interface AvsbVariables {
  /** The A vs B client for this request's context (set by `avsbMiddleware`). */
  avsb: ScopedClient;
}

/**
 * The middleware's `Env`: `app.use(avsbMiddleware(server))` returns an app
 * whose handlers read `c.get('avsb')` typed; for routes declared apart,
 * `new Hono<AvsbEnv>()`.
 */
export interface AvsbEnv {
  Variables: AvsbVariables;
}

/** Anything with `AvsbServer`'s surface: `AvsbServer` (`@avsb/node`), `MockAvsbServer` (`@avsb/testing`) or, on edge runtimes, `AvsbEdge` (`@avsb/edge`). */
export interface AvsbMiddlewareServer extends AdapterServer {}

/**
 * The middleware's options. `contextFrom` receives Hono's own `Context`
 * (`c.req`, `c.get('user')` from your auth middleware, `c.env` bindings).
 */
export interface AvsbMiddlewareOptions<E extends Env = Env> extends RequestScopeOptions<Context<E>> {}
