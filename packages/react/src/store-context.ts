import { createContext, useContext } from 'react';
import { FlagStore } from './flag-store';

/** Hooks outside any `<AvsbProvider>` read from this: no client, no bootstrap values, so every read is the caller's default. */
const NO_PROVIDER = new FlagStore(null, null);

/** @internal The provider's store, as React context. */
export const StoreContext = createContext<FlagStore>(NO_PROVIDER);

let warnedNoProvider = false;

/** @internal The store of the nearest `<AvsbProvider>`. */
export function useFlagStore(): FlagStore {
  const store = useContext(StoreContext);
  if (store === NO_PROVIDER && !warnedNoProvider && isDevelopment()) {
    warnedNoProvider = true;
    console.warn('@avsb/react: a flag hook is used outside <AvsbProvider>: it serves its default value');
  }
  return store;
}

declare const process: { env: { NODE_ENV?: string } } | undefined;

function isDevelopment(): boolean {
  // bundlers replace process.env.NODE_ENV, so a production build drops the warning
  return typeof process !== 'undefined' && process.env.NODE_ENV !== 'production';
}
