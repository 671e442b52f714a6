import type { AvsbContext, Logger, ScopedClient } from '@avsb/core';
import { LogOnce, consoleLogger, describeError, levelLogger, shownOptionValue } from '@avsb/core';
import { contextProblem } from './context-problem';
import { readCookie, serializeCookie } from './cookies';
import type { AdapterServer, RequestCookies, RequestScopeOptions } from './types';

/** The anonymous visitor's cookie name. */
export const ANONYMOUS_COOKIE = 'avsb_uid';

const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;
const VISITOR_ID = /^[A-Za-z0-9_-]{8,128}$/;

type MaybeContext = AvsbContext | null | undefined;

/**
 * One adapter's per-request logic, the same in every framework: the
 * context from `contextFrom` (sync or async), its validation, the anonymous
 * visitor kept in a cookie, and problems logged once instead of failing the
 * request.
 */
export interface RequestScope<Req> {
  /** The logger the adapter writes to (prefixed `[avsb]`). */
  readonly logger: Logger;
  /**
   * The request's scoped client: returned at once when `contextFrom` is
   * synchronous (or absent), as a promise when it returns one. Never throws
   * or rejects; `undefined` only when `server.forUser` itself threw (logged).
   * The caller closes the client when the request ends ({@link releaseOnEnd}).
   */
  open(req: Req, cookies: RequestCookies): ScopedClient | undefined | Promise<ScopedClient | undefined>;
}

function isThenable(value: unknown): value is PromiseLike<MaybeContext> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function';
}

/** A framework's request or context object handed to the factory itself: Node's request, Koa's `ctx`, Hono's `c`. */
function looksLikeRequest(value: unknown): boolean {
  return typeof value === 'object' && value !== null && ('headers' in value || 'request' in value || 'req' in value);
}

// RFC 6265: a cookie name is a token; a path or domain attribute value holds no `;` and no control character
const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const ATTRIBUTE_TEXT = /^[^;\x00-\x1f\x7f]*$/;

/**
 * What is wrong with the `cookie` option, or `null`: checked at start-up, since each mistake once showed only in
 * browsers (`maxAgeSeconds: '1 year'` wrote `Max-Age=NaN`, a session cookie; `secure: 'false'` set `Secure`, which
 * a browser drops over http; a name with a space made an invalid header), every anonymous visit a new visitor.
 */
function cookieOptionsProblem(cookie: unknown): string | null {
  if (cookie === undefined || cookie === false) return null;
  if (typeof cookie !== 'object' || cookie === null || Array.isArray(cookie)) {
    return `cookie must be an object such as { name: '${ANONYMOUS_COOKIE}', maxAgeSeconds: ${ONE_YEAR_SECONDS} } or false, not ${shownOptionValue(cookie)}`;
  }
  const { name, maxAgeSeconds, path, domain, secure } = cookie as Record<string, unknown>;
  if (name !== undefined && !(typeof name === 'string' && COOKIE_NAME.test(name))) {
    return `cookie.name must be a cookie name (letters, digits and !#$%&'*+-.^_\`|~), not ${shownOptionValue(name)}`;
  }
  if (maxAgeSeconds !== undefined && !(typeof maxAgeSeconds === 'number' && maxAgeSeconds >= 0 && Number.isFinite(maxAgeSeconds))) {
    return `cookie.maxAgeSeconds must be a number of seconds (0 or more) such as ${ONE_YEAR_SECONDS}, not ${shownOptionValue(maxAgeSeconds)}`;
  }
  if (path !== undefined && !(typeof path === 'string' && path.startsWith('/') && ATTRIBUTE_TEXT.test(path))) {
    return `cookie.path must be a path starting with / without ; or control characters, not ${shownOptionValue(path)}`;
  }
  if (domain !== undefined && !(typeof domain === 'string' && domain !== '' && !/\s/.test(domain) && ATTRIBUTE_TEXT.test(domain))) {
    return `cookie.domain must be a domain name without ;, spaces or control characters, not ${shownOptionValue(domain)}`;
  }
  if (secure !== undefined && secure !== true && secure !== false && secure !== 'auto') {
    return `cookie.secure must be true, false or 'auto', not ${shownOptionValue(secure)}`;
  }
  return null;
}

function errorName(e: unknown): string {
  if (e instanceof Error) return e.name || 'Error';
  return e === null ? 'null' : typeof e;
}

// the console without `node:` imports, so edge runtimes can load this module
/**
 * The shared per-request logic of the framework adapters (`@avsb/express`,
 * `@avsb/fastify`, `@avsb/koa`, `@avsb/hono`, `@avsb/nestjs`). `name` is
 * how the adapter's entry point is called in messages (`avsbMiddleware`).
 * Checks its arguments at once, so a wrong set-up fails at start-up.
 */
export function createRequestScope<Req>(
  server: AdapterServer,
  options: RequestScopeOptions<Req> = {},
  name = 'avsbMiddleware',
): RequestScope<Req> {
  if (typeof server?.forUser !== 'function') {
    // `app.use(avsbMiddleware)`: the framework calls the factory with its request (Express's req, Koa's ctx, Hono's c)
    if (looksLikeRequest(server)) {
      throw new TypeError(`${name}(server) was given a request, not the server: register the middleware it returns, called once at start-up: app.use(${name}(server))`);
    }
    throw new TypeError(`${name}(server): pass the AvsbServer (or MockAvsbServer) created at start-up`);
  }
  const contextFrom = options.contextFrom;
  if (contextFrom !== undefined && typeof contextFrom !== 'function') {
    throw new TypeError(`${name}: contextFrom must be a function (req) => context`);
  }
  const logger =
    options.logger !== undefined ? levelLogger(options.logger) : (server.logger ?? consoleLogger('info'));
  const logOnce = new LogOnce(logger, 100);
  const cookieProblem = cookieOptionsProblem(options.cookie);
  if (cookieProblem !== null) throw new TypeError(`${name}: ${cookieProblem}`);
  const cookie = options.cookie === false ? null : (options.cookie ?? {});
  const cookieName = cookie?.name ?? ANONYMOUS_COOKIE;

  const anonymous = (cookies: RequestCookies): AvsbContext => {
    let key = cookie === null ? undefined : readCookie(cookies.header, cookieName);
    if (key === undefined || !VISITOR_ID.test(key)) {
      // Web Crypto's randomUUID: global in Node 20+ and on edge runtimes
      key = globalThis.crypto.randomUUID();
      if (cookie !== null) {
        const secure = cookie.secure === undefined || cookie.secure === 'auto' ? cookies.secure : cookie.secure;
        const header = serializeCookie(cookieName, key, {
          maxAgeSeconds: cookie.maxAgeSeconds ?? ONE_YEAR_SECONDS,
          path: cookie.path ?? '/',
          domain: cookie.domain,
          secure,
        });
        try {
          cookies.setCookie(header);
        } catch (e) {
          logOnce.log('warn', 'cookie', `${name} could not set the ${cookieName} cookie (${describeError(e)}); anonymous visitors get a new id per request`);
        }
      }
    }
    return { kind: 'user', key, anonymous: true };
  };

  const fallback = (kind: string, problem: string): void => {
    logOnce.log(
      'warn',
      kind,
      `${name}: ${problem}; the request continues with the anonymous context (logged once for each kind of problem)`,
    );
  };

  const accept = (value: MaybeContext): AvsbContext | null => {
    if (value === null || value === undefined) return null;
    const problem = contextProblem(value);
    if (problem === null) return value;
    fallback(`invalid:${problem}`, `contextFrom returned an invalid context (${problem})`);
    return null;
  };

  const scoped = (context: AvsbContext | null, cookies: RequestCookies): ScopedClient | undefined => {
    try {
      return server.forUser(context ?? anonymous(cookies));
    } catch (e) {
      // forUser never throws in the SDKs; a custom server might
      logOnce.log('error', `forUser:${errorName(e)}`, `${name}: server.forUser failed: ${describeError(e)}`);
      return undefined;
    }
  };

  return {
    logger,
    open(req, cookies) {
      let value: MaybeContext | PromiseLike<MaybeContext> = null;
      if (contextFrom !== undefined) {
        try {
          value = contextFrom(req);
        } catch (e) {
          fallback(`threw:${errorName(e)}`, `contextFrom threw ${errorName(e)}: ${describeError(e)}`);
          value = null;
        }
      }
      if (!isThenable(value)) return scoped(accept(value), cookies);
      return Promise.resolve(value).then(
        (resolved) => scoped(accept(resolved), cookies),
        (e: unknown) => {
          fallback(`rejected:${errorName(e)}`, `contextFrom rejected with ${errorName(e)}: ${describeError(e)}`);
          return scoped(null, cookies);
        },
      );
    },
  };
}

/** A Node response (`ServerResponse`, Express's, Koa's `ctx.res`, Fastify's `reply.raw`). */
export interface EndingResponse {
  once(event: 'finish' | 'close', listener: () => void): unknown;
}

/**
 * Closes `scoped` (freeing its engine context) once the response finishes or
 * the connection closes, whichever comes first. Returns the release function,
 * safe to call more than once.
 */
export function releaseOnEnd(scoped: ScopedClient, res: EndingResponse): () => void {
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    scoped.close();
  };
  res.once('finish', release);
  res.once('close', release);
  return release;
}
