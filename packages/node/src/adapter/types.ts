import type { AvsbContext, Logger, ScopedClient } from '@avsb/core';

/**
 * What a framework adapter needs of the server: `AvsbServer` (`@avsb/node`)
 * and `MockAvsbServer` (`@avsb/testing`) have it.
 */
export interface AdapterServer {
  forUser(context: AvsbContext): ScopedClient;
  /** Where the SDK logs; the adapter logs there too when present. */
  readonly logger?: Logger;
  /** Flushes events and stops; adapters that own the shutdown call it. */
  close?(): Promise<void>;
}

/**
 * Builds the context of a request: `(req) => ({ kind: 'user', key: req.user.id, plan: req.user.plan })`.
 * Return `null` or `undefined` for the anonymous context; may be `async`.
 */
export type ContextFrom<Req> = (req: Req) => AvsbContext | null | undefined | Promise<AvsbContext | null | undefined>;

/** The anonymous visitor's cookie. */
export interface AnonymousCookieOptions {
  /** Default `avsb_uid`. */
  name?: string;
  /** Default one year (31 536 000). */
  maxAgeSeconds?: number;
  /** Default `/`. */
  path?: string;
  /** Default: none (the host that answered). */
  domain?: string;
  /** `Secure` attribute: `'auto'` (the default) sets it on HTTPS requests. */
  secure?: boolean | 'auto';
}

/** The options every adapter takes. `Req` is what `contextFrom` receives: the framework's own request type. */
export interface RequestScopeOptions<Req> {
  /**
   * Builds the targeting context from the request; called once per request.
   * Without it (or when it returns `null`/`undefined`) the context is
   * anonymous: `{ kind: 'user', key: <visitor id>, anonymous: true }`. If it
   * throws, rejects or returns an invalid context, that is logged once per
   * kind of problem and the request goes on with the anonymous context.
   */
  contextFrom?: ContextFrom<Req>;
  /**
   * The cookie that keeps an anonymous visitor's id across requests (so an
   * experiment counts a visitor once), or `false` for none: then every
   * anonymous request is a new visitor.
   */
  cookie?: AnonymousCookieOptions | false;
  /** Where to log; default the server's logger, else the console. */
  logger?: Logger;
}

/** How the request scope reaches a request's cookies; each adapter maps it onto its framework. */
export interface RequestCookies {
  /** The `Cookie` request header. */
  readonly header: string | string[] | undefined;
  /** Whether the request came over HTTPS (for the `Secure` attribute in `'auto'` mode). */
  readonly secure: boolean;
  /** Adds a `Set-Cookie` response header, keeping any set before. */
  setCookie(value: string): void;
}
