/**
 * Where the server reports what it does. Messages never contain SDK keys or
 * the admin token: a key is reported by its environment and kind.
 */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** The default logger: warnings and errors to stderr, info dropped. */
export const quietLogger: Logger = {
  info: () => {},
  warn: (message) => console.warn(`[avsb] ${message}`),
  error: (message) => console.error(`[avsb] ${message}`),
};
