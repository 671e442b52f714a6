/**
 * The admin token (sessionStorage), JSON calls to `/api/v1` with
 * `Authorization: Bearer <token>`, and a server-sent-events reader over
 * `fetch` (EventSource cannot send the header).
 */
import { createSseParser, type SseMessage } from './sse';

const TOKEN_KEY = 'avsb.adminToken';
const BASE = '/api/v1';

export function getToken(): string | null {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export function setToken(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token);
}

export function clearToken(): void {
  try {
    sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // storage unavailable: nothing to clear
  }
}

/** encodeURIComponent, short: every path segment built from data goes through it. */
export const enc = encodeURIComponent;

export function envPath(project: string, env: string): string {
  return '/projects/' + enc(project) + '/environments/' + enc(env);
}

/** A non-2xx answer of the admin API, with its error code and message. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
  /** "invalid_flag: rules[0].clauses[1].op: unknown operator" */
  describe(): string {
    return this.code ? this.code + ': ' + this.message : this.message;
  }
}

/** The text of any error for a banner. */
export function errorText(err: unknown): string {
  if (err instanceof ApiError) return err.describe();
  return err instanceof Error ? err.message : String(err);
}

function unauthorized(): void {
  window.dispatchEvent(new CustomEvent('avsb:unauthorized'));
}

export interface ApiOptions {
  /** A token to try instead of the stored one (sign-in). */
  token?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

interface ErrorBody {
  error?: { code?: string; message?: string };
}

/**
 * `api('GET', '/projects')` → the parsed JSON (null for 204), typed by the caller.
 * Throws ApiError with the server's code and message for any non-2xx answer.
 */
export async function api<T = unknown>(method: string, path: string, body?: unknown, options?: ApiOptions): Promise<T> {
  return (await apiWithRevision<T>(method, path, body, options)).data;
}

/**
 * Like {@link api}, with the environment revision of the answer's `ETag` (item reads and edits carry it): the
 * revision the data was read or written at, for the next edit's `If-Match`.
 */
export async function apiWithRevision<T = unknown>(method: string, path: string, body?: unknown, options?: ApiOptions): Promise<{ data: T; revision: number | undefined }> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = options?.token || getToken();
  if (token) headers.Authorization = 'Bearer ' + token;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (options?.headers) Object.assign(headers, options.headers);
  let res: Response;
  try {
    res = await fetch(BASE + path, {
      method,
      headers,
      body: body === undefined ? null : JSON.stringify(body),
      signal: options?.signal ?? null,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'network', 'The server cannot be reached (' + errorText(err) + ')');
  }
  const text = await res.text();
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!res.ok) {
    const error = (data as ErrorBody | null)?.error;
    if (res.status === 401 && !options?.token) unauthorized();
    throw new ApiError(res.status, error?.code || 'http_' + res.status, error?.message || text || res.statusText || 'HTTP ' + res.status);
  }
  const etag = /^"(\d+)"$/.exec(res.headers.get('ETag') ?? '');
  return { data: (res.status === 204 ? null : data) as T, revision: etag ? Number(etag[1]) : undefined };
}

export interface StreamHandlers {
  signal: AbortSignal;
  onOpen?: () => void;
  onEvent: (message: SseMessage) => void;
}

/**
 * Reads a text/event-stream answer with fetch and a stream reader, calling
 * `onEvent` for every dispatched event. Resolves when the stream ends;
 * rejects with ApiError when the answer is not a stream.
 */
export async function readEventStream(path: string, handlers: StreamHandlers): Promise<void> {
  const headers: Record<string, string> = { Accept: 'text/event-stream' };
  const token = getToken();
  if (token) headers.Authorization = 'Bearer ' + token;
  const res = await fetch(BASE + path, { headers, signal: handlers.signal, cache: 'no-store' });
  if (!res.ok || !res.body) {
    let message = res.statusText || 'HTTP ' + res.status;
    let code = 'http_' + res.status;
    try {
      const data = JSON.parse(await res.text()) as ErrorBody | null;
      if (data?.error) {
        message = data.error.message || message;
        code = data.error.code || code;
      }
    } catch {
      // not JSON: keep the status text
    }
    if (res.status === 401) unauthorized();
    throw new ApiError(res.status, code, message);
  }
  handlers.onOpen?.();
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  const parser = createSseParser(handlers.onEvent);
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    parser.push(value);
  }
  parser.end();
}
