import type { ScopedClient } from '@avsb/core';
import { createRequestScope, releaseOnEnd } from '@avsb/node/adapter';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { AvsbPluginOptions } from './types';

const HOOKS = new Set(['onRequest', 'preValidation', 'preHandler']);

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function';
}

function avsb(app: FastifyInstance, options: AvsbPluginOptions, done: (error?: Error) => void): void {
  try {
    setUp(app, options);
  } catch (e) {
    // a wrong set-up fails app.ready() / app.listen() with the message
    done(e as Error);
    return;
  }
  done();
}

function setUp(app: FastifyInstance, options: AvsbPluginOptions): void {
  const server = options?.server;
  const scope = createRequestScope<FastifyRequest>(server, options, 'avsbPlugin');
  const hook = options.hook ?? 'onRequest';
  if (!HOOKS.has(hook)) throw new TypeError(`avsbPlugin: hook must be 'onRequest', 'preValidation' or 'preHandler', not ${String(hook)}`);

  // null, not an object: Fastify 5 refuses reference types as request decorators (they would be shared)
  app.decorateRequest('avsb', null as unknown as ScopedClient);

  const attach = (request: FastifyRequest, reply: FastifyReply, scoped: ScopedClient | undefined): void => {
    if (scoped === undefined) return;
    request.avsb = scoped;
    releaseOnEnd(scoped, reply.raw);
  };

  app.addHook(hook, (request: FastifyRequest, reply: FastifyReply, next: (error?: Error) => void) => {
    const opened = scope.open(request, {
      header: request.headers.cookie,
      secure: request.protocol === 'https',
      setCookie: (cookie) => void reply.header('set-cookie', cookie),
    });
    if (!isPromise(opened)) {
      attach(request, reply, opened);
      next();
      return;
    }
    opened.then((scoped) => {
      attach(request, reply, scoped);
      next();
    }, next);
  });

  if (options.closeOnShutdown !== false && typeof server.close === 'function') {
    // Fastify runs onClose after the server stopped taking requests: the events they tracked are flushed here
    app.addHook('onClose', async () => {
      await server.close?.();
    });
  }
}

/**
 * The Fastify plugin of A vs B: every request gets `request.avsb`, a client
 * scoped to that request's context.
 *
 * ```ts
 * await app.register(avsbPlugin, { server, contextFrom: (request) => (request.user ? { kind: 'user', key: request.user.id } : null) });
 * app.get('/checkout', async (request) => ({ showNewCheckout: request.avsb.getBoolFlag('checkout-v2', false) }));
 * ```
 *
 * The context is built once per request in the `onRequest` hook (option
 * `hook`). Without `contextFrom`, or when it returns `null`, the visitor is
 * anonymous, with a random id kept in an HttpOnly `avsb_uid` cookie. A
 * `contextFrom` that throws, rejects or returns an invalid context is logged
 * once per kind of problem and the request goes on anonymously. The scoped
 * client is closed when the response finishes or the connection closes, and
 * the server is closed (events flushed) when Fastify closes. Registered with
 * `fastify-plugin`, so `request.avsb` is there in every encapsulated context.
 */
export const avsbPlugin = fp<AvsbPluginOptions>(avsb, { fastify: '5.x', name: '@avsb/fastify' });
