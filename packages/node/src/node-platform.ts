import { randomUUID } from 'node:crypto';
import type { FetchLike, Logger, Platform } from '@avsb/core';
import { globalPlatform } from '@avsb/core';

/**
 * The `Platform` of `@avsb/common` on Node: `globalPlatform()` (the global
 * `fetch`, looked up on the first request, never before, so loading the SDK
 * does not load Node's fetch implementation; timers that do not keep the
 * process alive unless `keepAlive`, clamped to 2^31−1 ms, since Node fires a
 * longer one after 1 ms) with `crypto.randomUUID` of `node:crypto` for ids.
 * `AvsbServer` gives the same platform to its data source and its event
 * pipeline.
 */
export function createNodePlatform(logger: Logger, fetchImpl?: FetchLike): Platform {
  const platform = globalPlatform(fetchImpl === undefined ? { logger } : { logger, fetch: fetchImpl });
  return { ...platform, randomId: () => randomUUID() };
}
