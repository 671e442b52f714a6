import { randomUUID } from 'node:crypto';
import type { AvsbContext, Logger, ScopedClient } from '@avsb/core';
import { LogOnce, levelLogger } from '@avsb/core';
import { contextProblem } from './context-problem';
import { appendSetCookie, readCookie, serializeCookie } from './cookies';
import type { AvsbExpressRequest, AvsbMiddlewareOptions, AvsbMiddlewareServer, AvsbRequest, AvsbRequestHandler, AvsbResponse } from './types';

/** The anonymous visitor's cookie name. */
export const ANONYMOUS_COOKIE = 'avsb_uid';

const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;
const VISITOR_ID = /^[A-Za-z0-9_-]{8,128}$/;

type MaybeContext = AvsbContext | null | undefined;

function isThenable(value: unknown): value is PromiseLike<MaybeContext> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function';
}

function errorName(e: unknown): string {
  if (e instanceof Error) return e.name || 'Error';
  return e === null ? 'null' : typeof e;
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function consoleLogger(): Logger {
  return {
    debug: (m) => console.debug(m),
    info: (m) => console.info(m),
    warn: (m) => console.warn(m),
    error: (m) => console.error(m),
  };
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
  if (typeof server?.forUser !== 'function') {
    throw new TypeError('avsbMiddleware(server): pass the AvsbServer (or MockAvsbServer) created at start-up');
  }
  const contextFrom = options.contextFrom;
  if (contextFrom !== undefined && typeof contextFrom !== 'function') {
    throw new TypeError('avsbMiddleware: contextFrom must be a function (req) => context');
  }
  const logger =
    options.logger !== undefined
      ? levelLogger(options.logger)
      : server.logger !== undefined
        ? server.logger
        : levelLogger(consoleLogger());
  const logOnce = new LogOnce(logger, 100);
  const cookie = options.cookie === false ? null : (options.cookie ?? {});
  const cookieName = cookie?.name ?? ANONYMOUS_COOKIE;

  const anonymous = (req: Req, res: AvsbResponse): AvsbContext => {
    let key = cookie === null ? undefined : readCookie(req.headers.cookie, cookieName);
    if (key === undefined || !VISITOR_ID.test(key)) {
      key = randomUUID();
      if (cookie !== null) {
        const secure = cookie.secure === undefined || cookie.secure === 'auto' ? req.secure === true : cookie.secure;
        const header = serializeCookie(cookieName, key, {
          maxAgeSeconds: cookie.maxAgeSeconds ?? ONE_YEAR_SECONDS,
          path: cookie.path ?? '/',
          domain: cookie.domain,
          secure,
        });
        try {
          appendSetCookie(res, header);
        } catch (e) {
          logOnce.log('warn', 'cookie', `avsbMiddleware could not set the ${cookieName} cookie (${errorMessage(e)}); anonymous visitors get a new id per request`);
        }
      }
    }
    return { kind: 'user', key, anonymous: true };
  };

  const fallback = (kind: string, problem: string): void => {
    logOnce.log(
      'warn',
      kind,
      `avsbMiddleware: ${problem}; the request continues with the anonymous context ` +
        '(logged once for each kind of problem)',
    );
  };

  const accept = (value: MaybeContext): AvsbContext | null => {
    if (value === null || value === undefined) return null;
    const problem = contextProblem(value);
    if (problem === null) return value;
    fallback(`invalid:${problem}`, `contextFrom returned an invalid context (${problem})`);
    return null;
  };

  const attach = (req: Req, res: AvsbResponse, context: AvsbContext | null): void => {
    let scoped: ScopedClient;
    try {
      scoped = server.forUser(context ?? anonymous(req, res));
    } catch (e) {
      // forUser never throws in the SDKs; a custom server might
      logOnce.log('error', `forUser:${errorName(e)}`, `avsbMiddleware: server.forUser failed: ${errorMessage(e)}`);
      return;
    }
    (req as unknown as { avsb: ScopedClient }).avsb = scoped;
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      scoped.close();
    };
    res.once('finish', release);
    res.once('close', release);
  };

  return (req, res, next) => {
    if ((req as unknown as { avsb?: unknown }).avsb !== undefined) {
      next();
      return;
    }
    let value: MaybeContext | PromiseLike<MaybeContext> = null;
    if (contextFrom !== undefined) {
      try {
        value = contextFrom(req);
      } catch (e) {
        fallback(`threw:${errorName(e)}`, `contextFrom threw ${errorName(e)}: ${errorMessage(e)}`);
        value = null;
      }
    }
    if (!isThenable(value)) {
      attach(req, res, accept(value));
      next();
      return;
    }
    Promise.resolve(value)
      .then(
        (resolved) => accept(resolved),
        (e: unknown) => {
          fallback(`rejected:${errorName(e)}`, `contextFrom rejected with ${errorName(e)}: ${errorMessage(e)}`);
          return null;
        },
      )
      .then((context) => {
        attach(req, res, context);
        next();
      })
      .catch((e: unknown) => next(e));
  };
}
