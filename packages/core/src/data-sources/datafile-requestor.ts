import { clampDelay } from '@avsb/common';
import { COMPILED_MEDIA_TYPE } from '@avsb/engine';
import type { AbortControllerLike, Platform } from '../platform';
import type { DataSourceError, ServiceEndpoint } from './data-source';
import { failedResponse, getFromService, networkError } from './data-source';

export type DatafileResponse =
  | { readonly status: 'ok'; readonly datafile: unknown; readonly text: string; readonly etag: string | null }
  | { readonly status: 'not-modified' }
  | { readonly status: 'error'; readonly error: DataSourceError; readonly retryAfterMs?: number | undefined };

const WHAT = 'datafile request';

/**
 * `GET /sdk/v1/datafile` with a time limit, remembering the ETag of the last
 * datafile that was accepted so the next request can be conditional.
 */
export class DatafileRequestor {
  private _etag: string | null = null;
  private readonly _inFlight = new Set<AbortControllerLike>();

  constructor(
    private readonly _endpoint: ServiceEndpoint,
    private readonly _platform: Platform,
    /** The datafile of a body: a server's source hands a JSON one on as text (`DatafileText`). */
    private readonly _parse: (text: string) => unknown = JSON.parse,
  ) {}

  /** Remember `etag` once its datafile was accepted (a refused one is fetched again). */
  accept(etag: string | null): void {
    this._etag = etag;
  }

  async fetch(conditional: boolean): Promise<DatafileResponse> {
    const platform = this._platform;
    const controller = platform.newAbortController();
    this._inFlight.add(controller);
    const timer = platform.setTimeout(() => controller.abort(), clampDelay(this._endpoint.requestTimeoutMs ?? 10_000));
    try {
      const extra: Record<string, string> = { Accept: this._endpoint.compiled === true ? `${COMPILED_MEDIA_TYPE}, application/json;q=0.5` : 'application/json' };
      if (conditional && this._etag !== null) extra['If-None-Match'] = this._etag;
      const response = await getFromService(platform, this._endpoint, '/sdk/v1/datafile', extra, controller.signal);
      if (response.status === 304) return { status: 'not-modified' };
      if (!response.ok) return { status: 'error', ...failedResponse(response, WHAT, platform.now()) };
      const text = await response.text();
      let datafile: unknown;
      try {
        datafile = this._parse(text);
      } catch (e) {
        return {
          status: 'error',
          error: { kind: 'invalid-datafile', message: `${WHAT}: the body is not JSON (${(e as Error).message})` },
        };
      }
      return { status: 'ok', datafile, text, etag: response.headers.get('etag') };
    } catch (e) {
      return { status: 'error', error: networkError(e, WHAT) };
    } finally {
      platform.clearTimeout(timer);
      this._inFlight.delete(controller);
    }
  }

  /** Aborts every request in flight. */
  abort(): void {
    for (const c of this._inFlight) c.abort();
    this._inFlight.clear();
  }
}
