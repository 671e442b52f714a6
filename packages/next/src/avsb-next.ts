import type { BootstrapValues } from '@avsb/browser';
import type { AvsbContext, ScopedClient } from '@avsb/core';
import { checkSdkKey } from '@avsb/core';
import type { AvsbServer, AvsbServerOptions } from '@avsb/node';
import { createRequestScope } from '@avsb/node/adapter';
import type { AnonymousCookieOptions, RequestScope } from '@avsb/node/adapter';
// next has no exports map: Node's ESM loader needs the files' extensions
import { cookies, headers } from 'next/headers.js';
import { after } from 'next/server.js';
import { cache } from 'react';
import { browserContext } from './browser-context';
import { closeSharedServer, sharedServer } from './server-registry';
import { setCookieFromHeader } from './set-cookie';
import type { NextContextFrom, NextRequestInfo } from './request-info';

/** Options of {@link createAvsbNext}: those of `AvsbServer` and the request's. */
export interface AvsbNextOptions extends AvsbServerOptions {
  /**
   * The client-side key (`cli-…`) the browser uses, for {@link AvsbNext.clientProps}.
   * Never the server key: that one stays on the server.
   */
  clientKey?: string;
  /** Where the browser reaches A vs B; default `baseUrl`. */
  clientBaseUrl?: string;
  /** Builds the context from the request's cookies and headers; default: anonymous visitors. */
  contextFrom?: NextContextFrom;
  /** The anonymous visitor's cookie (default `avsb_uid`), or `false` for none. The same as the middleware's. */
  cookie?: AnonymousCookieOptions | false;
  /** How long the first request waits for the datafile. Default 5 000 ms (then reads serve defaults). */
  readyTimeoutMs?: number;
}

/** Props for `<AvsbProvider>` of `@avsb/next/client`: what the browser may know, and nothing more. */
export interface AvsbClientProps {
  clientKey: string;
  baseUrl?: string;
  /** The request's context without its private attributes. */
  context: AvsbContext;
  /** The values of the client-side flags for this context, as the server computed them. */
  bootstrap: BootstrapValues;
}

/** What {@link createAvsbNext} returns. */
export interface AvsbNext {
  /** The process's `AvsbServer` (created on first use). */
  readonly server: AvsbServer;
  /**
   * The scoped client of the current request (server components, route
   * handlers, server actions): typed reads that never throw, and `track`.
   * One per request: the layout and the page share it. Closed after the
   * response.
   */
  flags(): Promise<ScopedClient>;
  /** The provider's props for this request: client key, context without private attributes, client-side values. */
  clientProps(): Promise<AvsbClientProps>;
  /**
   * Flushes the events and closes the process's `AvsbServer`, if one was
   * created (it creates none). For shutdown: see README, "Shutdown".
   */
  close(): Promise<void>;
}

const CLIENT_KEY_HELP = 'the client-side key (cli-…) of the environment: dashboard → Settings → Environments';

/** The browser's key, trimmed, by the rules every SDK applies (`checkSdkKey`); its problem never quotes it: it may be the server key. */
function checkClientKey(value: unknown): string {
  const checked = checkSdkKey(value, 'clientKey', 'cli-');
  if (!checked.ok) throw new TypeError(`createAvsbNext: ${checked.problem}. Pass ${CLIENT_KEY_HELP}`);
  return checked.key;
}

/**
 * A vs B for the App Router. Call it once, in a module of your own
 * (`lib/avsb.ts`), and use what it returns everywhere:
 *
 * ```ts
 * export const avsb = createAvsbNext({ sdkKey: process.env.AVSB_SDK_KEY, clientKey: process.env.AVSB_CLIENT_KEY });
 * // a server component or route handler
 * const flags = await avsb.flags();
 * flags.getBoolFlag('checkout-v2', false);
 * ```
 *
 * The `AvsbServer` is created on first use and kept once per process,
 * across hot reloads. The context comes from `contextFrom` with the
 * request's cookies and headers; without it (or when it returns `null`) the
 * visitor is anonymous, with the id of the `avsb_uid` cookie that
 * `avsbMiddleware` of `@avsb/next/middleware` sets (server components
 * cannot set cookies; route handlers do).
 */
export function createAvsbNext(options: AvsbNextOptions): AvsbNext {
  const { clientKey: givenClientKey, clientBaseUrl, contextFrom, cookie, readyTimeoutMs, ...serverOptions } = options;
  const clientKey = givenClientKey === undefined ? undefined : checkClientKey(givenClientKey);
  let server: AvsbServer | null = null;
  let scope: RequestScope<NextRequestInfo> | null = null;
  // created on first use, so that `next build` starts no server while it collects pages
  const getServer = (): AvsbServer => {
    const shared = sharedServer(serverOptions);
    if (shared !== server || scope === null) {
      server = shared;
      scope = createRequestScope<NextRequestInfo>(shared, { contextFrom, cookie }, 'createAvsbNext');
    }
    return shared;
  };

  const current = cache(async (): Promise<ScopedClient> => {
    // the request first: reading it makes the route dynamic, so `next build` never prerenders with flags
    const [cookieStore, headerStore] = await Promise.all([cookies(), headers()]);
    const s = getServer();
    if (!s.ready) await s.onReady({ timeoutMs: readyTimeoutMs ?? 5_000 });
    const request: NextRequestInfo = { cookies: cookieStore, headers: headerStore };
    const scoped = await scope!.open(request, {
      header: headerStore.get('cookie') ?? undefined,
      secure: headerStore.get('x-forwarded-proto') === 'https',
      setCookie: (value) => setCookieFromHeader(cookieStore, value),
    });
    const client = scoped ?? s.forUser({ kind: 'user', key: 'anonymous', anonymous: true });
    closeAfterResponse(client);
    return client;
  });

  return {
    get server() {
      return getServer();
    },
    flags: () => current(),
    async clientProps() {
      const scoped = await current();
      if (clientKey === undefined) {
        throw new TypeError(`createAvsbNext: pass clientKey (${CLIENT_KEY_HELP}) to hand flags to the browser`);
      }
      const context = browserContext(scoped.context, {
        privateAttributes: serverOptions.privateAttributes,
        allAttributesPrivate: serverOptions.allAttributesPrivate,
      }) ?? { kind: 'user', key: 'anonymous', anonymous: true };
      // React passes only plain objects to client components; allFlags has no prototype (keys are data)
      const bootstrap = Object.fromEntries(Object.entries(scoped.allFlags({ clientSideOnly: true })));
      const baseUrl = clientBaseUrl ?? serverOptions.baseUrl ?? process.env.AVSB_BASE_URL;
      return baseUrl === undefined ? { clientKey, context, bootstrap } : { clientKey, baseUrl, context, bootstrap };
    },
    close: () => closeSharedServer(serverOptions),
  };
}

function closeAfterResponse(client: ScopedClient): void {
  try {
    after(() => client.close());
  } catch {
    // outside a request (a script, a test): the caller closes it, or the finalizer does
  }
}
