import type { DataSourceError } from './data-sources/data-source';
import type { PageStore } from './page-store';
import type { Logger } from './platform';
import { AvsbReadyError } from './ready-error';
import type { ReadyResult } from './ready-error';

// What a client core says about its data source: a problem in the log, a
// refused key and a wait that timed out, in texts that say what happened and
// what to do: the same for a server's `ClientCoreBase` and a page's `PageCore`.

/**
 * Logs a problem of the data source (not a refused key) with what is served
 * meanwhile: at `warn` the first time since the source last worked (`warned`
 * remembers; clear it when it works), at `debug` when repeated.
 */
export function logSourceProblem(logger: Logger, warned: Set<string>, error: DataSourceError, store: PageStore): void {
  const serving = store.ready ? `serving revision ${store.revision ?? '(none)'}` : 'serving flag defaults';
  const text = `${error.message}; ${serving} and retrying`;
  // at most 20 distinct problems at `warn` until the source works again; more go to `debug`
  if (warned.has(error.message) || warned.size >= 20) {
    logger.debug(text);
  } else {
    warned.add(error.message);
    logger.warn(text);
  }
}

/** `{ ready: false }` after waiting `timeoutMs` for a first datafile; `last` is the data source's last problem. */
export function notReadyInTime(timeoutMs: number, last: DataSourceError | null): ReadyResult {
  return {
    ready: false,
    error: new AvsbReadyError(
      'timeout',
      `A vs B: no datafile within ${timeoutMs} ms${last ? ` (last problem: ${last.message})` : ''}; ` +
        'flag reads return their defaults (reason CLIENT_NOT_READY) while the SDK keeps trying in the background',
      last,
    ),
  };
}

/** The error of a key the service refused (401/403); `keyHelp` says which key to use instead. */
export function refusedKey(error: DataSourceError, keyHelp: string): AvsbReadyError {
  return new AvsbReadyError(
    'unauthorized',
    `A vs B refused the SDK key (HTTP ${error.status ?? 401}): ${keyHelp}. ` + 'Flag reads return their defaults; the SDK does not retry with this key.',
    error,
  );
}
