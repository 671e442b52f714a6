import { parseHttpUrl } from '@avsb/common';
import { CliError, UsageError } from './io';

export const DEFAULT_SERVER = 'http://127.0.0.1:4400';

/** Replaces every occurrence of each secret with "***". */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) if (secret && secret.length >= 4) out = out.split(secret).join('***');
  return out;
}

/**
 * Checks `--server` (or `AVSB_SERVER`) with the SDKs' own rule (@avsb/common's `parseHttpUrl`: an absolute http(s)
 * URL without credentials, query or fragment); returns it without a trailing slash. The problem never quotes the
 * value, so a URL carrying a password is not echoed. `source` names where the value came from.
 */
export function serverUrl(command: string, value: string, source: '--server' | 'AVSB_SERVER' = '--server'): string {
  // named as the user set it: a URL from the environment is not fixed by looking at the command line
  const parsed = parseHttpUrl(value, source);
  if (!parsed.ok) throw new UsageError(`${parsed.problem} (a token goes in --token or --sdk-key, not in the URL)`, command);
  // the CLI adds the API's path itself: a URL copied from a request (…/api/v1) would be asked for /api/v1/api/v1/… and 404
  const api = /\/(?:api|sdk)\/v1(?:\/.*)?$/i.exec(parsed.url);
  if (api !== null) {
    throw new UsageError(`${source} ends with ${api[0]}: give the server's root URL, such as ${parsed.url.slice(0, api.index)} (avsb adds the API's paths)`, command);
  }
  return parsed.url;
}

export interface HttpOptions {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /** Never to appear in an error message (keys, tokens). */
  readonly secrets: readonly (string | undefined)[];
  /** What the request is for, for error messages ("the datafile"). */
  readonly what: string;
  /** The credential the request carries, so a 401 can say which option to check. */
  readonly credential: 'admin token' | 'SDK key';
  readonly timeoutMs?: number;
  /** Answer a 404 instead of failing (to ask whether something exists). */
  readonly notFoundOk?: boolean;
}

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

/** One request; a non-2xx answer or a network failure is a CliError with the server's own message. */
export async function request(url: string, options: HttpOptions): Promise<HttpAnswer> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: options.method ?? 'GET',
      headers: options.headers,
      body: options.body,
      redirect: 'error',
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
    const origin = safeOrigin(url);
    const hint = why === 'ECONNREFUSED' ? `: is the server running? (avsb dev starts one; --server or AVSB_SERVER names another)` : '';
    throw new CliError(redact(`cannot reach ${origin} for ${options.what}: ${why}${hint}`, options.secrets));
  }
  const text = await response.text();
  if (!response.ok && !(response.status === 404 && options.notFoundOk === true)) {
    throw new CliError(redact(describeFailure(response.status, text, options.what), options.secrets) + refusedHint(response.status, options.credential));
  }
  return { status: response.status, headers: response.headers, text };
}

/** The parsed JSON body of a successful request. */
export async function requestJson<T = unknown>(url: string, options: HttpOptions): Promise<T> {
  const answer = await request(url, options);
  try {
    return JSON.parse(answer.text) as T;
  } catch {
    throw new CliError(`${options.what}: the server's answer is not JSON`);
  }
}

function safeOrigin(url: string): string {
  try {
    const u = new URL(url);
    return u.origin;
  } catch {
    return 'the server';
  }
}

/** After the (redacted) server message, so a token that happens to be a word of it cannot mask the advice. */
function refusedHint(status: number, credential: HttpOptions['credential']): string {
  if (status !== 401) return '';
  if (credential === 'admin token') {
    return ' (check --token or AVSB_ADMIN_TOKEN: avsb dev prints the admin token, a new one on every start unless --token or AVSB_ADMIN_TOKEN fixes it)';
  }
  return ' (check --sdk-key or AVSB_SDK_KEY: a server key, srv-…, of the environment; avsb dev prints them)';
}

function describeFailure(status: number, body: string, what: string): string {
  let code = '';
  let message = '';
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown; message?: unknown } };
    if (typeof parsed.error?.code === 'string') code = parsed.error.code;
    if (typeof parsed.error?.message === 'string') message = parsed.error.message;
  } catch {
    // not the protocol's error body
  }
  const head = `${what}: the server answered ${status}${code ? ` ${code}` : ''}`;
  if (status === 401) return `${head}: ${message || 'the key or token was refused'}`;
  return message ? `${head}: ${message}` : head;
}
