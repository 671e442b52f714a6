/**
 * `@avsb/express`: the Express middleware of A vs B. See README.md.
 */
export { ANONYMOUS_COOKIE, avsbMiddleware } from './middleware';
export { contextProblem } from './context-problem';
export type {
  AnonymousCookieOptions,
  AvsbExpressRequest,
  AvsbMiddlewareOptions,
  AvsbMiddlewareServer,
  AvsbRequest,
  AvsbRequestHandler,
  AvsbResponse,
  ContextFrom,
} from './types';
export type { AvsbContext, ScopedClient } from '@avsb/core';
