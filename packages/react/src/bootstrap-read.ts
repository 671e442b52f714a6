import type { BootstrapValues, BrowserFlagDetail } from '@avsb/browser';
import { fallbackDetail } from '@avsb/browser';

/** The type a hook reads (`json`: any JSON value). */
export type FlagType = 'boolean' | 'string' | 'number' | 'json';

/**
 * A read from bootstrap values alone (on the server, while hydrating, and
 * before the provider's client exists). It is `@avsb/browser`'s own read
 * before its engine loads, not a copy of it, so the server's HTML, the
 * hydrating render and the client's first read cannot drift apart.
 */
export function bootstrapDetail<T>(values: BootstrapValues | null, key: string, defaultValue: T, type: FlagType): BrowserFlagDetail<T> {
  return fallbackDetail(values, false, key, defaultValue, type === 'json' ? null : type);
}

