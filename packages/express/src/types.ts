import type { ScopedClient } from '@avsb/core';
import type { AdapterServer, RequestScopeOptions } from '@avsb/node/adapter';
import type { Request as ExpressRequest } from 'express';

/**
 * The key of this build's entry in `Express.AvsbRequestScopes`. The ESM and
 * CommonJS type declarations each declare their own, so a program that loads
 * both (an `.mts` and a `.cts` file importing this package) merges two entries
 * instead of declaring `req.avsb` twice with two different types.
 */
declare const requestScope: unique symbol;

declare global {
  // Express's request type (from @types/express) merges this interface, so
  // `req.avsb` is typed in every handler of an app that uses the middleware.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    /** The type of `req.avsb`, by build of `@avsb/express` (one entry in a program that loads one). */
    interface AvsbRequestScopes {
      [requestScope]: ScopedClient;
    }
    interface Request {
      /** The A vs B client for this request's context (set by `avsbMiddleware`). */
      avsb: AvsbRequestScopes[keyof AvsbRequestScopes];
    }
  }
}

/**
 * The request `contextFrom` receives by default: Express's own `Request`
 * (4 or 5, from `@types/express`), so `req.get()`, `req.query`, `req.ip`,
 * `req.cookies` and whatever the application merges into `Express.Request`
 * (`req.user`) are typed.
 */
export type AvsbExpressRequest = ExpressRequest;

/** What the middleware needs of a request: Express's `Request` (4 or 5) has it. */
export interface AvsbRequest {
  readonly headers: { readonly [name: string]: string | string[] | undefined };
  /** `true` over HTTPS (Express sets it; behind a proxy, see Express's `trust proxy`). */
  readonly secure?: boolean;
}

/** What the middleware needs of a response: Express's `Response` (4 or 5) has it. */
export interface AvsbResponse {
  once(event: 'finish' | 'close', listener: () => void): unknown;
  getHeader(name: string): number | string | string[] | undefined;
  setHeader(name: string, value: string | string[]): unknown;
}

/** Anything with `forUser`, such as `AvsbServer` (`@avsb/node`) or `MockAvsbServer` (`@avsb/testing`). */
export interface AvsbMiddlewareServer extends AdapterServer {}

export type { AnonymousCookieOptions, ContextFrom } from '@avsb/node/adapter';

/**
 * The middleware's options (`contextFrom`, `cookie`, `logger`: the same in
 * every A vs B framework adapter). `Req` is the request type `contextFrom`
 * gets: Express's `Request` by default; pass your own
 * (`avsbMiddleware<MyRequest>(…)`) for a request type the application
 * extends without declaration merging.
 */
export interface AvsbMiddlewareOptions<Req extends AvsbRequest = AvsbExpressRequest> extends RequestScopeOptions<Req> {}

/** The middleware: `app.use(avsbMiddleware(server))`. */
export type AvsbRequestHandler<Req extends AvsbRequest = AvsbExpressRequest> = (
  req: Req,
  res: AvsbResponse,
  next: (error?: unknown) => void,
) => void;
