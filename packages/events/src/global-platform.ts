import { globalPlatform } from '@avsb/common';
import type { EventLogger, EventPlatform, EventTransport } from './platform';

// The standard-globals platform, the console logger, ids and unref are defined once, in @avsb/common.
export { consoleLogger, randomId, unrefTimer } from '@avsb/common';
export type { LogLevel } from '@avsb/common';

/** Options of {@link createPlatform}. */
export interface CreatePlatformOptions {
  readonly transport: EventTransport;
  /** Defaults to `consoleLogger()` (level `warn`, keys masked). */
  readonly logger?: EventLogger;
}

/**
 * An {@link EventPlatform} over the standard globals (`setTimeout`,
 * `crypto.randomUUID`, `Date.now`), for Node, browsers, Deno, Bun and
 * workers alike: `globalPlatform()` of `@avsb/common` with a transport.
 * Background timers are `unref`ed where the runtime supports it, so the
 * pipeline never keeps a Node process alive on its own.
 */
export function createPlatform(options: CreatePlatformOptions): EventPlatform {
  const platform = globalPlatform(options.logger === undefined ? {} : { logger: options.logger });
  return { ...platform, transport: options.transport };
}
