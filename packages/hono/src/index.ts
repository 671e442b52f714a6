/**
 * `@avsb/hono`: the Hono middleware of A vs B. See README.md.
 */
export { avsbMiddleware } from './middleware';
export { ANONYMOUS_COOKIE, contextProblem } from '@avsb/node/adapter';
export type { AnonymousCookieOptions, ContextFrom } from '@avsb/node/adapter';
export type { AvsbEnv, AvsbMiddlewareOptions, AvsbMiddlewareServer, AvsbVariables } from './types';
export type { AvsbContext, ScopedClient } from '@avsb/core';
