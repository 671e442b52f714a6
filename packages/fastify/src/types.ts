import type { ScopedClient } from '@avsb/core';
import type { AdapterServer, RequestScopeOptions } from '@avsb/node/adapter';
import type { FastifyRequest } from 'fastify';

/**
 * The key of this build's entry in `AvsbRequestScopes`. The ESM and CommonJS
 * declarations each declare their own, so a program that loads both merges
 * two entries instead of declaring `request.avsb` twice with two types.
 */
declare const requestScope: unique symbol;

declare module 'fastify' {
  /** The type of `request.avsb`, by build of `@avsb/fastify` (one entry in a program that loads one). */
  interface AvsbRequestScopes {
    [requestScope]: ScopedClient;
  }
  // Fastify's declaration merging: `request.avsb` is typed in every route of an app that registers the plugin.
  interface FastifyRequest {
    /** The A vs B client for this request's context (set by `avsbPlugin`). */
    avsb: AvsbRequestScopes[keyof AvsbRequestScopes];
  }
}

/** Anything with `AvsbServer`'s surface: `AvsbServer` (`@avsb/node`) or `MockAvsbServer` (`@avsb/testing`). */
export interface AvsbPluginServer extends AdapterServer {}

/** The Fastify hooks the plugin can build `request.avsb` in. */
export type AvsbPluginHook = 'onRequest' | 'preValidation' | 'preHandler';

/**
 * The plugin's options: `app.register(avsbPlugin, { server, contextFrom })`.
 * `contextFrom` receives Fastify's own `FastifyRequest` (with whatever your
 * other plugins decorate it with, such as `request.user`).
 */
export interface AvsbPluginOptions extends RequestScopeOptions<FastifyRequest> {
  /** The `AvsbServer` created at start-up (or a `MockAvsbServer` in tests). */
  server: AvsbPluginServer;
  /**
   * The hook that builds `request.avsb`. Default `'onRequest'`, so every later
   * hook and the handler can read flags. Use `'preHandler'` when
   * `contextFrom` needs what an authentication `preValidation`/`preHandler`
   * hook or the parsed body provides.
   */
  hook?: AvsbPluginHook;
  /**
   * Close the server (flushing its events) when Fastify closes (`app.close()`,
   * which also runs on `fastify-graceful-shutdown`-style signal handling).
   * Default `true`; pass `false` for a server shared with other apps.
   */
  closeOnShutdown?: boolean;
}
