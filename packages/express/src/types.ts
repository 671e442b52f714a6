import type { AvsbContext, Logger, ScopedClient } from '@avsb/core';
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
export interface AvsbMiddlewareServer {
  forUser(context: AvsbContext): ScopedClient;
  /** Where the SDK logs; the middleware logs there too when present. */
  readonly logger?: Logger;
}

/**
 * Builds the context of a request: `(req) => ({ kind: 'user', key: req.user.id, plan: req.user.plan })`.
 * Return `null` or `undefined` for the anonymous context; may be `async`.
 */
export type ContextFrom<Req> = (req: Req) => AvsbContext | null | undefined | Promise<AvsbContext | null | undefined>;

/** The anonymous visitor's cookie. */
export interface AnonymousCookieOptions {
  /** Default `avsb_uid`. */
  name?: string;
  /** Default one year (31 536 000). */
  maxAgeSeconds?: number;
  /** Default `/`. */
  path?: string;
  /** Default: none (the host that answered). */
  domain?: string;
  /** `Secure` attribute: `'auto'` (the default) sets it on HTTPS requests (`req.secure`). */
  secure?: boolean | 'auto';
}

/**
 * The middleware's options. `Req` is the request type `contextFrom` gets:
 * Express's `Request` by default; pass your own (`avsbMiddleware<MyRequest>(…)`)
 * for a request type the application extends without declaration merging.
 */
export interface AvsbMiddlewareOptions<Req extends AvsbRequest = AvsbExpressRequest> {
  /**
   * Builds the targeting context from the request; called once per request.
   * Without it (or when it returns `null`/`undefined`) the context is
   * anonymous: `{ kind: 'user', key: <visitor id>, anonymous: true }`. If it
   * throws, rejects or returns an invalid context, that is logged once per
   * kind of problem and the request goes on with the anonymous context.
   */
  contextFrom?: ContextFrom<Req>;
  /**
   * The cookie that keeps an anonymous visitor's id across requests (so an
   * experiment counts a visitor once), or `false` for none: then every
   * anonymous request is a new visitor.
   */
  cookie?: AnonymousCookieOptions | false;
  /** Where to log; default the server's logger, else the console. */
  logger?: Logger;
}

/** The middleware: `app.use(avsbMiddleware(server))`. */
export type AvsbRequestHandler<Req extends AvsbRequest = AvsbExpressRequest> = (
  req: Req,
  res: AvsbResponse,
  next: (error?: unknown) => void,
) => void;
