import type { FetchLike, Logger, Platform } from '@avsb/core';
import { globalPlatform } from '@avsb/core';
import { nodeHttpFetch } from './node-http-fetch';

/** Where undici (Node's fetch, or the `undici` package) keeps the dispatcher `setGlobalDispatcher` installs. */
const UNDICI_DISPATCHER = Symbol.for('undici.globalDispatcher.1');

/**
 * The `Platform` of `@avsb/common` on Node: `globalPlatform()` with the
 * requests of {@link defaultNodeFetch} unless the application passes its own
 * `fetch`; timers that do not keep the process alive unless `keepAlive`,
 * clamped to 2^31−1 ms, since Node fires a longer one after 1 ms; and
 * `crypto.randomUUID` of `node:crypto` for ids, reached when the first id is
 * made: an ESM `import` of `node:crypto` cost every `import('@avsb/node')`
 * about 2 ms (Node builds a module record of all its exports and loads its
 * streams), `process.getBuiltinModule` (Node 20.16+; the engines floor is
 * 20.19) costs 0.2 ms, and only when used. `AvsbServer` gives the same
 * platform to its data source and its event pipeline.
 */
export function createNodePlatform(logger: Logger, fetchImpl?: FetchLike): Platform {
  const platform = globalPlatform({ logger, fetch: fetchImpl ?? defaultNodeFetch });
  return { ...platform, randomId: () => process.getBuiltinModule('node:crypto').randomUUID() };
}

/**
 * The SDK's requests by default: over `node:http`/`node:https`
 * ({@link nodeHttpFetch}), which spares a cold start loading Node's fetch
 * implementation; but through the global `fetch` wherever the application
 * configured that one, decided on each request: an undici global dispatcher
 * is installed (`setGlobalDispatcher`, such as a `ProxyAgent`; Node's fetch
 * also installs its default one on its first call, and then loading it is
 * paid for anyway) or Node is told to route fetch through `HTTP_PROXY`
 * (`NODE_USE_ENV_PROXY`, `--use-env-proxy`).
 */
export const defaultNodeFetch: FetchLike = (url, init) =>
  usesConfiguredFetch() ? (globalThis.fetch as unknown as FetchLike)(url, init) : nodeHttpFetch(url, init);

function usesConfiguredFetch(): boolean {
  if ((globalThis as Record<symbol, unknown>)[UNDICI_DISPATCHER] !== undefined) return true;
  const env = process.env.NODE_USE_ENV_PROXY;
  if (env !== undefined && env !== '' && env !== '0') return true;
  return process.execArgv.includes('--use-env-proxy') || (process.env.NODE_OPTIONS ?? '').includes('--use-env-proxy');
}
