/**
 * `@avsb/next`: A vs B for the Next.js App Router, on the server (Node
 * runtime). The client provider is `@avsb/next/client`; the edge middleware
 * `@avsb/next/middleware`. See README.md.
 */
export { createAvsbNext } from './avsb-next';
export type { AvsbClientProps, AvsbNext, AvsbNextOptions } from './avsb-next';
export { browserContext } from './browser-context';
export type { NextContextFrom, NextRequestInfo } from './request-info';
export { ANONYMOUS_COOKIE } from '@avsb/node/adapter';
export type { AnonymousCookieOptions } from '@avsb/node/adapter';
export type { AvsbContext, JsonValue, ScopedClient } from '@avsb/core';
export type { BootstrapValues } from '@avsb/browser';
