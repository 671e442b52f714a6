// Test support: a logger for assertions on what an SDK logged. Structurally the `Logger` of @avsb/core and
// @avsb/common (debug/info/warn/error of one message), so this package imports neither.

/** A log level, lowest first. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const rank: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

/** A logger that keeps every line it is given (already prefixed and masked by the SDK). */
export class MemoryLogger {
  readonly lines: { level: LogLevel; message: string }[] = [];
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
  at(level: LogLevel): string[] {
    return this.lines.filter((l) => rank.indexOf(l.level) >= rank.indexOf(level)).map((l) => l.message);
  }
  /** Every line as `level: message`, for a failure message. */
  get text(): string {
    return this.lines.map((l) => `${l.level}: ${l.message}`).join('\n');
  }
}
