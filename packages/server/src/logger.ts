import { consoleLogger } from '@avsb/common';
import type { Logger as SdkLogger } from '@avsb/common';

/**
 * Where the server reports what it does: the `Logger` of `@avsb/common`
 * without `debug` (the server writes none). Messages never contain SDK keys
 * or the admin token: a key is reported by its environment and kind.
 */
export type Logger = Pick<SdkLogger, 'info' | 'warn' | 'error'>;

/** The default logger: warnings and errors to stderr, `[avsb] ` first and keys masked; info dropped. */
export const quietLogger: Logger = consoleLogger('warn');
