/**
 * `@avsb/next/middleware`: Next.js middleware on the edge runtime, with the
 * evaluator (and the full engine for JSON datafiles) from precompiled
 * `WebAssembly.Module`s. See README.md.
 */
import { AvsbEdge } from '@avsb/edge';
import type { AvsbEdgeOptions, ScopedClient } from '@avsb/edge';
import { ANONYMOUS_COOKIE, createRequestScope } from '@avsb/node/adapter';
import type { AnonymousCookieOptions } from '@avsb/node/adapter';
// next has no exports map: Node's ESM loader needs the file's extension
import { NextResponse } from 'next/server.js';
import type { NextFetchEvent, NextRequest } from 'next/server.js';
import type { NextContextFrom } from './request-info';

/** What a middleware handler receives. */
export interface AvsbMiddlewareRequest {
  readonly request: NextRequest;
  /** The visitor's scoped client: typed reads that never throw, and `track`. Closed after the handler. */
  readonly flags: ScopedClient;
  readonly event: NextFetchEvent;
  /**
   * The request headers the page should see, with a new visitor's cookie
   * added: pass them on when you rewrite,
   * `NextResponse.rewrite(url, { request: { headers: requestHeaders } })`.
   */
  readonly requestHeaders: Headers;
}

/**
 * Decides what to do with a request from its flags: a `Response`
 * (`NextResponse.redirect(…)`, `NextResponse.rewrite(…)`) or nothing to let it through.
 */
export type AvsbMiddlewareHandler = (input: AvsbMiddlewareRequest) => Response | undefined | void | Promise<Response | undefined | void>;

/**
 * Options of {@link avsbMiddleware}: those of `AvsbEdge` (`sdkKey`, `wasm`, `fullEngine`, `baseUrl`…) and the
 * request's. `wasm` is `@avsb/next/evaluator` (compiled datafiles) with `fullEngine` `@avsb/next/engine` for a
 * service that answers JSON, or `@avsb/next/engine` alone.
 */
export interface AvsbMiddlewareOptions extends AvsbEdgeOptions {
  /** Builds the context from the request's cookies and headers; default: anonymous visitors (same function as `createAvsbNext`'s). */
  contextFrom?: NextContextFrom<NextRequest>;
  /** The anonymous visitor's cookie (default `avsb_uid`), or `false` for none. */
  cookie?: AnonymousCookieOptions | false;
  /** Your logic: redirect or rewrite by flag. Without it the middleware only keeps the visitor cookie. */
  handler?: AvsbMiddlewareHandler;
}

/** A Next.js middleware function. */
export type NextMiddleware = (request: NextRequest, event: NextFetchEvent) => Promise<Response>;

/**
 * Next.js middleware that evaluates flags on the edge runtime:
 *
 * ```ts
 * // middleware.ts
 * import wasm from '@avsb/next/evaluator';
 * import fullEngine from '@avsb/next/engine';
 * import { avsbMiddleware } from '@avsb/next/middleware';
 * import { NextResponse } from 'next/server';
 *
 * export const middleware = avsbMiddleware({
 *   sdkKey: process.env.AVSB_SDK_KEY,
 *   wasm,
 *   fullEngine,
 *   handler: ({ request, flags }) =>
 *     request.nextUrl.pathname === '/checkout' && flags.getBoolFlag('checkout-v2', false)
 *       ? NextResponse.redirect(new URL('/checkout/v2', request.url))
 *       : undefined,
 * });
 * ```
 *
 * Each request: the datafile (first request of an isolate, or a refresh
 * through `event.waitUntil` once stale), the context from `contextFrom` or
 * the anonymous visitor's cookie — set on the response *and* passed on to
 * the page's request, so server components see the same visitor on the
 * first visit — the handler, and the events sent after the response.
 * `AvsbEdge` is created here, once per isolate; its constructor throws for
 * a missing or client-side key.
 */
export function avsbMiddleware(options: AvsbMiddlewareOptions): NextMiddleware {
  const { contextFrom, cookie, handler, ...edgeOptions } = options;
  const edge = new AvsbEdge(edgeOptions);
  const scope = createRequestScope<NextRequest>(edge, { contextFrom, cookie }, 'avsbMiddleware');
  const cookieName = cookie === false ? null : (cookie?.name ?? ANONYMOUS_COOKIE);

  return async (request, event) => {
    await edge.onReady({ ctx: event });
    const setCookies: string[] = [];
    const scoped = await scope.open(request, {
      header: request.headers.get('cookie') ?? undefined,
      secure: request.nextUrl.protocol === 'https:',
      setCookie: (value) => void setCookies.push(value),
    });
    const requestHeaders = new Headers(request.headers);
    if (setCookies.length > 0 && cookieName !== null && scoped !== undefined) {
      const pair = `${cookieName}=${encodeURIComponent(scoped.context.key as string)}`;
      const previous = request.headers.get('cookie');
      requestHeaders.set('cookie', previous ? `${previous}; ${pair}` : pair);
    }
    let response: Response | undefined | void;
    try {
      if (scoped !== undefined && handler !== undefined) response = await handler({ request, flags: scoped, event, requestHeaders });
    } finally {
      scoped?.close();
      event.waitUntil(edge.flush());
    }
    const out = response ?? NextResponse.next({ request: { headers: requestHeaders } });
    for (const value of setCookies) out.headers.append('set-cookie', value);
    return out;
  };
}

export type { NextContextFrom, NextRequestInfo } from './request-info';
export type { AnonymousCookieOptions } from '@avsb/node/adapter';
