import { randomUUID } from 'node:crypto';
import type { Logger, Platform } from '../src/index';

/** A logger that keeps what it was given, for assertions. */
export class MemoryLogger implements Logger {
  readonly lines: { level: string; message: string }[] = [];
  debug(message: string): void {
    this.lines.push({ level: 'debug', message });
  }
  info(message: string): void {
    this.lines.push({ level: 'info', message });
  }
  warn(message: string): void {
    this.lines.push({ level: 'warn', message });
  }
  error(message: string): void {
    this.lines.push({ level: 'error', message });
  }
  /** Messages at `level` or above. */
  at(level: 'debug' | 'info' | 'warn' | 'error'): string[] {
    const rank = ['debug', 'info', 'warn', 'error'];
    return this.lines.filter((l) => rank.indexOf(l.level) >= rank.indexOf(level)).map((l) => l.message);
  }
}

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
