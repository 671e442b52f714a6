// A `fetch` over node:http, for cold-start.ts's `http` variant: what a start-up would cost if `@avsb/node`'s data
// source did not load Node's own fetch implementation (undici), whose first request costs a fresh process ≈ 26 ms of
// CPU. A sketch to measure that with, given through the public `fetch` option: GET and POST, headers, abort, a
// streamed body; no https, redirects, compression or proxies (global dispatchers), which an SDK's would need.
import type { IncomingMessage } from 'node:http';
import type { AvsbServerOptions } from '@avsb/node';

type Fetch = NonNullable<AvsbServerOptions['fetch']>;
type Response = Awaited<ReturnType<Fetch>>;

export const httpFetchSketch: Fetch = (url, init) => {
  const http = process.getBuiltinModule('node:http');
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: init.method ?? 'GET', headers: init.headers }, (res) => resolve(response(res)));
    req.on('error', reject);
    (init.signal as AbortSignal | undefined)?.addEventListener('abort', () => req.destroy(new Error('aborted')));
    req.end(init.body);
  });
};

function response(res: IncomingMessage): Response {
  const status = res.statusCode ?? 0;
  const chunks = res[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  return {
    status,
    ok: status >= 200 && status < 300,
    headers: {
      get: (name: string): string | null => {
        const value = res.headers[name.toLowerCase()];
        return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
      },
    },
    text: async (): Promise<string> => {
      const parts: Buffer[] = [];
      for (let next = await chunks.next(); !next.done; next = await chunks.next()) parts.push(next.value);
      return Buffer.concat(parts).toString('utf8');
    },
    body: {
      getReader: () => ({
        read: async (): Promise<{ done: boolean; value?: Uint8Array }> => {
          const next = await chunks.next();
          return next.done ? { done: true } : { done: false, value: next.value };
        },
        cancel: async (): Promise<void> => void res.destroy(),
      }),
    },
  };
}
