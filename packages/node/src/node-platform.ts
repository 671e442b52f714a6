import type { FetchLike, Logger, Platform } from '@avsb/core';
import { globalPlatform } from '@avsb/core';

/**
 * The `Platform` of `@avsb/common` on Node: `globalPlatform()` (the global
 * `fetch`, looked up on the first request, never before, so loading the SDK
 * does not load Node's fetch implementation; timers that do not keep the
 * process alive unless `keepAlive`, clamped to 2^31−1 ms, since Node fires a
 * longer one after 1 ms) with `crypto.randomUUID` of `node:crypto` for ids,
 * reached when the first id is made: an ESM `import` of `node:crypto` cost
 * every `import('@avsb/node')` about 2 ms (Node builds a module record of
 * all its exports and loads its streams), `process.getBuiltinModule` (Node
 * 20.16+; the engines floor is 20.19) costs 0.2 ms, and only when used.
 * `AvsbServer` gives the same platform to its data source and its event
 * pipeline.
 */
export function createNodePlatform(logger: Logger, fetchImpl?: FetchLike): Platform {
  const platform = globalPlatform(fetchImpl === undefined ? { logger } : { logger, fetch: fetchImpl });
  return { ...platform, randomId: () => process.getBuiltinModule('node:crypto').randomUUID() };
}
