import { randomUUID } from 'node:crypto';
import { MemoryLogger } from '@avsb/test-support';
import type { Logger, Platform } from '../../src/index';

/** A platform over Node's real globals, with a memory logger: injected, never patched. */
export function testPlatform(logger: Logger = new MemoryLogger()): Platform {
  return {
    fetch: (url, init) => fetch(url, init as RequestInit),
    newAbortController: () => new AbortController(),
    setTimeout: (fn, ms, keepAlive) => {
      const t = setTimeout(fn, ms);
      if (!keepAlive) t.unref();
      return t;
    },
    clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
    now: () => Date.now(),
    randomId: () => randomUUID(),
    logger,
  };
}
