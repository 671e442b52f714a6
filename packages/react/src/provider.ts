import { type ReactElement, type ReactNode, createElement, useEffect, useRef, useState } from 'react';
import type { AvsbBrowserClient, BootstrapValues, BrowserClientOptions } from '@avsb/browser';
import { copyBootstrap, createClient } from '@avsb/browser';
import { FlagStore } from './flag-store';
import { StoreContext } from './store-context';

interface ProviderBase {
  /**
   * The values a server computed for this context (`allFlags(context,
   * { clientSideOnly: true })` of `@avsb/node`): what the provider renders on
   * the server, what hydration renders (so the HTML matches), and what is
   * served until the datafile is loaded.
   */
  bootstrap?: BootstrapValues | null;
  children?: ReactNode;
}

/** `<AvsbProvider client={client}>`: a client the application created (and closes). */
export interface AvsbProviderClientProps extends ProviderBase {
  /** The `@avsb/browser` client, or `null` to render from `bootstrap` alone (a server render). */
  client: AvsbBrowserClient | null;
}

/**
 * `<AvsbProvider clientKey="cli-…" context={…} bootstrap={…}>`: the options of
 * `createClient`. The provider creates the client after its first render in
 * the browser (never on the server) and closes it when it unmounts.
 */
export interface AvsbProviderOptionsProps extends ProviderBase, Omit<BrowserClientOptions, 'bootstrap' | 'clientKey'> {
  /**
   * The environment's client-side key (`cli-…`), which the provider's client
   * needs in the browser: without one it creates no client, logs an error
   * saying so, and serves `bootstrap` and defaults. A server render (React's
   * `renderToString`, Next.js rendering a client component) creates no
   * client and does not read it: leave it out there, or pass what may be
   * unset on the server (`process.env.NEXT_PUBLIC_AVSB_CLIENT_KEY`).
   */
  clientKey?: string | undefined;
  client?: undefined;
}

/** The props of {@link AvsbProvider}: a client, or the options to create one. */
export type AvsbProviderProps = AvsbProviderClientProps | AvsbProviderOptionsProps;

/**
 * Makes flags readable by the hooks below it.
 *
 * ```tsx
 * <AvsbProvider clientKey="cli-…" context={{ kind: 'user', key: 'u_1' }} bootstrap={window.__AVSB_FLAGS__}>
 *   <App />
 * </AvsbProvider>
 * ```
 *
 * On the server (and while hydrating) hooks read `bootstrap` only: no
 * client, no engine, no network. Given options, a change of `context`
 * calls `identify`; a change of `clientKey` or `baseUrl` replaces the
 * client; other options and `bootstrap` are read once.
 */
export function AvsbProvider(props: AvsbProviderProps): ReactElement {
  const given = props.client !== undefined ? props.client : undefined;
  const [store] = useState(() => new FlagStore(given ?? null, hydrationValues(props.bootstrap, given ?? null)));
  const options = given === undefined ? (props as AvsbProviderOptionsProps) : null;
  const latest = useRef(options);
  latest.current = options;

  useEffect(() => {
    if (given === undefined) return;
    store.setClient(given);
    // the application's client outlives the provider: stop listening to it
    return () => store.setClient(null);
  }, [store, given]);

  const ownClient = options !== null;
  const clientKey = options?.clientKey;
  const baseUrl = options?.baseUrl === undefined ? undefined : String(options.baseUrl);
  useEffect(() => {
    const o = latest.current;
    if (!ownClient || o === null) return;
    const client = createOwnClient(o);
    if (client === null) return;
    store.setClient(client);
    return () => {
      store.setClient(null);
      void client.close();
    };
  }, [store, ownClient, clientKey, baseUrl]);

  const contextText = options !== null ? JSON.stringify(options.context) : null;
  useEffect(() => {
    const client = store.client;
    const o = latest.current;
    if (o === null || client === null || contextText === null) return;
    if (JSON.stringify(client.context) !== contextText) void client.identify(o.context);
  }, [store, contextText]);

  return createElement(StoreContext.Provider, { value: store }, props.children);
}

/** What hydration renders: the bootstrap values, or those a not-yet-ready client would serve (its own bootstrap). */
function hydrationValues(bootstrap: unknown, client: AvsbBrowserClient | null): BootstrapValues | null {
  if (bootstrap !== undefined && bootstrap !== null) return copyBootstrap(bootstrap);
  return client !== null && !client.ready ? client.allFlags() : null;
}

function createOwnClient(props: AvsbProviderOptionsProps): AvsbBrowserClient | null {
  const { children: _children, client: _client, clientKey, ...options } = props;
  // the logger option may be what createClient refuses (console.log, which has no error method): say it on the console
  const logger = typeof options.logger?.error === 'function' ? options.logger : console;
  // the prop may be unset for a server render, where it is never read; here, in the browser, a client needs it
  if (clientKey === undefined) {
    logger.error(
      "@avsb/react: <AvsbProvider> has no clientKey, so it creates no client in the browser: pass the environment's client-side key " +
        '(cli-…, A vs B → Settings → Environments) as clientKey, or client={null} to render from bootstrap alone. Flag reads serve the bootstrap values and defaults.',
    );
    return null;
  }
  try {
    return createClient({ ...options, clientKey });
  } catch (error) {
    // a configuration mistake (a server key, an empty one): reads keep serving bootstrap values and defaults
    logger.error(`@avsb/react: ${(error as Error)?.message ?? String(error)}`);
    return null;
  }
}
