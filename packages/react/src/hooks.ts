import { useCallback, useRef, useSyncExternalStore } from 'react';
import type { AvsbBrowserClient, BrowserFlagDetail, JsonValue, TrackOptions } from '@avsb/browser';
import type { FlagType } from './bootstrap-read';
import type { FlagStore } from './flag-store';
import { useFlagStore } from './store-context';

/**
 * The value of boolean flag `key` for the provider's context, or
 * `defaultValue` (missing flag, wrong type, nothing loaded yet). The
 * component re-renders when this flag's value changes, and only then.
 *
 * ```ts
 * const checkoutV2 = useBoolFlag('checkout-v2', false);
 * ```
 */
export function useBoolFlag(key: string, defaultValue: boolean): boolean {
  return useFlag(key, defaultValue, 'boolean', false);
}

/** The value of string flag `key`, or `defaultValue`; see {@link useBoolFlag}. */
export function useStringFlag(key: string, defaultValue: string): string {
  return useFlag(key, defaultValue, 'string', false);
}

/** The value of number flag `key`, or `defaultValue`; see {@link useBoolFlag}. */
export function useNumberFlag(key: string, defaultValue: number): number {
  return useFlag(key, defaultValue, 'number', false);
}

/**
 * The value of JSON flag `key`, or `defaultValue`; `T` is the caller's
 * promise about its shape (not checked). The same object is returned
 * until the value changes, so it can be a dependency of `useMemo`/`useEffect`.
 */
export function useJsonFlag<T = JsonValue>(key: string, defaultValue: T): T {
  return useFlag(key, defaultValue, 'json', false);
}

/**
 * The value of flag `key` with its variation index and the reason
 * (`BOOTSTRAP` while the server's values are served, `ERROR` with
 * `CLIENT_NOT_READY` before anything is loaded, …). The type read follows
 * `defaultValue`'s: boolean, string, number, else any JSON value. Re-renders
 * when the flag's value changes.
 */
export function useFlagDetails(key: string, defaultValue: boolean): BrowserFlagDetail<boolean>;
export function useFlagDetails(key: string, defaultValue: string): BrowserFlagDetail<string>;
export function useFlagDetails(key: string, defaultValue: number): BrowserFlagDetail<number>;
export function useFlagDetails<T = JsonValue>(key: string, defaultValue: T): BrowserFlagDetail<T>;
export function useFlagDetails<T>(key: string, defaultValue: T): BrowserFlagDetail<T> {
  const t = typeof defaultValue;
  const type: FlagType = t === 'boolean' || t === 'string' || t === 'number' ? t : 'json';
  return useFlag(key, defaultValue, type, true);
}

/**
 * The provider's `@avsb/browser` client: for `identify`, `waitForReady`,
 * `allFlags`… `null` on the server, while hydrating, and before a provider
 * given client options has created its client (just after the first render).
 */
export function useAvsbClient(): AvsbBrowserClient | null {
  const store = useFlagStore();
  const subscribe = useCallback((onChange: () => void) => store.subscribeClient(onChange), [store]);
  return useSyncExternalStore(subscribe, () => store.client, () => null);
}

/**
 * A function that records a custom event for the provider's context, the
 * same function on every render:
 *
 * ```ts
 * const track = useTrack();
 * <button onClick={() => track('purchase', { value: 149.99 })}>Buy</button>
 * ```
 *
 * Events tracked before the client exists are sent once it does. Never throws.
 */
export function useTrack(): (eventKey: string, options?: TrackOptions) => void {
  const store = useFlagStore();
  return useCallback((eventKey: string, options?: TrackOptions) => store.track(eventKey, options), [store]);
}

function useFlag<T>(key: string, defaultValue: T, type: FlagType, details: false): T;
function useFlag<T>(key: string, defaultValue: T, type: FlagType, details: true): BrowserFlagDetail<T>;
function useFlag<T>(key: string, defaultValue: T, type: FlagType, details: boolean): T | BrowserFlagDetail<T> {
  const store = useFlagStore();
  const last = useRef<Snapshot | null>(null);
  const subscribe = useCallback((onChange: () => void) => store.subscribe(key, onChange, details), [store, key, details]);
  // useSyncExternalStore re-renders when the snapshot is not Object.is the last one: reads return a new object for
  // JSON values and details, so an equal answer hands back the previous object
  const stable = (next: unknown): never => {
    const prev = last.current;
    if (prev !== null && (Object.is(prev.value, next) || (typeof next === 'object' && next !== null && prev.text === JSON.stringify(next)))) {
      return prev.value as never;
    }
    last.current = { value: next, text: typeof next === 'object' && next !== null ? JSON.stringify(next) : null };
    return next as never;
  };
  const read = (s: FlagStore): unknown => (details ? s.readDetail(key, defaultValue, type) : s.readValue(key, defaultValue, type));
  const readServer = (s: FlagStore): unknown => {
    const detail = s.readHydration(key, defaultValue, type);
    return details ? detail : detail.value;
  };
  return useSyncExternalStore(
    subscribe,
    () => stable(read(store)),
    () => stable(readServer(store)),
  );
}

interface Snapshot {
  readonly value: unknown;
  /** The value as JSON when it is an object, to compare the next read by content. */
  readonly text: string | null;
}
