// The cookie helpers live in `@avsb/node/adapter`, shared by every framework adapter.
export { appendSetCookie, readCookie, serializeCookie } from '@avsb/node/adapter';
export type { SetCookieOptions } from '@avsb/node/adapter';
