import type { DeleteUpdate, PatchUpdate } from '../datafile-format';
import type { PutOptions, UpdateResult } from '../datafile-store';
import { describeError, parseRetryAfter } from '@avsb/common';
import type { AbortSignalLike, ResponseLike } from '@avsb/common';
import type { Platform } from '../platform';

/**
 * A problem a data source met. `unauthorized` (401/403) is permanent: the
 * source stops. `source`: a custom data source threw from its factory or
 * `start()`; it is not retried. Everything else is retried; the last good
 * datafile keeps serving meanwhile.
 */
export interface DataSourceError {
  readonly kind: 'unauthorized' | 'network' | 'http' | 'invalid-datafile' | 'source';
  /** The HTTP status, for `unauthorized` and `http`. */
  readonly status?: number;
  readonly message: string;
}

/**
 * Where a page's data source writes (`PageCore`): whole datafiles only; a
 * page's source fetches the revision a stream's `patch` or `delete` announces.
 */
export interface PageSink {
  put(datafile: unknown, options?: PutOptions): UpdateResult;
  /** The source met a problem (it keeps retrying unless `kind` is `unauthorized`). */
  error(error: DataSourceError): void;
  /** The source is connected or got a good answer again. */
  valid(): void;
}

/** Where data sources write. `DatafileStore` implements the update half; `ClientCore` adds status. */
export interface DataSink extends PageSink {
  patch(update: PatchUpdate): UpdateResult;
  delete(update: DeleteUpdate): UpdateResult;
}

/** Something that keeps a sink up to date. `start` once; `stop` ends every request and timer. */
export interface DataSource {
  start(): void;
  stop(): void;
}

/** Builds a data source for a client; `@avsb/testing` plugs its own in here. */
export type DataSourceFactory = (sink: DataSink, platform: Platform) => DataSource;

/** Builds a page's data source (`PageCore`'s), which puts whole datafiles only. */
export type PageSourceFactory = (sink: PageSink, platform: Platform) => DataSource;

/** Where to reach an A vs B service and how to authenticate. */
export interface ServiceEndpoint {
  /** e.g. `http://127.0.0.1:4400` (no trailing slash needed). */
  baseUrl: string;
  sdkKey: string;
  /** Time limit of one datafile request. Default 10 000 ms. */
  requestTimeoutMs?: number;
  /**
   * Ask for compiled datafiles (an engine on `avsb-evaluator.wasm`): the
   * datafile request accepts `application/vnd.avsb.compiled-datafile; v=1`
   * first (a service that predates them answers JSON), and the stream's
   * `put` (always JSON) makes the source fetch the datafile instead of
   * handing the JSON on. Default `false`.
   */
  compiled?: boolean;
}

/** `GET path` of the service with the SDK key and `headers`: the one request of the datafile and of the stream. */
export function getFromService(platform: Platform, endpoint: ServiceEndpoint, path: string, headers: Record<string, string>, signal: AbortSignalLike): Promise<ResponseLike> {
  return platform.fetch(endpoint.baseUrl.replace(/\/+$/, '') + path, { method: 'GET', headers: { Authorization: endpoint.sdkKey, ...headers }, signal });
}

/**
 * What a response that brings no datafile or stream says (its body is
 * cancelled): the typed error of its status, `unauthorized` for 401/403 (the
 * client core's log line and readiness error say which key to use), and its
 * `Retry-After`.
 */
export function failedResponse(response: ResponseLike, what: string, now: number): { error: DataSourceError; retryAfterMs: number | undefined } {
  response.body?.getReader().cancel().catch(() => {});
  const status = response.status;
  return {
    error: { kind: status === 401 || status === 403 ? 'unauthorized' : 'http', status, message: `${what}: HTTP ${status}` },
    retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), now),
  };
}

export function networkError(e: unknown, what: string): DataSourceError {
  const err = e as { name?: string; cause?: { code?: string; message?: string } } | undefined;
  const cause = err?.cause?.code ?? err?.cause?.message;
  const message = err?.name === 'AbortError' || err?.name === 'TimeoutError' ? 'timed out' : describeError(e);
  return { kind: 'network', message: `${what}: ${message}${cause !== undefined ? ` (${cause})` : ''}` };
}
