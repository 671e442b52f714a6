/**
 * `@avsb/node/adapter`: the per-request logic shared by the framework
 * adapters (`@avsb/express`, `@avsb/fastify`, `@avsb/koa`, `@avsb/hono`,
 * `@avsb/nestjs`), for writing another. No `node:` imports: it runs on edge
 * runtimes too. See README.md ("Writing a framework adapter").
 */
export { ANONYMOUS_COOKIE, createRequestScope, releaseOnEnd } from './request-scope';
export type { EndingResponse, RequestScope } from './request-scope';
export { contextProblem } from './context-problem';
export { appendSetCookie, readCookie, serializeCookie } from './cookies';
export type { HeaderTarget, SetCookieOptions } from './cookies';
export type { AdapterServer, AnonymousCookieOptions, ContextFrom, RequestCookies, RequestScopeOptions } from './types';
export type { AvsbContext, Logger, ScopedClient } from '@avsb/core';
