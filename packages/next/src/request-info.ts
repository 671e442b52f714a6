import type { AvsbContext } from '@avsb/core';

/**
 * What `contextFrom` receives, in server components, route handlers and the
 * middleware alike: the request's cookies and headers. `NextRequest` has this
 * shape, and so has `{ cookies: await cookies(), headers: await headers() }`
 * of `next/headers`, so one function serves both places.
 */
export interface NextRequestInfo {
  readonly cookies: { get(name: string): { readonly value: string } | undefined };
  readonly headers: { get(name: string): string | null };
}

/**
 * Builds the targeting context of a request, for example from your session
 * cookie: `({ cookies }) => { const user = readSession(cookies.get('session')?.value); return user ? { kind: 'user', key: user.id } : null; }`.
 * Return `null` or `undefined` for an anonymous visitor (kept in the
 * `avsb_uid` cookie); may be `async`.
 */
export type NextContextFrom<Req extends NextRequestInfo = NextRequestInfo> = (
  request: Req,
) => AvsbContext | null | undefined | Promise<AvsbContext | null | undefined>;
