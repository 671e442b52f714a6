/**
 * What keeps an edge isolate working after the response is sent: the
 * `ExecutionContext` of a Cloudflare Worker (`ctx`, or `c.executionCtx` in
 * Hono), the `NextFetchEvent` of Next.js middleware, or
 * `{ waitUntil }` of `@vercel/functions`.
 */
export interface WaitUntilContext {
  waitUntil(promise: Promise<unknown>): void;
}
