import type { FetchLike, Logger, Platform } from '@avsb/core';

type Timer = { unref?: () => void };
interface TimerGlobals {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  crypto?: { randomUUID?: () => string };
}

const timers = globalThis as unknown as TimerGlobals;

/** A `fetch` that refuses: `MockAvsbServer` makes no network calls. */
const noFetch: FetchLike = () => Promise.reject(new Error('MockAvsbServer makes no network calls'));

let counter = 0;

/** The platform of `MockAvsbServer`: no network, timers that never keep a process alive on their own. */
export function mockPlatform(logger: Logger): Platform {
  return {
    fetch: noFetch,
    newAbortController: () => {
      const signal = { aborted: false };
      return { signal, abort: () => void (signal.aborted = true) };
    },
    setTimeout: (fn, ms, keepAlive) => {
      const handle = timers.setTimeout(fn, ms);
      if (keepAlive !== true) (handle as Timer)?.unref?.();
      return handle;
    },
    clearTimeout: (handle) => timers.clearTimeout(handle),
    now: () => Date.now(),
    randomId: () => timers.crypto?.randomUUID?.() ?? `mock-${Date.now().toString(36)}-${(counter++).toString(36)}`,
    random: () => Math.random(),
    logger,
  };
}

/** A line `MockAvsbServer` logged. */
export interface LogLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
}

/** A logger that keeps every line and passes it on to `next`, if any. */
export function recordingLogger(lines: LogLine[], next?: Logger): Logger {
  const write = (level: LogLine['level'], message: string): void => {
    lines.push({ level, message });
    try {
      next?.[level](message);
    } catch {
      // a logger must never break the application
    }
  };
  return {
    debug: (m) => write('debug', m),
    info: (m) => write('info', m),
    warn: (m) => write('warn', m),
    error: (m) => write('error', m),
  };
}
