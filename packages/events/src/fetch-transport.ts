import { MAX_TIMER_MS, clampDelay, globalPlatform, parseRetryAfter, silentLogger } from '@avsb/common';
import type { AbortControllerLike, Platform } from '@avsb/common';
import { batchBody, utf8Length } from './batch-body';
import type { EventTransport, TransportResult } from './platform';
import type { EventBatch } from './wire';

/** The request `fetchTransport` makes (a subset of the standard `RequestInit`). */
export interface FetchRequest {
  readonly method: 'POST';
  readonly headers: Record<string, string>;
  readonly body: string;
  /**
   * The standard `AbortSignal` that ends the request on timeout or close.
   * Typed loosely so this package needs neither DOM nor Node types.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly signal: any;
  /** Set for bodies within `keepaliveMaxBytes`: the browser finishes the request even if the page goes away. */
  readonly keepalive?: boolean;
}

/** The part of the standard `Response` `fetchTransport` reads. */
export interface FetchResponse {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
}

/** A `fetch`: the platform's by default. */
export type FetchFunction = (url: string, init: FetchRequest) => Promise<FetchResponse>;

/** Options of {@link fetchTransport}. */
export interface FetchTransportOptions {
  /** The A vs B service, e.g. `https://flags.example.com` or `http://127.0.0.1:7070`. */
  readonly baseUrl: string;
  /** The SDK key: sent in the `Authorization` header, never logged and never put into an error. */
  readonly sdkKey: string;
  /** Defaults to the platform's `fetch` (the global one for the default platform). */
  readonly fetch?: FetchFunction;
  /**
   * The timers, clock, `AbortController` and `fetch` requests use. Defaults
   * to `globalPlatform()` of `@avsb/common` (the standard globals); pass the
   * `Platform` the SDK runs on.
   */
  readonly platform?: TransportPlatform;
  /** Sent as `User-Agent` when given (server runtimes only; browsers set their own). */
  readonly userAgent?: string;
  /** A request that has not answered after this long is aborted (and retried by the pipeline). Default 10 000. */
  readonly timeoutMs?: number;
  /**
   * Browsers: send requests whose body is at most this many UTF-8 bytes with
   * `keepalive: true`, so a page that closes does not cancel them. Browsers
   * allow 64 KiB of keepalive bodies in flight per page; a larger body is sent
   * without it. Default 0 (never; server runtimes have no use for it).
   */
  readonly keepaliveMaxBytes?: number;
}

/** What {@link fetchTransport} uses of a `Platform`. */
export type TransportPlatform = Pick<Platform, 'fetch' | 'newAbortController' | 'setTimeout' | 'clearTimeout' | 'now'>;

/** The default request timeout of {@link fetchTransport}. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

/**
 * An {@link EventTransport} over `fetch`: `POST <baseUrl>/sdk/v1/events` with
 * the key in `Authorization`, a request timeout, and the server's error
 * message and `Retry-After` read from the answer. Works wherever a standard
 * `fetch` and `AbortController` exist (Node 18+, browsers, edge runtimes), or
 * over the `platform` given.
 */
export function fetchTransport(options: FetchTransportOptions): EventTransport {
  if (typeof options?.baseUrl !== 'string' || options.baseUrl === '') {
    throw new TypeError('fetchTransport: baseUrl is required (the A vs B service URL)');
  }
  if (typeof options.sdkKey !== 'string' || options.sdkKey === '') {
    throw new TypeError('fetchTransport: sdkKey is required (an A vs B SDK key)');
  }
  return eventsPoster(options, options.userAgent ? { 'User-Agent': options.userAgent } : {}, options.keepaliveMaxBytes ?? 0);
}

/** The requests of {@link fetchTransport} once its options are checked: their timeout, and the answer read back. */
function eventsPoster(
  options: Omit<FetchTransportOptions, 'userAgent' | 'keepaliveMaxBytes'>,
  extraHeaders: Record<string, string>,
  keepaliveMax: number,
): EventTransport {
  const platform: TransportPlatform = options.platform ?? globalPlatform({ logger: silentLogger });
  // a runtime without fetch fails each send (logged, retried): the transport never reads globals itself
  const doFetch = (options.fetch ?? platform.fetch) as FetchFunction;
  const url = `${options.baseUrl.replace(/\/+$/, '')}/sdk/v1/events`;
  const sdkKey = options.sdkKey;
  const timeoutMs = clampDelay(options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS, MAX_TIMER_MS);
  const headers: Record<string, string> = {
    'Content-Type': 'application/json; charset=utf-8',
    Authorization: sdkKey,
    ...extraHeaders,
  };
  const inFlight = new Set<AbortControllerLike>();

  const send = async (batch: EventBatch): Promise<TransportResult> => {
    const body = batchBody(batch); // serialised once per batch, the same bytes on every retry
    const controller = platform.newAbortController();
    let timedOut = false;
    // a background timer: a request in flight never keeps the process alive on its own
    const timer = platform.setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    inFlight.add(controller);
    try {
      const init: FetchRequest = { method: 'POST', headers: { ...headers }, body, signal: controller.signal };
      const request = doFetch(url, keepaliveMax > 0 && utf8Length(body) <= keepaliveMax ? { ...init, keepalive: true } : init);
      return await readAnswer(await request, sdkKey, platform.now());
    } catch (error) {
      if (timedOut) throw new Error(`the events request timed out after ${timeoutMs} ms`);
      throw new Error(`the events request failed: ${redact(describe(error), sdkKey)}`);
    } finally {
      platform.clearTimeout(timer);
      inFlight.delete(controller);
    }
  };

  return {
    send,
    close() {
      for (const controller of inFlight) controller.abort();
      inFlight.clear();
    },
  };
}

/** `Retry-After` as milliseconds (seconds or an HTTP date, at most one hour): the shared parser of `@avsb/common`. */
export { parseRetryAfter };

/**
 * What the events endpoint answered, as a {@link TransportResult}: the
 * status, `Retry-After` (bounded), and for an error the server's message
 * (never the SDK key). The body is always read, so that the connection can
 * be reused. Every transport reads answers this way (`browserTransport` too).
 */
export async function readAnswer(response: FetchResponse, sdkKey: string, now: number): Promise<TransportResult> {
  const result: { status: number; retryAfterMs?: number; message?: string } = { status: response.status };
  const retryAfter = parseRetryAfter(response.headers.get('retry-after'), now);
  if (retryAfter !== undefined) result.retryAfterMs = retryAfter;
  const text = await response.text().catch(() => '');
  if (response.status >= 300) {
    const message = errorMessage(text);
    if (message) result.message = redact(message, sdkKey);
  }
  return result;
}

/** The `error.message` of a protocol error body, else the start of the text. */
function errorMessage(text: string): string | undefined {
  if (text === '') return undefined;
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    const { code, message } = body?.error ?? {};
    if (typeof message === 'string') return typeof code === 'string' ? `${code}: ${message}` : message;
  } catch {
    // not JSON: fall through
  }
  return text.slice(0, 300);
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  const causeText = cause instanceof Error ? cause.message : typeof cause === 'string' ? cause : '';
  return causeText && !error.message.includes(causeText) ? `${error.message} (${causeText})` : error.message;
}

function redact(text: string, secret: string): string {
  return text.split(secret).join('[sdk key]');
}
