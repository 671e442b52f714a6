/**
 * `/api.js`: the admin token (sessionStorage), JSON calls to `/api/v1` with
 * `Authorization: Bearer <token>`, and a server-sent-events reader over
 * `fetch` (EventSource cannot send the header).
 *
 * Browser code kept as a string: no backticks and no dollar-brace in it.
 */
export const API_JS = String.raw`
const TOKEN_KEY = 'avsb.adminToken';
const BASE = '/api/v1';

export function getToken() {
  try { return sessionStorage.getItem(TOKEN_KEY); } catch { return null; }
}

export function setToken(token) {
  sessionStorage.setItem(TOKEN_KEY, token);
}

export function clearToken() {
  try { sessionStorage.removeItem(TOKEN_KEY); } catch { /* storage unavailable */ }
}

/** encodeURIComponent, short: every path segment built from data goes through it. */
export const enc = encodeURIComponent;

export function envPath(project, env) {
  return '/projects/' + enc(project) + '/environments/' + enc(env);
}

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
  /** "invalid_flag: rules[0].clauses[1].op: unknown operator" */
  describe() {
    return this.code ? this.code + ': ' + this.message : this.message;
  }
}

function unauthorized() {
  window.dispatchEvent(new CustomEvent('avsb:unauthorized'));
}

/**
 * api('GET', '/projects') → parsed JSON (null for 204).
 * Throws ApiError with the server's code and message for any non-2xx answer.
 */
export async function api(method, path, body, options) {
  const headers = { Accept: 'application/json' };
  const token = (options && options.token) || getToken();
  if (token) headers.Authorization = 'Bearer ' + token;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (options && options.headers) Object.assign(headers, options.headers);
  let res;
  try {
    res = await fetch(BASE + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: options && options.signal,
    });
  } catch (err) {
    if (err && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'network', 'The server cannot be reached (' + (err && err.message ? err.message : err) + ')');
  }
  const text = await res.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch { data = null; }
  }
  if (!res.ok) {
    const error = data && data.error ? data.error : null;
    if (res.status === 401 && !(options && options.token)) unauthorized();
    throw new ApiError(
      res.status,
      error && error.code ? error.code : 'http_' + res.status,
      error && error.message ? error.message : (text || res.statusText || 'HTTP ' + res.status),
    );
  }
  if (res.status === 204) return null;
  return data;
}

/**
 * Reads a text/event-stream answer with fetch and a stream reader, calling
 * onEvent({ event, data, id }) for every dispatched event. Resolves when the
 * stream ends; rejects with ApiError when the answer is not a stream.
 */
export async function readEventStream(path, handlers) {
  const headers = { Accept: 'text/event-stream' };
  const token = getToken();
  if (token) headers.Authorization = 'Bearer ' + token;
  const res = await fetch(BASE + path, { headers, signal: handlers.signal, cache: 'no-store' });
  if (!res.ok || !res.body) {
    let message = res.statusText || 'HTTP ' + res.status;
    let code = 'http_' + res.status;
    try {
      const data = JSON.parse(await res.text());
      if (data && data.error) { message = data.error.message || message; code = data.error.code || code; }
    } catch { /* not JSON */ }
    if (res.status === 401) unauthorized();
    throw new ApiError(res.status, code, message);
  }
  if (handlers.onOpen) handlers.onOpen();
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  const parser = createSseParser(handlers.onEvent);
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    parser.push(value);
  }
  parser.end();
}

/** An incremental parser for the event-stream format (lines, blank line dispatches). */
export function createSseParser(onEvent) {
  let buffer = '';
  let eventName = '';
  let data = [];
  let lastId = '';
  function line(text) {
    if (text === '') {
      if (data.length > 0) onEvent({ event: eventName || 'message', data: data.join('\n'), id: lastId });
      eventName = '';
      data = [];
      return;
    }
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const name = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (name === 'event') eventName = value;
    else if (name === 'data') data.push(value);
    else if (name === 'id') lastId = value;
  }
  return {
    push(chunk) {
      buffer += chunk;
      for (;;) {
        const match = /\r\n|\r|\n/.exec(buffer);
        if (!match) break;
        // A lone CR at the very end may be the first half of CRLF: wait for more.
        if (match[0] === '\r' && match.index === buffer.length - 1) break;
        line(buffer.slice(0, match.index));
        buffer = buffer.slice(match.index + match[0].length);
      }
    },
    end() {
      if (buffer) line(buffer);
      buffer = '';
      line('');
    },
  };
}
`;
