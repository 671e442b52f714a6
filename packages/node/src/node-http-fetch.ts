import type { ClientRequest, IncomingMessage } from 'node:http';
import type { FetchInit, FetchLike, ResponseLike } from '@avsb/core';
import { nodeResponse } from './node-http-response';

/** fetch's limit (the Fetch standard's). */
const MAX_REDIRECTS = 20;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** What fetch drops when a redirect leaves the origin: the SDK key travels in `authorization`. */
const CREDENTIAL_HEADERS = ['authorization', 'proxy-authorization', 'cookie'];
/** What fetch drops when a redirect turns a request into a GET without its body. */
const BODY_HEADERS = ['content-type', 'content-length', 'content-encoding', 'content-language', 'content-location'];

/** One request of a chain of redirects. Header names are lower case. */
interface Hop {
  readonly url: URL;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: string | undefined;
}

/** The standard signal the platform's `AbortController` makes (typed loosely in `@avsb/core`). */
interface Signal {
  readonly aborted: boolean;
  readonly reason?: unknown;
  addEventListener?(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener?(type: 'abort', listener: () => void): void;
}

/**
 * The part of `fetch` the SDK uses, over `node:http` and `node:https` (each
 * loaded on its first request, with `node:zlib` only for a compressed
 * body): Node's own `fetch` loads undici on its first call, ≈ 26 ms of a
 * fresh process's CPU, half of a networked cold start's. It behaves as
 * fetch does where the SDK can tell: the default agents (keep-alive),
 * `accept-encoding: gzip, deflate, br` decoded, up to 20 redirects (303, and
 * 301/302 of a POST, become a GET; 307/308 keep method and body) with
 * `authorization` dropped once a redirect leaves the origin, an abort
 * rejecting with the signal's reason (an `AbortError`) and destroying the
 * socket, even mid-body, and a network failure rejecting with
 * `TypeError('fetch failed')` whose `cause` is Node's error (its `code`,
 * such as `ECONNREFUSED`, is what the data sources report).
 */
export const nodeHttpFetch: FetchLike = (url, init) =>
  new Promise<ResponseLike>((resolve, reject) => {
    const signal = init.signal as Signal | undefined;
    if (signal?.aborted === true) return reject(abortReason(signal));
    let hop: Hop;
    try {
      hop = firstHop(url, init);
    } catch (e) {
      return reject(e);
    }
    let redirects = 0;
    let request: ClientRequest | null = null;
    let response: IncomingMessage | null = null;
    let aborted: unknown;
    const onAbort = (): void => {
      aborted = abortReason(signal!);
      request?.destroy(aborted as Error);
      response?.destroy(aborted as Error);
      reject(aborted);
    };
    const settled = (): void => signal?.removeEventListener?.('abort', onAbort);
    const fail = (error: unknown): void => {
      settled();
      reject(aborted ?? error);
    };
    const send = (): void => {
      const req = (hop.url.protocol === 'https:' ? process.getBuiltinModule('node:https') : process.getBuiltinModule('node:http')).request(
        hop.url,
        { method: hop.method, headers: hop.headers },
        (res) => {
          if (req !== request) return void res.destroy();
          res.on('error', () => {}); // reported by the body's reads, or not at all once the SDK let the answer go
          const location = res.headers.location;
          if (REDIRECT_STATUSES.has(res.statusCode ?? 0) && location !== undefined) {
            res.destroy();
            return follow(res.statusCode!, location);
          }
          response = res;
          res.once('close', settled);
          try {
            resolve(nodeResponse(res, hop.method, () => aborted));
          } catch (e) {
            res.destroy();
            fail(e);
          }
        },
      );
      request = req;
      req.on('error', (error) => req === request && response === null && fail(new TypeError('fetch failed', { cause: error })));
      req.end(hop.body);
    };
    const follow = (status: number, location: string): void => {
      let next: URL;
      try {
        next = new URL(location, hop.url);
      } catch {
        return fail(new TypeError('fetch failed', { cause: new Error('invalid redirect location') }));
      }
      if (next.protocol !== 'http:' && next.protocol !== 'https:') {
        return fail(new TypeError('fetch failed', { cause: new Error('URL scheme must be a HTTP(S) scheme') }));
      }
      if (++redirects > MAX_REDIRECTS) return fail(new TypeError('fetch failed', { cause: new Error('redirect count exceeded') }));
      hop = redirected(hop, status, next);
      send();
    };
    signal?.addEventListener?.('abort', onAbort, { once: true });
    try {
      send();
    } catch (e) {
      // http.request throws at once for a header value it refuses (a control character, say)
      fail(e instanceof TypeError ? e : new TypeError('fetch failed', { cause: e }));
    }
  });

function firstHop(url: string, init: FetchInit): Hop {
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new TypeError('fetch failed', { cause: new Error('URL scheme must be a HTTP(S) scheme') });
  }
  const method = (init.method ?? 'GET').toUpperCase();
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(init.headers ?? {})) headers[name.toLowerCase()] = value;
  // fetch's defaults, so a service sees the same request from either
  headers['accept'] ??= '*/*';
  headers['user-agent'] ??= 'node';
  headers['accept-encoding'] ??= 'gzip, deflate, br';
  const body = init.body;
  if (body !== undefined) headers['content-type'] ??= 'text/plain;charset=UTF-8';
  if (body !== undefined || method === 'POST' || method === 'PUT') headers['content-length'] = String(Buffer.byteLength(body ?? ''));
  return { url: parsed, method, headers, body };
}

/** The next request of a redirect, as fetch makes it. */
function redirected(hop: Hop, status: number, url: URL): Hop {
  const headers = { ...hop.headers };
  let { method, body } = hop;
  if ((status === 303 && method !== 'GET' && method !== 'HEAD') || ((status === 301 || status === 302) && method === 'POST')) {
    method = 'GET';
    body = undefined;
    for (const name of BODY_HEADERS) delete headers[name];
  }
  // never send the SDK key to another origin (scheme, host or port): once dropped it stays dropped
  if (url.origin !== hop.url.origin) for (const name of CREDENTIAL_HEADERS) delete headers[name];
  return { url, method, headers, body };
}

/** The signal's reason, as fetch rejects with it; an `AbortError` where the signal carries none. */
function abortReason(signal: Signal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}
