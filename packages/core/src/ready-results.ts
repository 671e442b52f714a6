import type { DataSourceError } from './data-sources/data-source';
import { AvsbReadyError } from './ready-error';
import type { ReadyResult } from './ready-error';

// What a client's readiness wait settles with when no datafile is served: the
// texts say what happened and what to do, the same for every client core.

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
