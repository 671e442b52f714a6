import diagnostics from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';

type Message = { request: IncomingMessage; response: ServerResponse };

/**
 * Logs one line per HTTP request this process serves: method, path (never the
 * query, where a stream may carry `?key=`), status and milliseconds. Uses
 * Node's built-in `http.server.*` diagnostics channels, so the server needs no
 * hook. Returns the function that stops logging.
 */
export function logRequests(write: (line: string) => void, scrub: (text: string) => string): () => void {
  const started = new WeakMap<IncomingMessage, bigint>();
  const onStart = (message: unknown) => {
    started.set((message as Message).request, process.hrtime.bigint());
  };
  const onFinish = (message: unknown) => {
    const { request, response } = message as Message;
    const start = started.get(request);
    const ms = start === undefined ? NaN : Number(process.hrtime.bigint() - start) / 1e6;
    let pathname = '/';
    try {
      pathname = new URL(request.url ?? '/', 'http://localhost').pathname;
    } catch {
      pathname = '(bad url)';
    }
    write(scrub(`${request.method ?? '?'} ${pathname} ${response.statusCode} ${Number.isNaN(ms) ? '?' : ms.toFixed(1)}ms`));
  };
  diagnostics.subscribe('http.server.request.start', onStart);
  diagnostics.subscribe('http.server.response.finish', onFinish);
  return () => {
    diagnostics.unsubscribe('http.server.request.start', onStart);
    diagnostics.unsubscribe('http.server.response.finish', onFinish);
  };
}
