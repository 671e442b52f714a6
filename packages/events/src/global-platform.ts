import type { EventLogger, EventPlatform, EventTransport, TimerHandle } from './platform';

/** The standard globals this file uses, typed here so the package needs neither DOM nor Node types. */
interface StandardGlobals {
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
  crypto?: { randomUUID?(): string };
  console?: { debug(m: string): void; info(m: string): void; warn(m: string): void; error(m: string): void };
}

const globals = globalThis as unknown as StandardGlobals;

/** Options of {@link createPlatform}. */
export interface CreatePlatformOptions {
  readonly transport: EventTransport;
  /** Defaults to {@link consoleLogger} at level `warn`. */
  readonly logger?: EventLogger;
}

/**
 * An {@link EventPlatform} over the standard globals (`setTimeout`,
 * `crypto.randomUUID`, `Date.now`), for Node, browsers, Deno, Bun and
 * workers alike. Background timers are `unref`ed where the runtime supports it,
 * so the pipeline never keeps a Node process alive on its own.
 */
export function createPlatform(options: CreatePlatformOptions): EventPlatform {
  return {
    transport: options.transport,
    setTimeout: (callback, ms) => globals.setTimeout(callback, ms),
    clearTimeout: (handle) => globals.clearTimeout(handle),
    unrefTimer: unrefTimer,
    now: () => Date.now(),
    random: () => Math.random(),
    randomId: randomId,
    logger: options.logger ?? consoleLogger(),
  };
}

/** Calls `handle.unref()` when the handle has one (Node, Bun, Deno); a no-op elsewhere. */
export function unrefTimer(handle: TimerHandle): void {
  const unref = (handle as { unref?: unknown } | null)?.unref;
  if (typeof unref === 'function') unref.call(handle);
}

/** A UUID from `crypto.randomUUID`, or a random 32-hex-digit id where that is missing. */
export function randomId(): string {
  const uuid = globals.crypto?.randomUUID;
  if (typeof uuid === 'function') return uuid.call(globals.crypto);
  let id = '';
  for (let i = 0; i < 4; i++) id += Math.floor(Math.random() * 0x100000000).toString(16).padStart(8, '0');
  return id;
}

/** Log levels, least severe first. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'none';

const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'none'];

/** A logger over `console` that prints `[avsb] message` at `level` and above (default `warn`). */
export function consoleLogger(level: LogLevel = 'warn', prefix = '[avsb]'): EventLogger {
  const min = LEVELS.indexOf(level);
  const at = (name: Exclude<LogLevel, 'none'>) => (message: string) => {
    if (LEVELS.indexOf(name) >= min) globals.console?.[name](`${prefix} ${message}`);
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
